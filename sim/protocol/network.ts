import type { Distribution } from '../engine/distribution.ts';
import type { Rng } from '../engine/random.ts';
import type { Handler } from '../engine/simulation.ts';
import type { WorldContext } from '../world/context.ts';

/**
 * Message delivery between actors: each directed link draws its one-way
 * latency from its own random stream, so adding a link does not change the
 * latencies of any other.
 */
export class Network {
  // Nested by sender then receiver: no string building on every message.
  private readonly links = new Map<string, Map<string, Rng>>();

  constructor(
    private readonly ctx: WorldContext,
    private readonly latency: Distribution,
  ) {}

  /** Delivers `handler(arg)` at the receiver after one link latency. */
  send<A>(from: string, to: string, handler: Handler<A>, arg: A): void {
    this.ctx.sim.schedule(this.latency.sample(this.link(from, to)), handler, arg);
  }

  private link(from: string, to: string): Rng {
    let outgoing = this.links.get(from);
    if (!outgoing) {
      outgoing = new Map();
      this.links.set(from, outgoing);
    }
    let rng = outgoing.get(to);
    if (!rng) {
      rng = this.ctx.stream(`net:${from}->${to}`);
      outgoing.set(to, rng);
    }
    return rng;
  }
}
