import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { receivesRevocationCalls } from '../../../sim/protocol/revocation-target.ts';
import type { RevocationMode } from '../../../sim/scenario/schema.ts';

const source = (path: string) => readFileSync(new URL(`../../../sim/protocol/${path}`, import.meta.url), 'utf8');

describe('rules written once', () => {
  it('receivesRevocationCalls: push always; a TTL-only resource only where outcomes are reported (aauth-latest); events, introspect and cache never', () => {
    const modes: RevocationMode[] = ['push', 'none', 'events', 'introspect', 'cache'];
    expect(modes.filter((mode) => receivesRevocationCalls(mode, false))).toEqual(['push']);
    expect(modes.filter((mode) => receivesRevocationCalls(mode, true))).toEqual(['push', 'none']);
  });

  it('the PS and a cascading resource decide whom to call by that one function; no copy of the rule is left', () => {
    for (const file of ['revocation-sender.ts', 'revocation-cascade.ts']) {
      expect(source(file)).toMatch(/receivesRevocationCalls\(/);
      expect(source(file)).not.toMatch(/NOT_CALLED/);
    }
  });

  it("a -11 parent's rate limit is the RateLimiter, not a window of its own", () => {
    const mediation = source('parent-mediation.ts');
    expect(mediation).toMatch(/new RateLimiter\(/);
    expect(mediation).not.toMatch(/forwarded\.(push|shift)|rateLimited\(/);
  });
});
