-- run_lifecycle: one row per run in which a person paused a mission (issue 5's
-- lifecycle; seed 000's compliance pause). A pause is what the person asked
-- for, whatever the profile made of it: person.suspend to that agent's next
-- person.resume (or the end of the run). Missions are matched by agent, not
-- by s256, so a mission re-proposed after a terminate counts as the same work.
--   pauses                     pauses a person asked for
--   paused_s                   how long the person wanted the work paused
--   ops_during_pause           operations executed for a paused agent while its
--                              pause lasted: exposure, stopping too little
--   irreversible_during_pause  the irreversible ones among them
--   ops_executed               operations executed for the paused agents over
--                              the whole run: work done
--   ops_recalled               their queued or in-service work withdrawn (op.recalled)
--   workflows_abandoned        paused agents that stopped before finishing their
--                              plan (agent.stopped): work lost, stopping too much
--   re_approvals               missions approved for a paused agent beyond its
--                              first: re-proposals after a terminate
--   resume_delay_s             from the person's resume to the agent's next
--                              executed operation (the longest over the run's
--                              pauses; no value when work never resumed)
--   refusals_during_pause      token requests refused while paused: the polling
--                              load a pause puts on the Person Server
CREATE OR REPLACE VIEW run_lifecycle AS
WITH ends AS (
  SELECT run_id, max(t) AS end_t FROM events GROUP BY run_id
),
pauses AS (
  SELECT s.run_id, s.agent, s.t AS from_t,
         coalesce(
           (SELECT min(r.t) FROM events r
            WHERE r.run_id = s.run_id AND r.type = 'person.resume' AND r.agent = s.agent AND r.t >= s.t),
           e.end_t) AS until_t,
         (SELECT min(r.t) FROM events r
          WHERE r.run_id = s.run_id AND r.type = 'person.resume' AND r.agent = s.agent AND r.t >= s.t) AS resumed_t
  FROM events s
  JOIN ends e ON e.run_id = s.run_id
  WHERE s.type = 'person.suspend'
),
paused_agents AS (
  SELECT DISTINCT run_id, agent FROM pauses
),
per_pause AS (
  SELECT p.run_id,
         (p.until_t - p.from_t) / 1e6 AS paused_s,
         (SELECT count(*) FROM events o
          WHERE o.run_id = p.run_id AND o.type = 'op.executed' AND o.agent = p.agent
            AND o.t >= p.from_t AND o.t < p.until_t) AS ops_during,
         (SELECT count(*) FROM events o
          WHERE o.run_id = p.run_id AND o.type = 'op.executed' AND o.agent = p.agent AND o.irreversible
            AND o.t >= p.from_t AND o.t < p.until_t) AS irreversible_during,
         (SELECT count(*) FROM events o
          WHERE o.run_id = p.run_id AND o.type = 'token.auth_denied' AND o.agent = p.agent
            AND o.t >= p.from_t AND o.t < p.until_t) AS refusals_during,
         (SELECT (min(o.t) - p.resumed_t) / 1e6 FROM events o
          WHERE o.run_id = p.run_id AND o.type = 'op.executed' AND o.agent = p.agent AND o.t >= p.resumed_t) AS resume_delay_s
  FROM pauses p
),
per_agent AS (
  SELECT a.run_id,
         count(*) FILTER (WHERE e.type = 'op.executed') AS ops_executed,
         count(*) FILTER (WHERE e.type = 'op.recalled') AS ops_recalled,
         count(*) FILTER (WHERE e.type = 'agent.stopped') AS workflows_abandoned,
         greatest(count(*) FILTER (WHERE e.type = 'mission.approved') - count(DISTINCT a.agent), 0) AS re_approvals
  FROM paused_agents a
  JOIN events e ON e.run_id = a.run_id
   AND (e.agent = a.agent OR e.actor = 'agent:' || a.agent)
   AND e.type IN ('op.executed', 'op.recalled', 'agent.stopped', 'mission.approved')
  GROUP BY a.run_id
)
SELECT p.run_id,
       count(*)::DOUBLE AS pauses,
       sum(p.paused_s)::DOUBLE AS paused_s,
       sum(p.ops_during)::DOUBLE AS ops_during_pause,
       sum(p.irreversible_during)::DOUBLE AS irreversible_during_pause,
       any_value(a.ops_executed)::DOUBLE AS ops_executed,
       any_value(a.ops_recalled)::DOUBLE AS ops_recalled,
       any_value(a.workflows_abandoned)::DOUBLE AS workflows_abandoned,
       any_value(a.re_approvals)::DOUBLE AS re_approvals,
       max(p.resume_delay_s)::DOUBLE AS resume_delay_s,
       sum(p.refusals_during)::DOUBLE AS refusals_during_pause
FROM per_pause p
LEFT JOIN per_agent a ON a.run_id = p.run_id
GROUP BY p.run_id
