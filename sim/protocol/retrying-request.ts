import { Signal } from '../engine/process.ts';
import type { WorldContext } from '../world/context.ts';
import type { Network } from './network.ts';

/** How long an agent waits for an answer before sending the request again, and how often. */
export interface RetryPolicy {
  timeout: number;
  retries: number;
}

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
  ctx: WorldContext,
  network: Network,
  policy: RetryPolicy,
  from: string,
  to: string,
  mission: string | null,
  deliver: (reply: (answer: T) => void) => void,
): Signal<T | NoAnswer> {
  const answered = new Signal<T | NoAnswer>(ctx.sim);
  const lossy = network.lossy(from, to) || network.lossy(to, from);
  let attempt = 0;
  const send = (): void => {
    network.sendLossy(from, to, () =>
      deliver((answer) => network.sendLossy(to, from, () => {
        if (!answered.fired) answered.fire(answer);
      }, undefined, mission)), undefined, mission);
    if (!lossy) return;
    ctx.sim.schedule(policy.timeout, () => {
      if (answered.fired) return;
      if (attempt >= policy.retries) return answered.fire(new NoAnswer(to, attempt + 1));
      attempt++;
      ctx.record('agent.retry', mission, from, { to, attempt, timeout_us: policy.timeout });
      send();
    });
  };
  send();
  return answered;
}
