-- run_lifecycle: one row per run: what the mission lifecycle cost (issue 5).
--   work_lost             operations withdrawn before they ran because their mission
--                         ended (op.recalled: queued, parked or in service at a
--                         termination or cancellation)
--   exposure_ops          operations that executed while their agent's mission was
--                         paused (after person.suspend, before the next person.resume)
--   reapprovals           new missions proposed after a pause (terminate-only
--                         profiles) or a runtime-bound crash (mission.reproposed)
--   time_to_resume_s      mean over resumes: person.resume to the agent's next
--                         executed operation (NULL without a resume)
--   crash_resume_s        mean over crashes: runtime crash to the replacement holding
--                         authority again (agent.plan_resumed since_crash_us)
--   person_interruptions  times a person was asked (person.asked)
--   rolled_back           reversible operations compensated by a cancellation;
--   not_rollbackable      irreversible ones it could not undo
CREATE OR REPLACE VIEW run_lifecycle AS
WITH pause_events AS (
  SELECT run_id, agent, type, t,
         lead(t) OVER (PARTITION BY run_id, agent ORDER BY seq) AS next_t,
         lead(type) OVER (PARTITION BY run_id, agent ORDER BY seq) AS next_type
  FROM events
  WHERE type IN ('person.suspend', 'person.resume')
),
pauses AS (
  SELECT run_id, agent, t AS from_t, CASE WHEN next_type = 'person.resume' THEN next_t END AS until_t
  FROM pause_events
  WHERE type = 'person.suspend'
),
exposure AS (
  SELECT p.run_id, count(e.seq) AS exposure_ops
  FROM pauses p
  JOIN events e ON e.run_id = p.run_id AND e.agent = p.agent AND e.type = 'op.executed'
   AND e.t > p.from_t AND (p.until_t IS NULL OR e.t < p.until_t)
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
counts AS (
  SELECT run_id,
         count(*) FILTER (WHERE type = 'op.recalled') AS work_lost,
         count(*) FILTER (WHERE type = 'mission.reproposed') AS reapprovals,
         avg(since_crash_us) FILTER (WHERE type = 'agent.plan_resumed') / 1e6 AS crash_resume_s,
         count(*) FILTER (WHERE type = 'person.asked') AS person_interruptions,
         count(*) FILTER (WHERE type = 'op.compensated') AS rolled_back,
         count(*) FILTER (WHERE type = 'op.not_compensable') AS not_rollbackable
  FROM events
  GROUP BY run_id
)
SELECT c.run_id,
       c.work_lost::DOUBLE AS work_lost,
       coalesce(x.exposure_ops, 0)::DOUBLE AS exposure_ops,
       c.reapprovals::DOUBLE AS reapprovals,
       r.time_to_resume_s,
       c.crash_resume_s,
       c.person_interruptions::DOUBLE AS person_interruptions,
       c.rolled_back::DOUBLE AS rolled_back,
       c.not_rollbackable::DOUBLE AS not_rollbackable
FROM counts c
LEFT JOIN exposure x ON x.run_id = c.run_id
LEFT JOIN resumes r ON r.run_id = c.run_id
