import type { Rng } from '../engine/random.ts';
import type { CompiledDrift } from '../scenario/compile.ts';
import type { DriftDef } from '../scenario/schema.ts';

/**
 * How an agent departs from its plan (seed 000 gap 6, seed 004). Each plan
 * step goes through `steps`, which says what the agent actually does in its
 * place. Every departure is an ordinary request: authority judges it like
 * any other, and the oracle marks it `intended: false` if it lies outside
 * the person's intent. Draws come from the agent's own drift stream, so an
 * agent without drift draws nothing and existing runs are unchanged.
 */
export class Drift<S> {
  /**
   * The drift of an agent without any (most agents): it draws nothing and
   * holds nothing, so one instance serves them all rather than a stream and
   * two closures per agent. Leaving an agent's drift stream unmade changes
   * no other draw: streams are keyed by entity id, not by creation order.
   */
  static none<S>(): Drift<S> {
    return NO_DRIFT as Drift<S>;
  }

  private readonly from: number;
  private readonly rate: number;
  private readonly max: number;
  private readonly at: number;
  /** Gradual and plausible: plan steps met since drift began (the k of p = rate * k). */
  private stepsSinceFrom = 0;
  private injected = false;
  /** Plausible: drifted calls so far (their `vary` values are 1001, 1002, ...). */
  private widened = 0;

  constructor(
    drift: CompiledDrift,
    /** The `toward` operations, as steps the agent can perform. */
    private readonly toward: S[],
    private readonly rng: Rng,
    /** Plausible: the step with its `vary` argument set to a value (the agent knows its step's shape). */
    private readonly vary: (step: S, value: number) => S = (step) => step,
  ) {
    this.def = drift.def;
    this.from = drift.fromUs;
    this.rate = drift.rate;
    this.max = drift.max;
    this.at = drift.atUs;
  }

  private readonly def: Readonly<DriftDef> | undefined;

  /**
   * What the agent does at time `now` in place of the planned `step`.
   * `alone` is `[step]`, which it returns when the step is done as planned
   * (nearly always): a caller that keeps one (a planned step's own, shared
   * and never changed) makes no array per step.
   */
  steps(step: S, now: number, alone: readonly S[] = [step]): readonly S[] {
    switch (this.def?.model ?? 'none') {
      case 'gradual': {
        if (now < this.from) return alone;
        this.stepsSinceFrom++;
        const p = Math.min(this.max, this.rate * this.stepsSinceFrom);
        // Two draws per step whatever the outcome, so the stream stays aligned across parameter changes.
        const substitute = this.rng() < p;
        const pick = Math.floor(this.rng() * this.toward.length);
        return substitute ? [this.toward[pick] as S] : alone;
      }
      case 'plausible': {
        // Seed 000 gap 6, "within some plausible reading": the planned step runs, and then possibly one
        // more call of the same kinds the mission approved (another client's record, one more charge).
        if (now < this.from) return alone;
        this.stepsSinceFrom++;
        const p = Math.min(this.max, this.rate * this.stepsSinceFrom);
        const extra = this.rng() < p;
        const pick = Math.floor(this.rng() * this.toward.length);
        if (!extra) return alone;
        this.widened++;
        return [step, this.vary(this.toward[pick] as S, 1000 + this.widened)];
      }
      case 'injection':
        // The injected instruction runs once, before the step the agent was about to take
        // (seed 004: data sent to the attacker's server before the summary).
        if (this.injected || now < this.at) return alone;
        this.injected = true;
        return [...this.toward, step];
      default:
        return alone;
    }
  }
}

const NO_DRIFT = new Drift<unknown>({ def: undefined, fromUs: Infinity, atUs: Infinity, rate: 0, max: 0 }, [], () => {
  throw new Error('an agent without drift draws nothing');
});
