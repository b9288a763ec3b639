-- atlas_runs: every per-run metric of atlas_run_metrics with its run's
-- design and seed, the input of the atlas's intervals (analysis/stats): one
-- row per run and metric, so each interval is computed over runs.
SELECT r.design, r.seed::DOUBLE AS seed, m.metric, m.value
FROM atlas_run_metrics m
JOIN runs r ON r.run_id = m.run_id
ORDER BY r.design_index, r.seed, m.metric
