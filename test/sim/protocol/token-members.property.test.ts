import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenIssuer, type NamedTokenMembers, type TokenFields } from '../../../sim/protocol/tokens.ts';

/**
 * The order the Person Server's person and auth tokens have always had
 * their members in (the member-by-member builders before issueNamed):
 * person kind, aud, agent, cnf, sub, scope, mission, iat, exp, class; auth
 * kind, aud, agent, cnf, ps, sub, scope, mission, approver, iat, exp,
 * upstream, class, act. Every member of a token is listed (checked below).
 */
const ORDER = [
  'kind',
  'aud',
  'agent',
  'cnf',
  'ps',
  'sub',
  'scope',
  'mission',
  'approver',
  'presentedJti',
  'iat',
  'exp',
  'upstream',
  'class',
  'parentAgent',
  'act',
] as const satisfies readonly (keyof TokenFields)[];

// A member added to Token and not to ORDER fails to compile here (and the property below then checks issueNamed sets it).
type Unlisted = Exclude<keyof TokenFields, (typeof ORDER)[number]>;
const everyMemberListed: [Unlisted] extends [never] ? true : Unlisted = true;

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Any set of members a token could be described with: each optional one present or undefined. */
const membersArb: fc.Arbitrary<NamedTokenMembers> = fc.record({
  kind: fc.constantFrom('agent' as const, 'resource' as const, 'auth' as const, 'person' as const),
  aud: fc.option(fc.string(), { nil: null }),
  agent: fc.string(),
  cnf: optional(fc.string()),
  ps: optional(fc.string()),
  sub: optional(fc.string()),
  scope: fc.string(),
  mission: fc.option(fc.string(), { nil: null }),
  approver: optional(fc.string()),
  presentedJti: optional(fc.string()),
  iat: fc.nat(),
  exp: fc.nat(),
  upstream: optional(fc.string()),
  class: optional(fc.string()),
  parentAgent: optional(fc.string()),
  act: optional(fc.record({ sub: fc.string() })),
});

/** An auth token as a PS describes one: every member named. */
function described(): NamedTokenMembers {
  return {
    kind: 'auth',
    aud: 'resource:r',
    agent: 'a',
    cnf: 'thumbprint',
    ps: undefined,
    sub: undefined,
    scope: 'search',
    mission: null,
    approver: undefined,
    presentedJti: undefined,
    iat: 0,
    exp: 1,
    upstream: undefined,
    class: undefined,
    parentAgent: undefined,
    act: undefined,
  };
}

describe('TokenIssuer.issueNamed', () => {
  it('lists every member of a token in ORDER', () => {
    expect(everyMemberListed).toBe(true);
    expect(new Set(ORDER).size).toBe(ORDER.length);
  });

  it('sets jti and iss, then exactly the members given (none as undefined), in the order PS tokens have always had', () => {
    fc.assert(
      fc.property(membersArb, (members) => {
        const token = new TokenIssuer('ps:example').issueNamed(members);
        const given = ORDER.filter((name) => members[name] !== undefined);
        expect(Object.keys(token)).toEqual(['jti', 'iss', ...given]);
        for (const name of given) expect(token[name]).toBe(members[name]);
        expect(token.iss).toBe('ps:example');
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the log's handle given beside the members last, and none where none is given (it is no claim)", () => {
    fc.assert(
      fc.property(membersArb, (members) => {
        const handle = { mission: 'm-1' };
        const given = ORDER.filter((name) => members[name] !== undefined);
        const withHandle = new TokenIssuer('ps:example').issueNamed(members, handle);
        expect(Object.keys(withHandle)).toEqual(['jti', 'iss', ...given, 'log']);
        expect(withHandle.log).toBe(handle);
        expect('log' in new TokenIssuer('ps:example').issueNamed(members)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('numbers its tokens per issuer', () => {
    const issuer = new TokenIssuer('ps:example');
    expect([issuer.issueNamed(described()).jti, issuer.issueNamed(described()).jti]).toEqual(['ps:example#0', 'ps:example#1']);
  });

  it('does not compile a token description that forgets a member, required or optional (type-level: npm run typecheck)', () => {
    const full = described();
    const { scope: _scope, ...withoutScope } = full;
    const { cnf: _cnf, ...withoutCnf } = full;
    // @ts-expect-error an auth token without its scope
    const noScope: NamedTokenMembers = withoutScope;
    // @ts-expect-error a required member cannot be named as undefined
    const undefinedExp: NamedTokenMembers = { ...full, exp: undefined };
    // @ts-expect-error an optional member must still be named (here cnf), so a new claim cannot be forgotten either
    const noCnf: NamedTokenMembers = withoutCnf;
    expect([noScope, undefinedExp, noCnf].map((members) => Object.keys(members).length)).toEqual([15, 16, 15]);
  });
});
