-- run_alignment: one row per run with runtime-alignment events (issue 5):
--   monitor_alarms        alarms the alignment monitor raised (monitor.alarm)
--   gate_holds            irreversible operations the release gate held (gate.held)
--   gate_human_releases   held operations a person had to decide on and released
--   gate_blocked          held operations refused, never run (gate.blocked)
--   human_gate_load       gate decisions left to a person: human releases plus blocks
CREATE OR REPLACE VIEW run_alignment AS
SELECT run_id,
       count(*) FILTER (WHERE type = 'monitor.alarm')::DOUBLE AS monitor_alarms,
       count(*) FILTER (WHERE type = 'gate.held')::DOUBLE AS gate_holds,
       count(*) FILTER (WHERE type = 'gate.released' AND released_by = 'person')::DOUBLE AS gate_human_releases,
       count(*) FILTER (WHERE type = 'gate.blocked')::DOUBLE AS gate_blocked,
       (count(*) FILTER (WHERE type = 'gate.released' AND released_by = 'person') + count(*) FILTER (WHERE type = 'gate.blocked'))::DOUBLE AS human_gate_load
FROM events
WHERE type IN ('monitor.alarm', 'gate.held', 'gate.released', 'gate.blocked')
GROUP BY run_id
