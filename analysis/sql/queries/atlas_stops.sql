-- atlas_stops: the runtime stop of every terminated mission (see
-- mission_revocation) with its run's design and seed, for the pooled p99
-- runtime stop: the same pool as revocation_window's p99_s, resampled by run.
SELECT r.design, r.seed::DOUBLE AS seed, m.run_id, m.revocation_window_s
FROM mission_revocation m
JOIN runs r ON r.run_id = m.run_id
ORDER BY r.design_index, r.seed, m.terminated_s
