-- replications: every per-run metric (run_metrics) across the seeds of a
-- design: the number of runs, the mean, the sample standard deviation and
-- the runs' values in order (run_values). The 95% interval for the mean is
-- computed from run_values after this query, the atlas's way, so that it
-- stays inside the metric's range (analysis/replication-intervals.ts:
-- ci95_low, ci95_high, interval_method; run_values is then dropped).

-- Means and deviations aggregate in value order (ORDER BY inside the call): floating-point
-- sums then do not depend on how DuckDB split the rows between threads, so the same runs
-- give the same bytes however often and with however many threads they are analysed.
SELECT r.design,
       m.metric,
       count(*)::DOUBLE AS n,
       avg(m.value ORDER BY m.value) AS mean,
       stddev_samp(m.value ORDER BY m.value) AS sd,
       list(m.value::DOUBLE ORDER BY m.value) AS run_values
FROM run_metrics m
JOIN runs r ON r.run_id = m.run_id
GROUP BY r.design, m.metric
ORDER BY min(r.design_index), m.metric
