import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RevocationMode } from '../../../sim/scenario/resource-schema.ts';
import { OutstandingTokens } from '../../../sim/protocol/outstanding-tokens.ts';
import { asksTokenStatus, keepsExpiredTokens } from '../../../sim/protocol/token-retention.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';

/**
 * The pruned list against the unpruned behaviour it replaces (a plain
 * list, never pruned): for any sequence of issues, expiries (time
 * passing), revocations and lookups, every question the Person Server can
 * be asked gets the same answer. A list that drops expired tokens is
 * asked only about tokens with exp > now (sim/protocol/token-retention.ts:
 * no resource asks for token status, no suspension holds tokens, no
 * cancellation); one that keeps them is asked anything, expired tokens
 * and tokens never issued included.
 */

type Step =
  | { kind: 'issue'; wait: number; ttl: number; agent: number }
  | { kind: 'revokeAgent'; wait: number; agent: number }
  | { kind: 'clear'; wait: number }
  | { kind: 'ask'; wait: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('issue' as const),
      wait: fc.integer({ min: 0, max: 8 }),
      ttl: fc.integer({ min: 1, max: 12 }),
      agent: fc.integer({ min: 0, max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('revokeAgent' as const), wait: fc.integer({ min: 0, max: 8 }), agent: fc.integer({ min: 0, max: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), wait: fc.integer({ min: 0, max: 8 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('ask' as const), wait: fc.integer({ min: 0, max: 8 }) }) },
);

function token(n: number, agent: number, iat: number, ttl: number): Token {
  return { kind: 'auth', jti: `ps#${n}`, iss: 'ps', aud: 'r', agent: `a${agent}`, scope: 'read', mission: 'm', iat, exp: iat + ttl };
}

/** The jtis `has` may be asked about at `now`: every one issued if expired tokens are kept, else the live ones; and one never issued. */
function askable(issued: readonly Token[], now: number, keepsExpired: boolean): string[] {
  return [...issued.filter((t) => keepsExpired || t.exp > now).map((t) => t.jti), 'ps#never'];
}

describe('OutstandingTokens: pruned, it answers every question that can come as the unpruned list did', () => {
  it('has, unexpired, and what a termination sends', () => {
    // Runs whose list let go of something: the property is not vacuous.
    let dropped = 0;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.boolean(), (steps, keepsExpired) => {
        const pruned = new OutstandingTokens(keepsExpired);
        let model: Token[] = [];
        const issued: Token[] = [];
        let now = 0;
        for (const s of steps) {
          now += s.wait;
          if (s.kind === 'issue') {
            const t = token(issued.length, s.agent, now, s.ttl);
            issued.push(t);
            model.push(t);
            pruned.add(t, now);
            // Right after an issue (when the list may have been pruned), every question that can still come.
            for (const jti of askable(issued, now, keepsExpired)) expect(pruned.has(jti)).toBe(model.some((m) => m.jti === jti));
          } else if (s.kind === 'revokeAgent') {
            const forAgent = (t: Token) => t.agent === `a${s.agent}`;
            // The agent-token revocation endpoint: the unexpired ones are revoked and logged, all of the agent's forgotten.
            expect(pruned.unexpired(now).filter(forAgent)).toEqual(model.filter((t) => t.exp > now && forAgent(t)));
            model = model.filter((t) => !forAgent(t));
            pruned.remove(forAgent);
          } else if (s.kind === 'clear') {
            // A termination: the unexpired tokens are revoked, then the list is emptied.
            expect(pruned.all().filter((t) => t.exp > now)).toEqual(model.filter((t) => t.exp > now));
            model = [];
            pruned.clear();
          } else {
            for (const jti of askable(issued, now, keepsExpired)) expect(pruned.has(jti)).toBe(model.some((t) => t.jti === jti));
            expect(pruned.unexpired(now)).toEqual(model.filter((t) => t.exp > now));
          }
        }
        // Every token kept is one the model keeps, in the model's order; and the list stays bounded by the window.
        const kept = pruned.all();
        expect(kept).toEqual(model.filter((t) => kept.includes(t)));
        for (const t of model) if (keepsExpired || t.exp > now) expect(kept).toContain(t);
        if (keepsExpired) expect(kept).toEqual(model);
        else if (kept.length < model.length) dropped++;
      }),
      { numRuns: 600 },
    );
    expect(dropped).toBeGreaterThan(10);
  });

  it('never lets go of anything when it keeps expired tokens (cancellation sends every token: mission-authority)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 5 })), { maxLength: 100 }), (issues) => {
        const list = new OutstandingTokens(true);
        const model: Token[] = [];
        let now = 0;
        issues.forEach(([wait, ttl], n) => {
          now += wait;
          const t = token(n, 0, now, ttl);
          model.push(t);
          list.add(t, now);
        });
        expect(list.all()).toEqual(model);
      }),
    );
  });

  it('has answers by a set once the list is long, and keeps it in step with adds and removals', () => {
    const list = new OutstandingTokens(true);
    for (let n = 0; n < 40; n++) list.add(token(n, n % 2, 0, 10), 0);
    expect(list.has('ps#39')).toBe(true);
    list.add(token(40, 0, 0, 10), 0);
    expect(list.has('ps#40')).toBe(true);
    list.remove((t) => t.agent === 'a1');
    expect([list.has('ps#1'), list.has('ps#2'), list.size]).toEqual([false, true, 21]);
  });
});

describe('keepsExpiredTokens: what the Person Server knows decides whether expired tokens may go', () => {
  const plain = { richEndings: false, suspendHolds: false };
  it('lets them go only when no resource asks for token status, no suspension holds tokens and no cancellation sends them', () => {
    expect(keepsExpiredTokens(plain, ['push', 'none', 'events'])).toBe(false);
    expect(keepsExpiredTokens(plain, [])).toBe(false);
    expect(keepsExpiredTokens(plain, ['push', 'introspect'])).toBe(true);
    expect(keepsExpiredTokens(plain, ['cache'])).toBe(true);
    expect(keepsExpiredTokens({ richEndings: true, suspendHolds: false }, ['push'])).toBe(true);
    expect(keepsExpiredTokens({ richEndings: false, suspendHolds: true }, ['push'])).toBe(true);
  });

  it('names as asking for status exactly the modes in which a resource asks its PS (Resource.checkStatus)', () => {
    const modes: RevocationMode[] = ['none', 'push', 'introspect', 'cache', 'events'];
    expect(modes.filter(asksTokenStatus)).toEqual(['introspect', 'cache']);
  });
});
