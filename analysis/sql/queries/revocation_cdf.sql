-- revocation_cdf: the runtime-stop distribution of each design as a
-- cumulative curve: for each distinct revocation window (seconds) the
-- fraction of the design's terminated missions that stopped within it.
SELECT design, window_s, max(fraction) AS fraction
FROM (
  SELECT r.design,
         m.revocation_window_s AS window_s,
         cume_dist() OVER (PARTITION BY r.design ORDER BY m.revocation_window_s) AS fraction,
         r.design_index
  FROM mission_revocation m JOIN runs r ON r.run_id = m.run_id
)
GROUP BY design, window_s
ORDER BY min(design_index), window_s
