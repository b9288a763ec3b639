-- mission_revocation: one row per terminated mission of a run.
--   terminated_s         when the PS recorded the mission as ended (first mission.terminated)
--   ops_executed         operations of the mission that executed, in the whole run
--   ops_after            operations that executed at or after termination
--   irreversible_after   of those, the irreversible ones
--   revocation_window_s  runtime stop: termination to the last operation of the
--                        mission that executed after it (0 when none did)
--   control_plane_s      termination to the last revocation notice a resource
--                        received for the mission (push or event stream) or the
--                        last recall of its queued work; NULL when no notice
--                        reached any resource (TTL only, introspection, cache)
CREATE OR REPLACE VIEW mission_revocation AS
WITH terminated AS (
  SELECT run_id, mission, min(t) AS terminated_t
  FROM events
  WHERE type = 'mission.terminated' AND mission IS NOT NULL
  GROUP BY run_id, mission
),
executed AS (
  SELECT e.run_id, e.mission,
         count(*) AS ops_executed,
         count(*) FILTER (WHERE e.t >= x.terminated_t) AS ops_after,
         count(*) FILTER (WHERE e.t >= x.terminated_t AND e.irreversible) AS irreversible_after,
         max(e.t) FILTER (WHERE e.t >= x.terminated_t) AS last_after_t
  FROM events e JOIN terminated x ON e.run_id = x.run_id AND e.mission = x.mission
  WHERE e.type = 'op.executed'
  GROUP BY e.run_id, e.mission
),
control AS (
  SELECT e.run_id, e.mission, max(e.t) AS last_notice_t
  FROM events e JOIN terminated x ON e.run_id = x.run_id AND e.mission = x.mission
  WHERE e.type IN ('revocation.received', 'op.recalled') AND e.t >= x.terminated_t
  GROUP BY e.run_id, e.mission
)
SELECT x.run_id,
       x.mission,
       x.terminated_t / 1e6 AS terminated_s,
       coalesce(ex.ops_executed, 0)::DOUBLE AS ops_executed,
       coalesce(ex.ops_after, 0)::DOUBLE AS ops_after,
       coalesce(ex.irreversible_after, 0)::DOUBLE AS irreversible_after,
       (coalesce(ex.last_after_t, x.terminated_t) - x.terminated_t) / 1e6 AS revocation_window_s,
       (c.last_notice_t - x.terminated_t) / 1e6 AS control_plane_s
FROM terminated x
LEFT JOIN executed ex ON ex.run_id = x.run_id AND ex.mission = x.mission
LEFT JOIN control c ON c.run_id = x.run_id AND c.mission = x.mission
