-- drift: per design, the runtime-alignment figures of run_drift averaged over
-- the runs with ground truth: agents that drifted, the detection delay (mean
-- and worst), unintended and irreversible operations executed before
-- detection, drifts never detected and false alarms (totals over seeds).

-- Means and deviations aggregate in value order (ORDER BY inside the call): floating-point
-- sums then do not depend on how DuckDB split the rows between threads, so the same runs
-- give the same bytes however often and with however many threads they are analysed.
SELECT r.design,
       count(*)::DOUBLE AS runs,
       sum(d.drifting_agents)::DOUBLE AS drifting_agents,
       avg(d.detection_delay_s ORDER BY d.detection_delay_s) AS detection_delay_mean_s,
       max(d.detection_delay_s) AS detection_delay_max_s,
       avg(d.unintended_before_detection ORDER BY d.unintended_before_detection) AS unintended_before_detection,
       avg(d.irreversible_before_detection ORDER BY d.irreversible_before_detection) AS irreversible_before_detection,
       sum(d.undetected_drifts)::DOUBLE AS undetected_drifts,
       sum(d.false_alarms)::DOUBLE AS false_alarms
FROM run_drift d
JOIN runs r ON r.run_id = d.run_id
GROUP BY r.design
ORDER BY min(r.design_index)
