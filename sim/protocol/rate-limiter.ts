import type { CompiledRateLimit } from '../scenario/compile.ts';

/**
 * A sliding-window rate limit: at most `calls` admitted calls per caller
 * within `perUs`. A refused call is not counted. Deterministic: it keeps
 * the times of the admitted calls, nothing else. Used by revocation
 * endpoints (aauth-latest: `429 rate_limited` with Retry-After) and by a
 * -11 parent over the requests it forwards for its sub-agents.
 */
export class RateLimiter {
  private readonly admitted = new Map<string, number[]>();

  constructor(private readonly limit: CompiledRateLimit) {}

  /** 0: the call is admitted (and counted). Else how long the caller should wait (the Retry-After), > 0. */
  admit(caller: string, now: number): number {
    let times = this.admitted.get(caller);
    if (!times) {
      times = [];
      this.admitted.set(caller, times);
    }
    while (times.length > 0 && (times[0] as number) <= now - this.limit.perUs) times.shift();
    if (times.length >= this.limit.calls) return (times[0] as number) + this.limit.perUs - now;
    times.push(now);
    return 0;
  }
}
