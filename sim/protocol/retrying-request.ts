import { Signal } from '../engine/process.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { Link, Network, RetryPolicy } from './network.ts';

/** What a request resolves to when every attempt went unanswered. */
export class NoAnswer {
  constructor(
    readonly peer: string,
    readonly attempts: number,
  ) {}

  get reason(): string {
    return `no answer from ${this.peer} after ${this.attempts} attempts`;
  }
}

/**
 * An agent's request over a link that may lose messages: sent, and if no
 * answer arrives within the timeout, sent again (`agent.retry`), up to
 * `retries` times; then it resolves to NoAnswer. The first answer wins, a
 * late one from an earlier attempt included. A request that was served but
 * whose answer was lost is served again: the receiver sees duplicates, as
 * real servers do. Where neither direction loses anything no timer is armed,
 * so runs without loss are exactly as before.
 */
export function retryingRequest<T>(
  ctx: ActorContext,
  network: Network,
  policy: RetryPolicy,
  from: string,
  to: string,
  mission: string | null,
  deliver: (reply: (answer: T) => void) => void,
): Signal<T | NoAnswer> {
  return new RetryingRequest<T>(ctx, network, policy, from, to, mission, deliver).answered;
}

/**
 * One request in flight. Its steps are methods run by module-level handlers
 * with the request as the event argument, rather than closures made afresh
 * for every attempt and every hop: a run makes millions of requests.
 */
class RetryingRequest<T> {
  readonly answered: Signal<T | NoAnswer>;
  /** What the receiver calls with its answer (every attempt's answer travels back the same way). */
  readonly reply: (answer: T) => void;
  // Both directions, looked up once per request rather than once per message.
  private readonly out: Link;
  private readonly back: Link;
  private readonly lossy: boolean;
  private attempt = 0;

  constructor(
    private readonly ctx: ActorContext,
    private readonly network: Network,
    private readonly policy: RetryPolicy,
    private readonly from: string,
    private readonly to: string,
    private readonly mission: string | null,
    readonly deliver: (reply: (answer: T) => void) => void,
  ) {
    this.answered = new Signal<T | NoAnswer>(ctx.sim);
    this.out = network.link(from, to);
    this.back = network.link(to, from);
    this.lossy = this.out.loss > 0 || this.back.loss > 0;
    this.reply = replyTo(this);
    this.send();
  }

  send(): void {
    this.network.sendOn(this.out, arrive, this, this.mission);
    if (!this.lossy) return;
    this.ctx.sim.schedule(this.policy.timeout, timedOut, this);
  }

  /** The answer travels back over the link (and may be lost on the way). */
  answer(answer: T): void {
    this.network.sendOn(this.back, settleWith(this), answer, this.mission);
  }

  /** The first answer wins, a late one from an earlier attempt included. */
  settle(answer: T): void {
    if (!this.answered.fired) this.answered.fire(answer);
  }

  timedOut(): void {
    if (this.answered.fired) return;
    if (this.attempt >= this.policy.retries) return this.answered.fire(new NoAnswer(this.to, this.attempt + 1));
    this.attempt++;
    this.ctx.record('agent.retry', this.mission, this.from, { to: this.to, attempt: this.attempt, timeout_us: this.policy.timeout });
    this.send();
  }
}

function arrive(request: RetryingRequest<any>): void {
  request.deliver(request.reply);
}

function timedOut(request: RetryingRequest<any>): void {
  request.timedOut();
}

// Returned, not assigned to a name: tsx (esbuild keepNames) would otherwise
// wrap every such arrow in a defineProperty call to name it.
function replyTo<T>(request: RetryingRequest<T>): (answer: T) => void {
  return (answer) => request.answer(answer);
}

function settleWith<T>(request: RetryingRequest<T>): (answer: T) => void {
  return (answer) => request.settle(answer);
}
