-- atlas_run_metrics: every per-run metric of run_metrics, plus the atlas's
-- own per-run measures (the gap atlas, scenarios/atlas/gaps.yaml, and seed
-- 000's table "Does the draft answer it?"). Long form (run_id, metric, value).
--   runs_irreversible_after_termination  1 when an irreversible operation of a
--                        terminated mission executed after its termination, else
--                        0 (a 0/1 indicator per run: its mean is a share of runs)
--   ops_without_approved_mission  executed operations carrying no mission, or one
--                        the run's log never shows approved (seed 000 row 1)
--   downstream_ops       operations executed by agents a delegation made
--   downstream_ops_uncorrelated  of those, the ones whose mission is not the
--                        mission of the delegation that made the agent, or made
--                        by a delegation under no mission at all (row 2)
--   federated_decisions  federated requests the other domain's AS decided
CREATE OR REPLACE VIEW atlas_run_metrics AS
WITH stops AS (
  SELECT run_id, (sum(irreversible_after) > 0)::INTEGER::DOUBLE AS runs_irreversible_after_termination
  FROM mission_revocation
  GROUP BY run_id
),
approved AS (
  SELECT DISTINCT run_id, mission FROM events WHERE type = 'mission.approved' AND mission IS NOT NULL
),
delegated AS (
  SELECT DISTINCT run_id, child AS agent, mission FROM events WHERE type = 'delegation.granted' AND child IS NOT NULL
),
ops AS (
  SELECT e.run_id,
         count(*) FILTER (WHERE a.mission IS NULL)::DOUBLE AS ops_without_approved_mission,
         count(*) FILTER (WHERE d.agent IS NOT NULL)::DOUBLE AS downstream_ops,
         count(*) FILTER (WHERE d.agent IS NOT NULL AND (d.mission IS NULL OR e.mission IS DISTINCT FROM d.mission))::DOUBLE AS downstream_ops_uncorrelated
  FROM events e
  LEFT JOIN approved a ON a.run_id = e.run_id AND a.mission = e.mission
  LEFT JOIN (SELECT run_id, agent, any_value(mission) AS mission FROM delegated GROUP BY run_id, agent) d
    ON d.run_id = e.run_id AND d.agent = e.agent
  WHERE e.type = 'op.executed'
  GROUP BY e.run_id
),
federated AS (
  SELECT run_id, count(DISTINCT request)::DOUBLE AS federated_decisions
  FROM truth
  WHERE kind = 'decision' AND decider LIKE 'as:%'
  GROUP BY run_id
)
SELECT run_id, metric, value FROM run_metrics
UNION ALL
SELECT run_id, 'runs_irreversible_after_termination', runs_irreversible_after_termination FROM stops
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT ops ON ops_without_approved_mission, downstream_ops, downstream_ops_uncorrelated INTO NAME metric VALUE value
)
UNION ALL
SELECT run_id, 'federated_decisions', federated_decisions FROM federated
