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
--   attacks              attacks (issue 17 item 3) that were refused or took effect,
--                        from the truth `attack` records the attackers write (one
--                        per attack and outcome; docs/truth-records.md)
--   attacks_effective    of those, attacks that took effect (an `attack` record with
--                        outcome took_effect, even after an earlier refusal)
--   attacks_refused      attacks refused and never effective; _by_ps and
--                        _by_resource split them by the party that refused first
--   attacks_visible_in_log  attacks a reader of events.jsonl alone sees: refused
--                        (the refusal is logged) or effective with visible = log
--   attacks_oracle_only  effective attacks only truth.jsonl shows
--                        A run whose attackers never came into play has no rows.
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
),
attack_outcomes AS (
  SELECT run_id, attack,
         bool_or(outcome = 'took_effect') AS effective,
         bool_or(outcome = 'took_effect' AND visible = 'log') AS effective_in_log,
         arg_min(decider, event_seq) FILTER (WHERE outcome = 'refused') AS refused_by
  FROM truth
  WHERE kind = 'attack'
  GROUP BY run_id, attack
),
attacks AS (
  SELECT run_id,
         count(*)::DOUBLE AS attacks,
         count(*) FILTER (WHERE effective)::DOUBLE AS attacks_effective,
         count(*) FILTER (WHERE NOT effective)::DOUBLE AS attacks_refused,
         count(*) FILTER (WHERE NOT effective AND refused_by LIKE 'ps:%')::DOUBLE AS attacks_refused_by_ps,
         count(*) FILTER (WHERE NOT effective AND refused_by LIKE 'resource:%')::DOUBLE AS attacks_refused_by_resource,
         count(*) FILTER (WHERE NOT effective OR effective_in_log)::DOUBLE AS attacks_visible_in_log,
         count(*) FILTER (WHERE effective AND NOT effective_in_log)::DOUBLE AS attacks_oracle_only
  FROM attack_outcomes
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
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT attacks
  ON attacks, attacks_effective, attacks_refused, attacks_refused_by_ps, attacks_refused_by_resource,
     attacks_visible_in_log, attacks_oracle_only
  INTO NAME metric VALUE value
)
