-- runs: the analysed runs, one row each: folder, design, seed, scenario,
-- where the log came from (simulated or ingested), events and fingerprint.
SELECT run_id, design, seed::DOUBLE AS seed, scenario, source, events::DOUBLE AS events, fingerprint
FROM runs
ORDER BY run_index
