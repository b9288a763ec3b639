import type { OpFacts } from '../authority/envelope.ts';
import { actionStrength as rank } from '../protocol/plausible-reading.ts';

/**
 * What the monitor can say about one operation from the log alone: the
 * features it finds unusual, relative to the mission's early behaviour.
 * It never sees `intended` (the oracle's): an unusual operation may be
 * legitimate (the report written at the end), and drift that looks like
 * the early work passes unnoticed.
 */
export type SuspicionFeature =
  /** resource/operation never executed during the mission's first `baseline` operations */
  | 'new-operation'
  /** a data class never touched during them */
  | 'new-class'
  /** an action stronger (read < write < transfer) than any of them */
  | 'stronger-action'
  /** a transfer or irreversible operation after an unusual operation of this mission */
  | 'export-after-unusual';

export interface Suspicion {
  flagged: boolean;
  features: SuspicionFeature[];
}

/**
 * One mission's behaviour as the monitor has watched it. The first
 * `baseline` executed operations are learned (none is flagged: there is
 * too little yet to compare with); after that an operation is scored by its
 * features and flagged when it has at least `minFeatures` of them. The
 * baseline is frozen, so a drift keeps looking unusual however often it
 * repeats, and drift that starts inside the baseline is learned as normal
 * (a miss).
 */
export class ObservedBehaviour {
  private readonly operations = new Set<string>();
  private readonly classes = new Set<string>();
  private strongest = -1;
  private observed = 0;
  private unusualSeen = false;

  constructor(
    private readonly baseline: number,
    private readonly minFeatures: number,
  ) {}

  /**
   * The features of an operation that may never run (one the release gate
   * holds), without learning from it: judged against what the mission has
   * done so far even inside the baseline, so an export before any usual
   * behaviour exists is never taken as usual.
   */
  score(op: OpFacts, irreversible: boolean): Suspicion {
    const features = this.features(op, irreversible);
    return { flagged: features.length >= this.minFeatures, features };
  }

  private features(op: OpFacts, irreversible: boolean): SuspicionFeature[] {
    const features: SuspicionFeature[] = [];
    if (!this.operations.has(`${op.resource}/${op.operation}`)) features.push('new-operation');
    if (!this.classes.has(op.class)) features.push('new-class');
    if (rank(op.action) > this.strongest) features.push('stronger-action');
    if ((irreversible || op.action === 'transfer') && this.unusualSeen) features.push('export-after-unusual');
    return features;
  }

  /** An executed operation: scored, then remembered (learned, never flagged, while in the baseline). */
  add(op: OpFacts, irreversible: boolean): Suspicion {
    const suspicion = this.observed < this.baseline ? { flagged: false, features: [] } : this.score(op, irreversible);
    if (this.observed < this.baseline) {
      this.operations.add(`${op.resource}/${op.operation}`);
      this.classes.add(op.class);
      this.strongest = Math.max(this.strongest, rank(op.action));
    } else if (suspicion.features.length > 0) {
      this.unusualSeen = true;
    }
    this.observed++;
    return suspicion;
  }
}
