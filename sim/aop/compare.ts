import type { AttackOutcome } from './attack-ledger.ts';
import type { OrchestrationSummary } from './metrics.ts';

/** One governance mode of a mission over many seeds: what was kept, and what it cost. */
export interface GovernanceRow {
  governance: 'aop' | 'chaining';
  /** Chaining: the Person Server that evaluated the AAuth side, with its authority model, narrowing and depth cap; null if none did. */
  person_server: string | null;
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
  /** Delegations and auth tokens the chaining side's Person Server refused. */
  ps_refusals: number;
  /** Took effect without a check: spawns by the code that would have refused them, hijacked Plan Bs, bypassed approval gates. */
  took_effect: Record<string, number>;
  /** Per attack: in how many runs each verdict (`refused by <party>: <code>`, `took effect: <code> (<where it shows>)`, `no effect (<why>)`). */
  attacks: Record<string, Record<string, number>>;
}

/** One attack's fate in one run, in words. */
export function verdictText(outcome: AttackOutcome): string {
  if (outcome.outcome === 'refused') return `refused by ${outcome.by}: ${outcome.code}`;
  if (outcome.outcome === 'took_effect') return `took effect: ${outcome.code} (${outcome.visible === 'log' ? 'the log shows it' : 'only the oracle knows'})`;
  return `no effect (${outcome.code})`;
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
  const attacks: Record<string, Record<string, number>> = {};
  for (const s of summaries) {
    add(outcomes, s.overall_outcome, 1);
    for (const outcome of s.attacks) add((attacks[outcome.attack] ??= {}), verdictText(outcome), 1);
    for (const [code, count] of Object.entries(s.spawns_rejected)) add(refused, code, count ?? 0);
    add(refused, 'SPO_INTEGRITY_VIOLATION', s.spo_integrity_violations);
    add(refused, 'MISSION_STATUS_WRITE_DENIED', s.status_writes_denied);
    for (const [code, count] of Object.entries(s.violations_executed.spawns)) add(tookEffect, code, count ?? 0);
    add(tookEffect, 'HIJACKED_PLAN_B', s.violations_executed.hijacked_plan_b);
    add(tookEffect, 'APPROVAL_GATE_BYPASSED', s.violations_executed.approval_gates_bypassed);
    add(tookEffect, 'MISSION_STATUS_FORGED', s.violations_executed.status_forged);
  }
  const ps = summaries[0]?.person_server ?? null;
  return {
    governance,
    person_server: ps && `${ps.actor} (${ps.model} authority, ${ps.narrowing} narrowing, depth cap ${ps.depthCap})`,
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
    ps_refusals: total((s) => s.ps_refusals),
    took_effect: tookEffect,
    attacks,
  };
}

/** Where each attack stands between the two governances: what AOP adds over the AAuth baseline. */
export interface AttackSplit {
  /** Refused in every run under both: the AAuth PS already stops it. */
  refused_by_both: string[];
  /** Refused in every run under AOP, took effect in some run under chaining: what AOP adds. */
  refused_only_by_aop: string[];
  /** The reverse (refused by the PS in every run, took effect under AOP in some). */
  refused_only_by_aauth: string[];
  /** Took effect in some run under both. */
  took_effect_under_both: string[];
  /** Anything else (never came into play in some run, or refused in only some runs). */
  other: string[];
}

export function attackSplit(rows: readonly GovernanceRow[]): AttackSplit {
  const aop = rows.find((r) => r.governance === 'aop');
  const chaining = rows.find((r) => r.governance === 'chaining');
  const split: AttackSplit = { refused_by_both: [], refused_only_by_aop: [], refused_only_by_aauth: [], took_effect_under_both: [], other: [] };
  const count = (row: GovernanceRow | undefined, attack: string, prefix: string) =>
    Object.entries(row?.attacks[attack] ?? {})
      .filter(([verdict]) => verdict.startsWith(prefix))
      .reduce((sum, [, n]) => sum + n, 0);
  const refusedAlways = (row: GovernanceRow | undefined, attack: string) => row !== undefined && count(row, attack, 'refused') === row.runs;
  const tookEffect = (row: GovernanceRow | undefined, attack: string) => count(row, attack, 'took effect') > 0;
  for (const attack of new Set(rows.flatMap((r) => Object.keys(r.attacks)))) {
    if (refusedAlways(aop, attack) && refusedAlways(chaining, attack)) split.refused_by_both.push(attack);
    else if (refusedAlways(aop, attack) && tookEffect(chaining, attack)) split.refused_only_by_aop.push(attack);
    else if (refusedAlways(chaining, attack) && tookEffect(aop, attack)) split.refused_only_by_aauth.push(attack);
    else if (tookEffect(aop, attack) && tookEffect(chaining, attack)) split.took_effect_under_both.push(attack);
    else split.other.push(attack);
  }
  return split;
}
