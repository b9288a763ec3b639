-- designs: one row per design with its grid values (params) and headline
-- figures: runs, terminated missions, runtime stop p50/p99/max (pooled over
-- seeds), operations and irreversible operations after termination, and the
-- mean PS load (ps_load_rps) and token request rate (ps_token_rps).

-- Means and deviations aggregate in value order (ORDER BY inside the call): floating-point
-- sums then do not depend on how DuckDB split the rows between threads, so the same runs
-- give the same bytes however often and with however many threads they are analysed.
WITH stop AS (
  SELECT r.design,
         count(*)::DOUBLE AS missions,
         quantile_cont(m.revocation_window_s, 0.50) AS p50_stop_s,
         quantile_cont(m.revocation_window_s, 0.99) AS p99_stop_s,
         max(m.revocation_window_s) AS max_stop_s,
         sum(m.ops_after) AS ops_after,
         sum(m.irreversible_after) AS irreversible_after
  FROM mission_revocation m JOIN runs r ON r.run_id = m.run_id
  GROUP BY r.design
),
load AS (
  SELECT r.design, min(r.design_index) AS design_index, any_value(r.params) AS params, count(*)::DOUBLE AS runs,
         avg(l.ps_load_rps ORDER BY l.ps_load_rps) AS ps_load_rps, avg(l.ps_token_rps ORDER BY l.ps_token_rps) AS ps_token_rps
  FROM run_load l JOIN runs r ON r.run_id = l.run_id
  GROUP BY r.design
)
SELECT load.design, load.params, load.runs, coalesce(stop.missions, 0) AS missions,
       stop.p50_stop_s, stop.p99_stop_s, stop.max_stop_s,
       coalesce(stop.ops_after, 0) AS ops_after, coalesce(stop.irreversible_after, 0) AS irreversible_after,
       load.ps_load_rps, load.ps_token_rps
FROM load LEFT JOIN stop ON stop.design = load.design
ORDER BY load.design_index
