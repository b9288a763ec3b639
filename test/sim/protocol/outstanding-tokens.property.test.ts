import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthTokenRequest } from '../../../sim/protocol/auth-token-request.ts';
import { IssuedPersonTokens } from '../../../sim/protocol/issued-person-tokens.ts';
import { OutstandingTokens } from '../../../sim/protocol/outstanding-tokens.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';

/**
 * The pruned structures against the unpruned behaviour they replace (a
 * plain list and a plain map, never pruned): for any sequence of issues,
 * expiries (time passing), revocations and lookups, every question the
 * Person Server can still be asked gets the same answer. "Can still be
 * asked" is the contract of sim/protocol/token-retention.ts: a question
 * about a token comes at most `retention` after its exp; the pruned
 * structure may forget a token only after that. Questions are asked inside
 * that window right up to its last microsecond, so pruning a microsecond
 * early fails.
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

/** The jtis a question may name at `now`: tokens inside their window, and one never issued. */
function askable(issued: readonly Token[], now: number, retention: number): string[] {
  return [...issued.filter((t) => t.exp + retention > now).map((t) => t.jti), 'ps#never'];
}

describe('OutstandingTokens: pruned, it answers every question that can come as the unpruned list did', () => {
  it('has, unexpired, and what a termination sends', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), fc.integer({ min: 0, max: 12 }), (steps, retention) => {
        const pruned = new OutstandingTokens(retention);
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
            for (const jti of askable(issued, now, retention)) expect(pruned.has(jti)).toBe(model.some((m) => m.jti === jti));
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
            for (const jti of askable(issued, now, retention)) expect(pruned.has(jti)).toBe(model.some((t) => t.jti === jti));
            expect(pruned.unexpired(now)).toEqual(model.filter((t) => t.exp > now));
          }
        }
        // Every token kept is one the model keeps, in the model's order; and the list stays bounded by the window.
        const kept = pruned.all();
        expect(kept).toEqual(model.filter((t) => kept.includes(t)));
        for (const t of model) if (t.exp + retention > now) expect(kept).toContain(t);
      }),
      { numRuns: 600 },
    );
  });

  it('never lets go of anything without a retention (cancellation sends every token: mission-authority)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 5 })), { maxLength: 100 }), (issues) => {
        const list = new OutstandingTokens(undefined);
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
    const list = new OutstandingTokens(undefined);
    for (let n = 0; n < 40; n++) list.add(token(n, n % 2, 0, 10), 0);
    expect(list.has('ps#39')).toBe(true);
    list.add(token(40, 0, 0, 10), 0);
    expect(list.has('ps#40')).toBe(true);
    list.remove((t) => t.agent === 'a1');
    expect([list.has('ps#1'), list.has('ps#2'), list.size]).toEqual([false, true, 21]);
  });
});

describe('IssuedPersonTokens: pruned, it resolves every presented_jti that can come as the unpruned map did', () => {
  it('get, for any issues and lookups in time', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 60 })), { maxLength: 300 }),
        fc.integer({ min: 0, max: 80 }),
        (steps, retention) => {
          const pruned = new IssuedPersonTokens(retention);
          const model = new Map<string, Token>();
          const issued: Token[] = [];
          let now = 0;
          for (const [wait, ttl] of steps) {
            now += wait;
            const t = token(issued.length, 0, now, ttl);
            issued.push(t);
            model.set(t.jti, t);
            pruned.add(t, now);
            // Every presented_jti that can still come, right after the issue that may have pruned.
            for (const jti of askable(issued, now, retention)) expect(pruned.get(jti)).toBe(model.get(jti));
          }
          // Bounded: nothing issued longer ago than the longest ttl (60) plus the retention is kept.
          expect(pruned.size).toBeLessThanOrEqual(issued.filter((t) => t.iat + 60 + retention > now).length);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("IssuedPersonTokens: the PS's own queue is measured, not assumed", () => {
  it('keeps a person token a request still waiting in the queue may name, however long it has waited', () => {
    const tokens = new IssuedPersonTokens(10);
    tokens.add(token(0, 0, 0, 5), 0);
    // At 100 the token is long dead by the clock (exp 5 + 10), but a request that arrived at 12 still waits.
    tokens.add(token(1, 0, 100, 5), 12);
    expect(tokens.get('ps#0')).toBeDefined();
    // Once nothing older than 100 waits, it goes.
    tokens.add(token(2, 0, 100, 5), 100);
    expect([tokens.get('ps#0'), tokens.size]).toEqual([undefined, 2]);
  });

  it('an auth-token request tells its endpoint when it leaves the queue, decided or answered 503', () => {
    let left = 0;
    const decider = { decide: () => undefined, retryAfterUs: 5, left: () => left++ };
    const resourceToken = token(0, 0, 0, 5);
    new AuthTokenRequest(decider, resourceToken, 1, () => undefined, {}, undefined, 'r').work();
    new AuthTokenRequest(decider, resourceToken, 1, () => undefined, {}, undefined, 'r').unavailable();
    expect(left).toBe(2);
  });
});
