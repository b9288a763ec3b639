import { inside, outsideReason, type Envelope, type OpFacts } from '../authority/envelope.ts';
import type { MetricsTally } from './metrics.ts';

interface MissionEntry {
  mission: string | null;
  intent: Envelope;
  /** Whether the audit log alone shows this operation outside what was approved. */
  logShowsOutside: (op: OpFacts) => boolean;
}

/**
 * The oracle: knows every mission's true intent and every agent's place in
 * its delegation tree, and judges each executed operation against the
 * root intent (what the person approved, not what any hop was granted).
 * Resources report executions to it; it writes `op` truth records.
 */
export class Oracle {
  private readonly missions = new Map<string, MissionEntry>();
  /** agent -> [root agent, depth] */
  private readonly hops = new Map<string, { root: string; depth: number }>();

  mission(rootAgent: string, entry: MissionEntry): void {
    this.missions.set(rootAgent, entry);
    this.hops.set(rootAgent, { root: rootAgent, depth: 0 });
  }

  hop(agent: string, rootAgent: string, depth: number): void {
    this.hops.set(agent, { root: rootAgent, depth });
  }

  depthOf(agent: string): number {
    return this.hops.get(agent)?.depth ?? 0;
  }

  /** Whether an operation lies inside the root intent of the agent's mission (true when the agent has none). */
  intended(agent: string, op: OpFacts): boolean {
    const entry = this.entryOf(agent);
    return entry === undefined || inside(entry.intent, op);
  }

  private entryOf(agent: string): MissionEntry | undefined {
    const hop = this.hops.get(agent);
    return hop ? this.missions.get(hop.root) : undefined;
  }

  /** An operation executed (its effect happened): one `op` record. */
  executed(truth: MetricsTally, t: number, eventSeq: number, agent: string, op: OpFacts): void {
    const entry = this.entryOf(agent);
    const reason = entry ? outsideReason(entry.intent, op) : null;
    truth.write({
      kind: 'op', t, event_seq: eventSeq, mission: entry?.mission ?? null, agent, depth: op.depth,
      resource: op.resource, op: op.operation, class: op.class, action: op.action, args: op.args, stage: op.stage ?? null,
      intended: reason === null,
      outside_reason: reason,
      provable_from_log: reason !== null && entry !== undefined && entry.logShowsOutside(op),
    });
  }
}
