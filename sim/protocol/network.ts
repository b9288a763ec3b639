import type { Distribution } from '../engine/distribution.ts';
import { AleaState, type RandomState, type Rng } from '../engine/random.ts';
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
  // By sender, then by receiver: no string building on every message.
  private readonly senders = new Map<string, Outgoing>();

  /**
   * Latency draws go through this one function, which reads the stream of
   * the link being drawn from (`delay`): a link is its stream's state but
   * has no bound function of its own, about 50 B less per link (a large run
   * has 7-8 links per agent). A draw is synchronous, so nothing can interleave.
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

  /**
   * `sendLossy` on a link already looked up (a request keeps its two links
   * rather than looking them up per message). The handler is the whole
   * delivery event, nothing wrapped around it: an answer's handler settles
   * its request with Signal.fireAsLastAct, which is exact only as the
   * event's last act.
   */
  sendOn<A>(link: Link, handler: Handler<A>, arg: A, mission: string | null): void {
    if (link.loss > 0 && this.lossStream(link)() < link.loss) {
      this.ctx.record('message.lost', mission, link.from, { to: link.to });
      return;
    }
    this.ctx.sim.schedule(this.delay(link), handler, arg);
  }

  /**
   * A lossy link's own loss stream (made on first use). Kept here, not on
   * the link: nearly every link of a large world has no loss, and a field
   * on each was 8 B per link (about 2 MB at 30,000 agents, 8 links each).
   */
  private readonly lossStreams = new Map<Link, Rng>();
  private lossStream(link: Link): Rng {
    let stream = this.lossStreams.get(link);
    if (stream === undefined) {
      stream = this.ctx.stream(`net:${link.from}->${link.to}/loss`);
      this.lossStreams.set(link, stream);
    }
    return stream;
  }

  /** One latency draw from the link's own stream. */
  private delay(link: Link): number {
    this.drawing = link;
    return this.latency.sample(this.drawLatency);
  }

  /** The directed link between two actors (made on first use). */
  link(from: string, to: string): Link {
    return this.outgoing(from).to(to);
  }

  /**
   * The links out of one actor, for a sender that keeps them (an agent):
   * its own small table, where `link` first looks the sender up in a table
   * as large as the world, a few percent of a large run when done on every
   * request.
   */
  outgoing(from: string): Outgoing {
    let outgoing = this.senders.get(from);
    if (!outgoing) {
      outgoing = new Outgoing(from, this);
      this.senders.set(from, outgoing);
    }
    return outgoing;
  }

  /** A new link (Outgoing.to makes each once). */
  makeLink(from: string, to: string): Link {
    // The loss is looked up once per link, not on every message.
    return new Link(this.ctx.streamState(`net:${from}->${to}`), this.loss(from, to), from, to);
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

/** How many links a sender keeps in its array before they move into a Map (Outgoing). */
const FEW_LINKS = 6;

/**
 * The links out of one actor, by receiver (Network.outgoing). Most senders
 * are agents, which talk to a few peers (their PS and their plan's
 * resources): their links are a short array searched by receiver, about
 * 100 B less per agent than a Map (3 MB of a 30,000-agent world). A sender
 * that talks to more (a PS or a resource answers every agent) moves them
 * into a Map once the array is full.
 */
export class Outgoing {
  private readonly few: Link[] = new Array<Link>(FEW_LINKS);
  private count = 0;
  private many: Map<string, Link> | undefined = undefined;

  constructor(
    readonly from: string,
    private readonly network: Network,
  ) {}

  /** The link to `to` (made on first use). */
  to(to: string): Link {
    if (this.many !== undefined) return this.toMany(this.many, to);
    const few = this.few;
    for (let i = 0; i < this.count; i++) {
      const link = few[i] as Link;
      if (link.to === to) return link;
    }
    const link = this.network.makeLink(this.from, to);
    if (this.count < FEW_LINKS) few[this.count++] = link;
    else {
      this.many = new Map(few.map((each) => [each.to, each]));
      this.many.set(to, link);
    }
    return link;
  }

  private toMany(many: Map<string, Link>, to: string): Link {
    let link = many.get(to);
    if (!link) {
      link = this.network.makeLink(this.from, to);
      many.set(to, link);
    }
    return link;
  }
}

/**
 * One directed link: its loss and its latency stream, which the link
 * itself is (drawn through `Network.delay`): one object per link rather
 * than two, about 30 B per link, 7-8 links per agent in a large run. A
 * lossy link's loss stream is the network's (Network.lossStream).
 */
export class Link extends AleaState {
  /** The link the other way (Network.reverse). */
  back: Link | undefined;

  constructor(
    /** Where the latency stream starts (a copy is taken; the link is the stream from then on). */
    latency: RandomState,
    readonly loss: number,
    readonly from: string,
    readonly to: string,
  ) {
    super(latency);
  }
}
