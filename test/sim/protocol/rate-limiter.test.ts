import { describe, expect, it } from 'vitest';
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
