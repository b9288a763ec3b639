-- revocation_window: per design, the runtime-stop distribution over every
-- terminated mission of every seed (pooled): termination to the last
-- executed operation (p50, p95, p99, max; quantile_cont interpolates), the
-- operations and irreversible operations executed after termination, and
-- the control-plane completion time (termination to the last revocation
-- notice; `notified` counts the missions that got one at all).
SELECT r.design,
       count(*)::DOUBLE AS missions,
       quantile_cont(m.revocation_window_s, 0.50) AS p50_s,
       quantile_cont(m.revocation_window_s, 0.95) AS p95_s,
       quantile_cont(m.revocation_window_s, 0.99) AS p99_s,
       max(m.revocation_window_s) AS max_s,
       sum(m.ops_after) AS ops_after,
       sum(m.irreversible_after) AS irreversible_after,
       count(m.control_plane_s)::DOUBLE AS notified,
       quantile_cont(m.control_plane_s, 0.50) AS control_plane_p50_s,
       max(m.control_plane_s) AS control_plane_max_s
FROM mission_revocation m
JOIN runs r ON r.run_id = m.run_id
GROUP BY r.design
ORDER BY min(r.design_index)
