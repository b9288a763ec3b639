import type { OpFacts } from '../authority/envelope.ts';
import type { MonitorDef } from '../scenario/schema.ts';

/** Which cumulative check crossed its limit, and the figure that crossed it. */
export interface Crossing {
  detector: 'budget' | 'flow';
  value: number;
}

/**
 * Checks no single operation can fail (seed 000 gap 6, "within some
 * plausible reading"): each call is inside the enforced policy, the
 * combination is not. Both read only the operations' logged arguments,
 * over every hop of the mission (the monitor follows a mission by its root).
 * - budget: the sum of `arg` over the mission's executed operations
 *   passes `limit` (cumulative spend across calls and hops).
 * - flow: the mission reads records of more than `max_distinct` distinct
 *   owners (values of `arg`): what one export could aggregate. It alarms
 *   at the read that crosses, and the release gate holds any later
 *   transfer (an information-flow rule).
 */
export class CumulativeWatch {
  private spent = 0;
  private readonly readValues = new Set<number>();

  constructor(
    private readonly budget: MonitorDef['budget'],
    private readonly flow: MonitorDef['flow'],
  ) {}

  /** The crossing an operation would cause if it ran now (the release gate asks before it runs). */
  wouldCross(op: OpFacts): Crossing | null {
    if (this.budget) {
      const spent = this.spent + (op.args[this.budget.arg] ?? 0);
      if (spent > this.budget.limit) return { detector: 'budget', value: spent };
    }
    if (this.flow && op.action === 'transfer' && this.readValues.size > this.flow.max_distinct) {
      return { detector: 'flow', value: this.readValues.size };
    }
    return null;
  }

  /** An executed operation; the crossing it caused, if any. */
  add(op: OpFacts): Crossing | null {
    const crossing = this.wouldCross(op);
    if (this.budget) this.spent += op.args[this.budget.arg] ?? 0;
    const value = this.flow ? op.args[this.flow.arg] : undefined;
    if (this.flow && op.action === 'read' && value !== undefined && !this.readValues.has(value)) {
      this.readValues.add(value);
      if (this.readValues.size > this.flow.max_distinct) return { detector: 'flow', value: this.readValues.size };
    }
    return crossing;
  }
}
