import type { ActorContext } from '../context/actor-context.ts';
import type { Distribution } from '../engine/distribution.ts';
import type { Rng } from '../engine/random.ts';
import { GEC } from './gec.ts';
import type { OrchestrationTally } from './metrics.ts';

/**
 * The channel between a mission's agents and its GEC: every message an
 * agent sends the GEC (and its answer) is one round trip of
 * `orchestration.gec_latency`, drawn from one stream in the order the
 * messages are sent. Under chaining the same round trip stands for one
 * token exchange. Once the mission has closed nothing is delivered.
 */
export class GecLink {
  private readonly rng: Rng;
  private closed = false;

  constructor(
    private readonly ctx: ActorContext,
    private readonly latency: Distribution,
    private readonly tally: OrchestrationTally,
  ) {
    this.rng = ctx.stream(GEC);
  }

  /** `deliver` runs after one round trip, unless the mission closed meanwhile. */
  send(deliver: () => void): void {
    const delay = this.latency.sample(this.rng);
    this.tally.roundTrip(delay);
    this.ctx.sim.schedule(delay, () => {
      if (!this.closed) deliver();
    });
  }

  /** The mission closed: its sessions are torn down. */
  close(): void {
    this.closed = true;
  }
}
