import type { TruthRecord } from './records.ts';
import type { TruthSink } from './truth-log.ts';

/** The authority metrics of one run, as the run summary reports them. */
export interface AuthorityMetrics {
  operations_executed: number;
  /** Executed operations outside the root intent, by delegation depth ("0", "1", ...). */
  executed_outside_intent_by_depth: Record<string, number>;
  executed_outside_intent: number;
  /** Of those, how many the audit log alone shows (a logged envelope or scope list), and how many only the oracle. */
  violations_provable_from_log: number;
  violations_oracle_only: number;
  /** Decisions that refused an intended operation (by a PS or an AS). */
  false_denials: number;
  /** Federated requests on which the PS and the AS decided differently. */
  cross_domain_disagreements: number;
  /** Mission bodies sent to another trust domain. */
  body_disclosures: number;
  delegations_granted: number;
  delegations_rejected: number;
  /** Minted delegations whose grant lies outside the root intent. */
  delegations_outside_intent: number;
}

/**
 * Computes the metrics from the truth records alone, as they are written,
 * so the analysis layer can define the same numbers in SQL over
 * truth.jsonl (joined to events.jsonl on event_seq).
 */
export class MetricsTally implements TruthSink {
  private readonly metrics: AuthorityMetrics = {
    operations_executed: 0,
    executed_outside_intent_by_depth: {},
    executed_outside_intent: 0,
    violations_provable_from_log: 0,
    violations_oracle_only: 0,
    false_denials: 0,
    cross_domain_disagreements: 0,
    body_disclosures: 0,
    delegations_granted: 0,
    delegations_rejected: 0,
    delegations_outside_intent: 0,
  };
  /** PS verdicts on federated requests still waiting for the AS's (request id -> allow). */
  private readonly psVerdicts = new Map<string, boolean>();

  constructor(private readonly next: TruthSink) {}

  write(record: TruthRecord): void {
    const m = this.metrics;
    switch (record.kind) {
      case 'op':
        m.operations_executed++;
        if (!record.intended) {
          m.executed_outside_intent++;
          const depth = String(record.depth);
          m.executed_outside_intent_by_depth[depth] = (m.executed_outside_intent_by_depth[depth] ?? 0) + 1;
          if (record.provable_from_log) m.violations_provable_from_log++;
          else m.violations_oracle_only++;
        }
        break;
      case 'decision':
        if (record.intended && !record.allow) m.false_denials++;
        if (record.decider.startsWith('ps:')) {
          if (record.request.includes('>')) this.psVerdicts.set(record.request, record.allow);
        } else {
          const ps = this.psVerdicts.get(record.request);
          if (ps !== undefined && ps !== record.allow) m.cross_domain_disagreements++;
          this.psVerdicts.delete(record.request);
        }
        break;
      case 'disclosure':
        if (record.what === 'body') m.body_disclosures++;
        break;
      case 'delegation':
        if (record.allow) {
          m.delegations_granted++;
          if (!record.within_intent) m.delegations_outside_intent++;
        } else {
          m.delegations_rejected++;
          // A hop refused although its grant lies inside the intent: intended work refused before it was asked for.
          if (record.within_intent) m.false_denials++;
        }
        break;
      case 'mission':
      case 'policy':
      case 'attack':
        break;
    }
    this.next.write(record);
  }

  summary(): AuthorityMetrics {
    const byDepth = this.metrics.executed_outside_intent_by_depth;
    const sorted = Object.fromEntries(
      Object.keys(byDepth)
        .sort((a, b) => Number(a) - Number(b))
        .map((k) => [k, byDepth[k] as number]),
    );
    return { ...this.metrics, executed_outside_intent_by_depth: sorted };
  }
}
