-- architect: the sizing question. For each design (a point of the sweep's
-- grid, e.g. token lifetime x revocation mode): the p99 runtime stop over
-- all its terminated missions (pooled over seeds) and the mean load on the
-- Person Servers per second (token requests plus status checks, run_load's
-- ps_load_rps); whether it meets both bounds (variables max_p99_stop_s and
-- max_ps_rps); and whether it is on the trade-off curve
-- (Pareto-optimal: no other design is at least as good on both and better
-- on one). A design with no terminated mission has no stop time and meets nothing.

-- Means and deviations aggregate in value order (ORDER BY inside the call): floating-point
-- sums then do not depend on how DuckDB split the rows between threads, so the same runs
-- give the same bytes however often and with however many threads they are analysed.
-- ps_load_values lists the design's runs' loads in value order: the load's
-- 95% interval (ps_load_ci95_low/high, inside [0, inf): the seeded BCa
-- bootstrap of replications, analysis/replication-intervals.ts) is made from
-- it in TypeScript, for every reader alike (analysis/database.ts FINISHERS).
-- The pooled p99 has no interval here: a distribution-free one needs at
-- least 299 missions (1 - 0.99^299 >= 0.95).
WITH stop AS (
  SELECT r.design, quantile_cont(m.revocation_window_s, 0.99) AS p99_stop_s, count(*)::DOUBLE AS missions
  FROM mission_revocation m JOIN runs r ON r.run_id = m.run_id
  GROUP BY r.design
),
load AS (
  SELECT r.design, min(r.design_index) AS design_index, any_value(r.params) AS params,
         avg(l.ps_load_rps ORDER BY l.ps_load_rps) AS ps_load_rps, avg(l.ps_token_rps ORDER BY l.ps_token_rps) AS ps_token_rps, count(*)::DOUBLE AS runs,
         list(l.ps_load_rps ORDER BY l.ps_load_rps) AS ps_load_values
  FROM run_load l JOIN runs r ON r.run_id = l.run_id
  GROUP BY r.design
),
designs AS (
  SELECT load.design, load.design_index, load.params, load.runs, stop.missions, stop.p99_stop_s, load.ps_load_rps, load.ps_token_rps, load.ps_load_values
  FROM load LEFT JOIN stop ON stop.design = load.design
)
SELECT d.design,
       d.params,
       d.runs,
       d.missions,
       d.p99_stop_s,
       d.ps_load_rps,
       d.ps_token_rps,
       coalesce(d.p99_stop_s <= getvariable('max_p99_stop_s') AND d.ps_load_rps <= getvariable('max_ps_rps'), false) AS meets,
       d.p99_stop_s IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM designs o
         WHERE o.p99_stop_s IS NOT NULL
           AND o.p99_stop_s <= d.p99_stop_s AND o.ps_load_rps <= d.ps_load_rps
           AND (o.p99_stop_s < d.p99_stop_s OR o.ps_load_rps < d.ps_load_rps)
       ) AS pareto,
       d.ps_load_values
FROM designs d
ORDER BY d.design_index
