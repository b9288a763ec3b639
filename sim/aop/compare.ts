import type { OrchestrationSummary } from './metrics.ts';

/** One governance mode of a mission over many seeds: what was kept, and what it cost. */
export interface GovernanceRow {
  governance: 'aop' | 'chaining';
  runs: number;
  outcomes: Record<string, number>;
  mean_makespan_s: number;
  mean_governance_latency_s: number;
  mean_gec_round_trips: number;
  escalations: number;
  person_interruptions: number;
  mean_person_wait_s: number;
  plan_b_activated: number;
  /** Refused by the GEC, by error code (plus SPO_INTEGRITY_VIOLATION). */
  refused: Record<string, number>;
  /** Took effect without a check: spawns by the code that would have refused them, hijacked Plan Bs, bypassed approval gates. */
  took_effect: Record<string, number>;
}

const add = (into: Record<string, number>, key: string, n: number) => {
  if (n > 0) into[key] = (into[key] ?? 0) + n;
};

/** The runs of one governance mode, aggregated (cli/aop-compare.ts runs them). */
export function aggregate(governance: 'aop' | 'chaining', summaries: readonly OrchestrationSummary[]): GovernanceRow {
  const n = summaries.length;
  const mean = (pick: (s: OrchestrationSummary) => number) => summaries.reduce((sum, s) => sum + pick(s), 0) / Math.max(1, n);
  const total = (pick: (s: OrchestrationSummary) => number) => summaries.reduce((sum, s) => sum + pick(s), 0);
  const outcomes: Record<string, number> = {};
  const refused: Record<string, number> = {};
  const tookEffect: Record<string, number> = {};
  for (const s of summaries) {
    add(outcomes, s.overall_outcome, 1);
    for (const [code, count] of Object.entries(s.spawns_rejected)) add(refused, code, count ?? 0);
    add(refused, 'SPO_INTEGRITY_VIOLATION', s.spo_integrity_violations);
    add(refused, 'MISSION_STATUS_WRITE_DENIED', s.status_writes_denied);
    for (const [code, count] of Object.entries(s.violations_executed.spawns)) add(tookEffect, code, count ?? 0);
    add(tookEffect, 'HIJACKED_PLAN_B', s.violations_executed.hijacked_plan_b);
    add(tookEffect, 'APPROVAL_GATE_BYPASSED', s.violations_executed.approval_gates_bypassed);
    add(tookEffect, 'MISSION_STATUS_FORGED', s.violations_executed.status_forged);
  }
  return {
    governance,
    runs: n,
    outcomes,
    mean_makespan_s: mean((s) => s.makespan_s ?? 0),
    mean_governance_latency_s: mean((s) => s.governance_latency_s),
    mean_gec_round_trips: mean((s) => s.gec_round_trips),
    escalations: total((s) => s.escalations),
    person_interruptions: total((s) => s.person_interruptions),
    mean_person_wait_s: mean((s) => s.person_wait_s),
    plan_b_activated: total((s) => s.plan_b_activated),
    refused,
    took_effect: tookEffect,
  };
}
