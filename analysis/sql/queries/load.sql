-- load: per design, the mean over seeds of each run's control-plane and
-- human load (see run_load for each column's meaning).

-- Means and deviations aggregate in value order (ORDER BY inside the call): floating-point
-- sums then do not depend on how DuckDB split the rows between threads, so the same runs
-- give the same bytes however often and with however many threads they are analysed.
SELECT r.design,
       count(*)::DOUBLE AS runs,
       avg(l.ps_token_rps ORDER BY l.ps_token_rps) AS ps_token_rps,
       max(l.ps_peak_rps) AS ps_peak_rps,
       avg(l.ps_load_rps ORDER BY l.ps_load_rps) AS ps_load_rps,
       avg(l.as_token_rps ORDER BY l.as_token_rps) AS as_token_rps,
       avg(l.revocation_calls ORDER BY l.revocation_calls) AS revocation_calls,
       avg(l.status_checks ORDER BY l.status_checks) AS status_checks,
       avg(l.approvals ORDER BY l.approvals) AS approvals,
       avg(l.person_interactions ORDER BY l.person_interactions) AS person_interactions
FROM run_load l
JOIN runs r ON r.run_id = l.run_id
GROUP BY r.design
ORDER BY min(r.design_index)
