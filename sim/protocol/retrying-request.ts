import { Signal } from '../engine/signal.ts';
import { TimedOut, withTimeout } from '../engine/timeout.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { Link, Network, RetryPolicy } from './network.ts';

/** What a request fails with when every attempt went unanswered. */
export class NoAnswer extends Error {
  constructor(
    readonly peer: string,
    readonly attempts: number,
  ) {
    super(`no answer from ${peer} after ${attempts} attempts`);
    this.name = 'NoAnswer';
  }

  /** What `agent.stopped` records. */
  get reason(): string {
    return this.message;
  }
}

/**
 * An agent's request over a link that may lose messages: sent, and if no
 * answer arrives within the timeout, sent again (`agent.retry`), up to
 * `retries` times; then the signal fails with NoAnswer (thrown into the
 * process waiting on it). The first answer wins, a late one from an earlier
 * attempt included. A request that was served but whose answer was lost is
 * served again: the receiver sees duplicates, as real servers do. Where
 * neither direction loses anything no deadline is set, so runs without loss
 * are exactly as before.
 */
export function retryingRequest<T>(
  ctx: ActorContext,
  network: Network,
  policy: RetryPolicy,
  /** The link out (from the requester to the peer): a caller that sends many requests keeps its links (Network.outgoing). */
  out: Link,
  mission: string | null,
  deliver: (reply: (answer: T) => void) => void,
  /** Told of each resend (attempt 1, 2, ...) instead of the default `agent.retry` record (a PS's revocation notice logs its own). */
  onRetry?: (attempt: number) => void,
): Signal<T> {
  const answered = new Signal<T>(ctx.sim);
  // The way back is kept on the link: nothing is looked up per message.
  const back = network.reverse(out);
  const reply = replyAlong(network, back, mission, answered);
  if (out.loss === 0 && back.loss === 0) network.sendOn(out, deliver, reply, mission);
  else sendWithRetries(ctx, network, policy, out, mission, deliver, reply, answered, onRetry);
  return answered;
}

/**
 * How the peer answers: every attempt's answer travels back along `back`
 * (and may be lost on it); the first to arrive settles the request. In a
 * function of its own so that its two closures, made for every request,
 * share a context of the five things they use rather than the fifteen of
 * the retrying machinery, which a request over a lossless link never needs.
 */
function replyAlong<T>(network: Network, back: Link, mission: string | null, answered: Signal<T>): (answer: T) => void {
  // The answer's arrival is an event of its own, and settling is all it does: the waiting process wakes in it.
  const settle = (answer: T): void => {
    if (!answered.settled) answered.fireAsLastAct(answer);
  };
  return (answer) => network.sendOn(back, settle, answer, mission);
}

/** A request over a lossy link: each attempt gets its deadline, and a resend when the deadline passes unanswered. */
function sendWithRetries<T>(
  ctx: ActorContext,
  network: Network,
  policy: RetryPolicy,
  out: Link,
  mission: string | null,
  deliver: (reply: (answer: T) => void) => void,
  reply: (answer: T) => void,
  answered: Signal<T>,
  onRetry: ((attempt: number) => void) | undefined,
): void {
  const { from, to } = out;
  let attempt = 0;
  const send = (): void => {
    network.sendOn(out, deliver, reply, mission);
    withTimeout(ctx.sim, answered, policy.timeout).then(ignore, retry);
  };
  const retry = (cause: unknown): void => {
    if (!(cause instanceof TimedOut)) throw cause;
    // Answered at the deadline itself: the deadline was heard first, but the answer is in.
    if (answered.settled) return;
    if (attempt >= policy.retries) return answered.fail(new NoAnswer(to, attempt + 1));
    attempt++;
    if (onRetry) onRetry(attempt);
    else ctx.record('agent.retry', mission, from, { to, attempt, timeout_us: policy.timeout });
    send();
  };
  send();
}

function ignore(): void {}
