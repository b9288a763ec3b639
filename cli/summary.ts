import type { AttackOutcome } from '../sim/aop/attack-ledger.ts';
import type { RunManifest } from '../sim/run.ts';

const fixed = (value: number, digits = 4) => value.toFixed(digits);

/** What became of one attack: refused (by whom, with what), took effect (and who can see it), or no effect (never came into play, or no target). */
export function attackLine(a: AttackOutcome): string {
  const outcome =
    a.outcome === 'refused'
      ? `refused by ${a.by} (${a.code})`
      : a.outcome === 'took_effect'
        ? `took effect, ${a.code} (${a.visible === 'log' ? 'the log shows it' : 'only the oracle knows'})`
        : `no effect (${a.code})`;
  return `attack ${a.attack}: ${outcome}`;
}

/** A few lines a person can read after a run: where it went and what the queues did. */
export function formatRunSummary(manifest: RunManifest, outDir: string): string {
  const lines = [`${manifest.scenario.name} (seed ${manifest.seed}): ${manifest.events} events -> ${outDir}`, `  fingerprint ${manifest.fingerprint}`];
  // Queues that saw no work say nothing worth a line.
  for (const q of manifest.summary.queues.filter((queue) => queue.arrivals > 0)) {
    lines.push(
      `  queue ${q.resource} (c=${q.servers}): arrivals ${q.arrivals}, completed ${q.completed}, rejected ${q.rejected}, ` +
        `utilization ${fixed(q.utilization)}, mean wait ${fixed(q.mean_wait_s)}s, mean sojourn ${fixed(q.mean_sojourn_s)}s, ` +
        `L ${fixed(q.mean_in_system)} (Little's law ${fixed(q.littles_law_l)})`,
    );
    if (q.theory) {
      lines.push(
        `    M/M/${q.servers} theory: utilization ${fixed(q.theory.utilization)}, mean wait ${fixed(q.theory.meanWait)}s, ` +
          `mean sojourn ${fixed(q.theory.meanSojourn)}s, L ${fixed(q.theory.meanInSystem)}`,
      );
    }
  }
  for (const m of manifest.summary.missions) {
    const ended =
      m.terminated_at_s === null
        ? 'not terminated'
        : `terminated at ${m.terminated_at_s.toFixed(1)}s, ${m.operations_after_termination} operations after it (${m.irreversible_after_termination} irreversible), revocation window ${m.revocation_window_s?.toFixed(3)}s`;
    lines.push(`  mission of ${m.agent} ${m.mission ?? '(no mission: static scopes)'}: ${m.operations_executed} operations executed, ${ended}`);
  }
  const aop = manifest.summary.orchestration;
  if (aop) {
    const refused =
      Object.entries(aop.spawns_rejected)
        .map(([code, n]) => `${code} ${n}`)
        .join(', ') || 'none';
    lines.push(
      `  orchestration (${aop.governance}) ${aop.mission}: ${aop.overall_outcome} in ${aop.makespan_s?.toFixed(1) ?? '-'}s, plan v${aop.plan_versions}, ` +
        `critical path ${aop.critical_path.join(' > ')} (expected ${aop.critical_path_expected_s.toFixed(1)}s)`,
      `    costs: ${aop.gec_round_trips} GEC round trips (${aop.governance_latency_s.toFixed(3)}s), ${aop.at_risk} AT_RISK, ${aop.plan_b_activated} Plan B, ` +
        `${aop.escalations} escalations, ${aop.person_interruptions} person interruptions (${aop.person_wait_s.toFixed(1)}s waiting)`,
      `    refused: ${refused}; SPO integrity violations ${aop.spo_integrity_violations}; Mission Status writes denied ${aop.status_writes_denied}` +
        (aop.person_server
          ? `; refused by ${aop.person_server.actor} (${aop.person_server.model}, ${aop.person_server.narrowing}, depth cap ${aop.person_server.depthCap}) ${aop.ps_refusals}`
          : ''),
      ...aop.attacks.map((attack) => `    ${attackLine(attack)}`),
    );
  }
  // Seed 002: runtimes of another class presenting a mission (docs/mission-class.md).
  for (const attack of manifest.summary.class_attacks ?? []) lines.push(`  ${attackLine(attack)}`);
  const a = manifest.summary.authority;
  // Only runs where authority was exercised: decisions, delegations or disclosures beyond a clean trail.
  if (a.executed_outside_intent + a.false_denials + a.cross_domain_disagreements + a.body_disclosures + a.delegations_granted + a.delegations_rejected > 0) {
    const byDepth = Object.entries(a.executed_outside_intent_by_depth)
      .map(([depth, n]) => `depth ${depth}: ${n}`)
      .join(', ');
    lines.push(
      `  authority: ${a.executed_outside_intent} of ${a.operations_executed} executed operations outside the intent${byDepth ? ` (${byDepth})` : ''}, ` +
        `${a.violations_provable_from_log} provable from the log, ${a.violations_oracle_only} visible only to the oracle; ` +
        `${a.false_denials} false denials, ${a.cross_domain_disagreements} cross-domain disagreements, ${a.body_disclosures} body disclosures; ` +
        `delegations ${a.delegations_granted} granted (${a.delegations_outside_intent} outside the intent), ${a.delegations_rejected} rejected`,
    );
  }
  lines.push(`  truth ${manifest.truth.records} records (truth.jsonl)`);
  return lines.join('\n');
}
