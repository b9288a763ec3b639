-- drift_timeline: every executed operation of every run with ground truth, in
-- order, with the running count of unintended ones (the oracle's view) per
-- agent, and the monitor's alarms as points of their own (kind = 'alarm',
-- placed on the count reached when the alarm was raised). The drift view
-- draws one line per run and agent, coloured by design.
WITH ops AS (
  SELECT o.run_id, o.agent, o.t, o.event_seq AS seq, o.intended,
         sum(CASE WHEN o.intended THEN 0 ELSE 1 END) OVER (PARTITION BY o.run_id, o.agent ORDER BY o.event_seq) AS unintended_so_far
  FROM truth o
  WHERE o.kind = 'op'
),
alarms AS (
  SELECT e.run_id, e.agent, e.t, e.seq,
         coalesce((SELECT max(p.unintended_so_far) FROM ops p
                   WHERE p.run_id = e.run_id AND p.agent = e.agent AND p.seq < e.seq), 0) AS unintended_so_far
  FROM events e
  WHERE e.type = 'monitor.alarm'
)
SELECT r.design, r.run_id, r.seed::DOUBLE AS seed, x.agent, x.kind, x.t / 1e6 AS t_s, x.unintended_so_far::DOUBLE AS unintended_so_far
FROM (
  SELECT run_id, agent, t, seq, 'op' AS kind, unintended_so_far FROM ops
  UNION ALL
  SELECT run_id, agent, t, seq, 'alarm' AS kind, unintended_so_far FROM alarms
) x
JOIN runs r ON r.run_id = x.run_id
ORDER BY r.design_index, r.run_id, x.agent, x.seq, x.kind DESC
