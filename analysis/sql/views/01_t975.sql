-- t975(df): the 0.975 quantile of Student's t with df degrees of freedom,
-- for 95% confidence intervals over a handful of seeds. Exact table values
-- up to df = 30, then the Cornish-Fisher expansion around z = 1.959964
-- (error below 0.001 from df = 31 on).
CREATE OR REPLACE MACRO t975(df) AS
  CASE
    WHEN df IS NULL OR df < 1 THEN NULL
    WHEN df <= 30 THEN [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042][df::INTEGER]
    ELSE 1.959964
      + (1.959964 ^ 3 + 1.959964) / (4 * df)
      + (5 * 1.959964 ^ 5 + 16 * 1.959964 ^ 3 + 3 * 1.959964) / (96 * df ^ 2)
  END
