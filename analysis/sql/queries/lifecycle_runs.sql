-- lifecycle_runs: run_lifecycle run by run (with design and seed), and the
-- person's load from run_load: what each seed's lifecycle cost.
SELECT r.run_id, r.design, r.seed::DOUBLE AS seed, l.* EXCLUDE (run_id), d.person_interactions
FROM run_lifecycle l
JOIN runs r ON r.run_id = l.run_id
JOIN run_load d ON d.run_id = l.run_id
ORDER BY r.run_index
