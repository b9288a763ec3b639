-- replications: every per-run metric (run_metrics) across the seeds of a
-- design: the number of runs, the mean, the sample standard deviation and
-- a 95% confidence interval for the mean, mean +- t975(n - 1) * sd / sqrt(n)
-- (NULL bounds with a single run).

-- Means and deviations aggregate in value order (ORDER BY inside the call): floating-point
-- sums then do not depend on how DuckDB split the rows between threads, so the same runs
-- give the same bytes however often and with however many threads they are analysed.
SELECT r.design,
       m.metric,
       count(*)::DOUBLE AS n,
       avg(m.value ORDER BY m.value) AS mean,
       stddev_samp(m.value ORDER BY m.value) AS sd,
       avg(m.value ORDER BY m.value) - t975(count(*) - 1) * stddev_samp(m.value ORDER BY m.value) / sqrt(count(*)) AS ci95_low,
       avg(m.value ORDER BY m.value) + t975(count(*) - 1) * stddev_samp(m.value ORDER BY m.value) / sqrt(count(*)) AS ci95_high
FROM run_metrics m
JOIN runs r ON r.run_id = m.run_id
GROUP BY r.design, m.metric
ORDER BY min(r.design_index), m.metric
