-- run_lifecycle: one row per run with a lifecycle event beyond plain
-- termination (a person's pause, a cancellation, a completion, a time-out, a
-- re-proposal or a runtime crash): what the mission lifecycle cost (issue 5,
-- seed 000's endings and compliance pause, seed 002's failover). A pause is
-- what the person asked for, whatever the profile made of it: person.suspend
-- to that agent's next person.resume (or the end of the run). Agents, not
-- s256s, tie it together, so a re-proposed mission counts as the same work.
--   pauses                     pauses a person asked for
--   paused_s                   how long the person wanted the work paused
--   ops_during_pause           operations executed for a paused agent while its
--                              pause lasted: exposure, stopping too little
--   irreversible_during_pause  the irreversible ones among them
--   ops_executed               operations executed in the run: work done
--   work_lost                  operations withdrawn before they ran because their
--                              mission ended (op.recalled: queued, parked or in
--                              service at a termination or cancellation)
--   workflows_abandoned        agents whose last word was agent.stopped: plans
--                              never finished, stopping too much
--   re_approvals               missions proposed again (mission.reproposed): after
--                              a pause under a terminate-only profile, or a crash
--                              under runtime-bound authority
--   time_to_resume_s           mean over resumes: person.resume to the agent's
--                              next executed operation (no value without a resume
--                              followed by work)
--   crash_resume_s             mean over crashes: the runtime's crash to its
--                              replacement holding authority again (agent.plan_resumed)
--   rolled_back                reversible operations a cancellation compensated
--   not_rollbackable           irreversible ones it could not undo
--   refusals_during_pause      token requests refused while paused: the polling
--                              load a pause puts on the Person Server
CREATE OR REPLACE VIEW run_lifecycle AS
WITH lifecycle_runs AS (
  SELECT DISTINCT run_id FROM events
  WHERE type IN ('person.suspend', 'mission.cancelled', 'mission.completed', 'mission.timed_out', 'mission.reproposed', 'agent.crashed')
),
ends AS (
  SELECT run_id, max(t) AS end_t FROM events WHERE run_id IN (SELECT run_id FROM lifecycle_runs) GROUP BY run_id
),
pause_events AS (
  SELECT run_id, agent, type, t,
         lead(t) OVER (PARTITION BY run_id, agent ORDER BY seq) AS next_t,
         lead(type) OVER (PARTITION BY run_id, agent ORDER BY seq) AS next_type
  FROM events
  WHERE type IN ('person.suspend', 'person.resume')
),
pauses AS (
  SELECT p.run_id, p.agent, p.t AS from_t,
         CASE WHEN p.next_type = 'person.resume' THEN p.next_t ELSE e.end_t END AS until_t
  FROM pause_events p
  JOIN ends e ON e.run_id = p.run_id
  WHERE p.type = 'person.suspend'
),
per_pause AS (
  SELECT p.run_id,
         count(*) AS pauses,
         sum(p.until_t - p.from_t) / 1e6 AS paused_s
  FROM pauses p
  GROUP BY p.run_id
),
during AS (
  SELECT p.run_id,
         count(*) FILTER (WHERE e.type = 'op.executed') AS ops_during,
         count(*) FILTER (WHERE e.type = 'op.executed' AND e.irreversible) AS irreversible_during,
         count(*) FILTER (WHERE e.type = 'token.auth_denied') AS refusals_during
  FROM pauses p
  JOIN events e ON e.run_id = p.run_id AND e.agent = p.agent AND e.t >= p.from_t AND e.t < p.until_t
   AND e.type IN ('op.executed', 'token.auth_denied')
  GROUP BY p.run_id
),
resumes AS (
  SELECT r.run_id,
         avg((SELECT min(e.t) FROM events e
              WHERE e.run_id = r.run_id AND e.agent = r.agent AND e.type = 'op.executed' AND e.t >= r.t) - r.t) / 1e6 AS time_to_resume_s
  FROM events r
  WHERE r.type = 'person.resume'
  GROUP BY r.run_id
),
last_words AS (
  SELECT run_id, actor, arg_max(type, seq) AS last_type
  FROM events
  WHERE type IN ('agent.finished', 'agent.stopped') AND run_id IN (SELECT run_id FROM lifecycle_runs)
  GROUP BY run_id, actor
),
counts AS (
  SELECT run_id,
         count(*) FILTER (WHERE type = 'op.executed') AS ops_executed,
         count(*) FILTER (WHERE type = 'op.recalled') AS work_lost,
         count(*) FILTER (WHERE type = 'mission.reproposed') AS re_approvals,
         avg(since_crash_us) FILTER (WHERE type = 'agent.plan_resumed') / 1e6 AS crash_resume_s,
         count(*) FILTER (WHERE type = 'op.compensated') AS rolled_back,
         count(*) FILTER (WHERE type = 'op.not_compensable') AS not_rollbackable
  FROM events
  WHERE run_id IN (SELECT run_id FROM lifecycle_runs)
  GROUP BY run_id
)
SELECT c.run_id,
       coalesce(p.pauses, 0)::DOUBLE AS pauses,
       p.paused_s::DOUBLE AS paused_s,
       CASE WHEN p.pauses IS NULL THEN NULL ELSE coalesce(d.ops_during, 0) END::DOUBLE AS ops_during_pause,
       CASE WHEN p.pauses IS NULL THEN NULL ELSE coalesce(d.irreversible_during, 0) END::DOUBLE AS irreversible_during_pause,
       c.ops_executed::DOUBLE AS ops_executed,
       c.work_lost::DOUBLE AS work_lost,
       (SELECT count(*) FROM last_words w WHERE w.run_id = c.run_id AND w.last_type = 'agent.stopped')::DOUBLE AS workflows_abandoned,
       c.re_approvals::DOUBLE AS re_approvals,
       r.time_to_resume_s::DOUBLE AS time_to_resume_s,
       c.crash_resume_s::DOUBLE AS crash_resume_s,
       c.rolled_back::DOUBLE AS rolled_back,
       c.not_rollbackable::DOUBLE AS not_rollbackable,
       CASE WHEN p.pauses IS NULL THEN NULL ELSE coalesce(d.refusals_during, 0) END::DOUBLE AS refusals_during_pause
FROM counts c
LEFT JOIN per_pause p ON p.run_id = c.run_id
LEFT JOIN during d ON d.run_id = c.run_id
LEFT JOIN resumes r ON r.run_id = c.run_id
