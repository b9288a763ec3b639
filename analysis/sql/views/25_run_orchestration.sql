-- run_orchestration: one row per run with AOP orchestration events (seed 003).
--   aop_refusals      what the GEC refused: spawns (aop.spawn_rejected), Plan B
--                     activations from an altered Standing Plan Object
--                     (aop.spo_integrity_violation), direct Mission Status
--                     writes (aop.status_write_denied). Zero under plain
--                     chaining by definition (there is no GEC).
--   attack_refusals   what either governance refused: the GEC's refusals above,
--                     plus, under plain chaining, the Person Server's refused
--                     delegations (delegation.rejected) and auth tokens
--                     (token.auth_denied) (orchestration.person_server). In an
--                     attack scenario every refusal is one attack stopped.
--   aop_escalations   re-planning escalated to the human (ALE-053)
--   aop_plan_b        bounded Plan B activations (ALE-052)
--   aop_makespan_s    mission open (ALE-042) to close (ALE-055); NULL if it never closed
CREATE OR REPLACE VIEW run_orchestration AS
SELECT run_id,
       count(*) FILTER (WHERE type IN ('aop.spawn_rejected', 'aop.spo_integrity_violation', 'aop.status_write_denied'))::DOUBLE AS aop_refusals,
       count(*) FILTER (WHERE type IN ('aop.spawn_rejected', 'aop.spo_integrity_violation', 'aop.status_write_denied', 'delegation.rejected', 'token.auth_denied'))::DOUBLE AS attack_refusals,
       count(*) FILTER (WHERE type = 'aop.replan_escalated')::DOUBLE AS aop_escalations,
       count(*) FILTER (WHERE type = 'aop.replan_bounded_activated')::DOUBLE AS aop_plan_b,
       (max(t) FILTER (WHERE type = 'aop.mission_close') - min(t) FILTER (WHERE type = 'aop.mission_open')) / 1e6 AS aop_makespan_s
FROM events
WHERE type LIKE 'aop.%' OR type IN ('delegation.rejected', 'token.auth_denied')
GROUP BY run_id
HAVING count(*) FILTER (WHERE type LIKE 'aop.%') > 0
