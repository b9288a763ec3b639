-- run_metrics: every per-run metric in long form (run_id, metric, value), the
-- input of replications. Revocation metrics are over the run's terminated
-- missions; a run with none contributes no revocation rows (and a run
-- without AOP events no orchestration rows, a run without a lifecycle event beyond
-- termination no lifecycle rows, a run without truth.jsonl no drift rows).
CREATE OR REPLACE VIEW run_metrics AS
WITH revocation AS (
  SELECT run_id,
         quantile_cont(revocation_window_s, 0.99) AS revocation_window_p99_s,
         max(revocation_window_s) AS revocation_window_max_s,
         sum(ops_after) AS ops_after_termination,
         sum(irreversible_after) AS irreversible_after_termination,
         max(control_plane_s) AS control_plane_max_s
  FROM mission_revocation
  GROUP BY run_id
)
SELECT run_id, metric, value
FROM (
  UNPIVOT revocation
  ON revocation_window_p99_s, revocation_window_max_s, ops_after_termination,
     irreversible_after_termination, control_plane_max_s
  INTO NAME metric VALUE value
)
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT (SELECT run_id, ps_token_rps, ps_peak_rps, ps_load_rps, as_token_rps, revocation_calls, status_checks, person_interactions FROM run_load)
  ON ps_token_rps, ps_peak_rps, ps_load_rps, as_token_rps, revocation_calls, status_checks, person_interactions
  INTO NAME metric VALUE value
)
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT run_orchestration
  ON aop_refusals, attack_refusals, aop_escalations, aop_plan_b, aop_makespan_s
  INTO NAME metric VALUE value
)
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT run_containment
  ON outside_intent, outside_provable, outside_oracle_only, false_denials, cross_domain_disagreements,
     body_disclosures, delegations_granted, delegations_rejected, delegations_outside_intent
  INTO NAME metric VALUE value
)
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT run_alignment
  ON monitor_alarms, gate_holds, gate_human_releases, gate_blocked, human_gate_load
  INTO NAME metric VALUE value
)
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT run_lifecycle
  ON pauses, paused_s, ops_during_pause, irreversible_during_pause, ops_executed, work_lost,
     workflows_abandoned, re_approvals, time_to_resume_s, crash_resume_s, rolled_back, not_rollbackable,
     refusals_during_pause
  INTO NAME metric VALUE value
)
UNION ALL
SELECT run_id, metric, value
FROM (
  UNPIVOT run_drift
  ON drifting_agents, detection_delay_s, unintended_before_detection, irreversible_before_detection,
     undetected_drifts, false_alarms
  INTO NAME metric VALUE value
)
