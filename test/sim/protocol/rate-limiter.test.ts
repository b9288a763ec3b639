import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RateLimiter } from '../../../sim/protocol/rate-limiter.ts';

describe('RateLimiter (a revocation endpoint: 429 rate_limited past its limit)', () => {
  it('admits `calls` per caller in a sliding window; a refused call waits until the oldest admitted one leaves it', () => {
    const limiter = new RateLimiter({ calls: 2, perUs: 1_000 });
    expect(limiter.admit('ps:a', 0)).toBe(0);
    expect(limiter.admit('ps:a', 100)).toBe(0);
    expect(limiter.admit('ps:a', 200)).toBe(800);
    // Another caller has its own window.
    expect(limiter.admit('ps:b', 200)).toBe(0);
    // A refused call is not counted: at 1000 the first call has left the window.
    expect(limiter.admit('ps:a', 1_000)).toBe(0);
    expect(limiter.admit('ps:a', 1_050)).toBe(50);
    expect(limiter.admit('ps:a', 1_100)).toBe(0);
  });
});

describe('RateLimiter, any sequence of calls', () => {
  it('never admits more than `calls` from one caller within any window of `per`, and a refused caller that waits its Retry-After is admitted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 5_000 })), { maxLength: 60 }),
        (calls, perUs, gaps) => {
          const limiter = new RateLimiter({ calls, perUs });
          const admitted = new Map<number, number[]>();
          let now = 0;
          for (const [caller, gap] of gaps) {
            now += gap;
            const wait = limiter.admit(`ps:${caller}`, now);
            if (wait === 0) admitted.set(caller, [...(admitted.get(caller) ?? []), now]);
            else {
              expect(wait).toBeGreaterThan(0);
              expect(wait).toBeLessThanOrEqual(perUs);
              // Waiting exactly Retry-After frees a slot (a probe on a copy of the state would consume it: check on a fresh limiter instead).
              const replay = new RateLimiter({ calls, perUs });
              for (const t of admitted.get(caller) ?? []) replay.admit('x', t);
              expect(replay.admit('x', now + wait)).toBe(0);
            }
          }
          for (const times of admitted.values())
            for (let i = calls; i < times.length; i++) expect((times[i] as number) - (times[i - calls] as number)).toBeGreaterThanOrEqual(perUs);
        },
      ),
    );
  });
});
