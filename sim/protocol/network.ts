import type { Distribution } from '../engine/distribution.ts';
import type { RandomState, Rng } from '../engine/random.ts';
import type { Handler } from '../engine/simulation.ts';
import type { ActorContext } from '../context/actor-context.ts';

/** How long an agent waits for an answer before sending the request again, and how often. */
export interface RetryPolicy {
  timeout: number;
  retries: number;
}

/**
 * Message delivery between actors: each directed link draws its one-way
 * latency from its own random stream, so adding a link does not change the
 * latencies of any other. Links that carry agent messages may also lose
 * them (`sendLossy`); loss is drawn from the link's own `/loss` stream, so
 * switching loss on does not shift any latency draw, and a link without
 * loss draws nothing at all.
 */
export class Network {
  // Nested by sender then receiver: no string building on every message.
  private readonly links = new Map<string, Map<string, Link>>();

  /**
   * Latency draws go through this one function, which reads the stream of
   * the link being drawn from (`delay`): a link keeps its stream's state but
   * no bound function of its own, about 50 B less per link (a large run has
   * 7-8 links per agent). A draw is synchronous, so nothing can interleave.
   */
  private drawing: RandomState | undefined;
  private readonly drawLatency: Rng = () => (this.drawing as RandomState).next();

  constructor(
    private readonly ctx: ActorContext,
    private readonly latency: Distribution,
    /** Loss probability of a directed link, by actor ids (fixed for the run). */
    private readonly loss: (from: string, to: string) => number = () => 0,
    /** How agents wait for answers on lossy links (scenario `network.timeout`, `network.retries`). */
    readonly retry: RetryPolicy = { timeout: 30_000_000, retries: 3 },
  ) {}

  /** Delivers `handler(arg)` at the receiver after one link latency. */
  send<A>(from: string, to: string, handler: Handler<A>, arg: A): void {
    this.ctx.sim.schedule(this.delay(this.link(from, to)), handler, arg);
  }

  /** Whether messages on this directed link can be lost. */
  lossy(from: string, to: string): boolean {
    return this.link(from, to).loss > 0;
  }

  /** Like `send`, but the message may be lost on the way (recorded as `message.lost` by the sender). */
  sendLossy<A>(from: string, to: string, handler: Handler<A>, arg: A, mission: string | null = null): void {
    this.sendOn(this.link(from, to), handler, arg, mission);
  }

  /** `sendLossy` on a link already looked up (a request keeps its two links rather than looking them up per message). */
  sendOn<A>(link: Link, handler: Handler<A>, arg: A, mission: string | null): void {
    if (link.loss > 0 && link.lossStream(this.ctx)() < link.loss) {
      this.ctx.record('message.lost', mission, link.from, { to: link.to });
      return;
    }
    this.ctx.sim.schedule(this.delay(link), handler, arg);
  }

  /** One latency draw from the link's own stream. */
  private delay(link: Link): number {
    this.drawing = link.latency;
    return this.latency.sample(this.drawLatency);
  }

  /** The directed link between two actors (made on first use). */
  link(from: string, to: string): Link {
    let outgoing = this.links.get(from);
    if (!outgoing) {
      outgoing = new Map();
      this.links.set(from, outgoing);
    }
    let link = outgoing.get(to);
    if (!link) {
      // The loss is looked up once per link, not on every message.
      link = new Link(this.ctx.streamState(`net:${from}->${to}`), this.loss(from, to), from, to);
      outgoing.set(to, link);
    }
    return link;
  }

  /**
   * The link back along `link` (to -> from), where a request's answers
   * travel. Kept on the link once looked up: a Person Server or resource
   * talks to every agent, so its table of links is as large as the world,
   * and one lookup in it per request was a few percent of a large run.
   * Each link still has its own stream, seeded by its ids, whenever it is
   * made: the draws do not depend on the order links are made in.
   */
  reverse(link: Link): Link {
    return (link.back ??= this.link(link.to, link.from));
  }
}

/** One directed link: its latency stream, its loss, and (made on first use) its loss stream. */
export class Link {
  private lossRng: Rng | undefined;
  /** The link the other way (Network.reverse). */
  back: Link | undefined;

  constructor(
    /** The latency stream (drawn through `Network.delay`). */
    readonly latency: RandomState,
    readonly loss: number,
    readonly from: string,
    readonly to: string,
  ) {}

  lossStream(ctx: ActorContext): Rng {
    return (this.lossRng ??= ctx.stream(`net:${this.from}->${this.to}/loss`));
  }
}
