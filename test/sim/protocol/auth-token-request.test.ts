import { describe, expect, it } from 'vitest';
import type { OpFacts } from '../../../sim/authority/envelope.ts';
import { AuthTokenRequest, type JudgedAuthTokenRequest } from '../../../sim/protocol/auth-token-request.ts';
import type { Hop } from '../../../sim/protocol/delegation-tree.ts';
import type { FederationEndpoint } from '../../../sim/protocol/federation.ts';
import type { MissionRecord } from '../../../sim/protocol/mission-record.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';

/** The members whose type judging narrows (undefined before, set after): what the steps after judging read without a cast. */
type Narrowed = { [K in keyof AuthTokenRequest]: AuthTokenRequest[K] extends JudgedAuthTokenRequest[K] ? never : K }[keyof AuthTokenRequest];
const NARROWED = ['record', 'hop', 'facts'] as const satisfies readonly Narrowed[];
// A member narrowed by JudgedAuthTokenRequest and not listed here fails to compile (and the test below then checks judged() sets it).
type Unlisted = Exclude<Narrowed, (typeof NARROWED)[number]>;
const everyNarrowedListed: [Unlisted] extends [never] ? true : Unlisted = true;

function request(): AuthTokenRequest {
  const resourceToken = {
    kind: 'resource',
    jti: 'resource:r#0',
    iss: 'resource:r',
    aud: 'ps:p',
    agent: 'a',
    scope: 'search',
    mission: null,
    iat: 0,
    exp: 1,
  } as Token;
  return new AuthTokenRequest({ decide: () => undefined, retryAfterUs: 5 }, resourceToken, 1, () => undefined, {}, undefined, 'r');
}

describe('AuthTokenRequest: what the PS located and judged of it', () => {
  it('sets every member its located and judged types promise', () => {
    expect(everyNarrowedListed).toBe(true);
    const record = { agent: 'a' } as MissionRecord;
    const hop = { depth: 0 } as Hop;
    const facts = { resource: 'r' } as OpFacts;
    const accessServer = { actor: 'as:x' } as FederationEndpoint;
    const given = { record, hop, facts };
    const judging: AuthTokenRequest = request();
    for (const name of NARROWED) expect(judging[name]).toBeUndefined();
    judging.located(record);
    expect(judging.record).toBe(record);
    judging.judged(hop, facts, 'ps:p>as:x#0', accessServer);
    const judged: JudgedAuthTokenRequest = judging;
    for (const name of NARROWED) expect(judged[name]).toBe(given[name]);
    expect([judged.requestId, judged.accessServer]).toEqual(['ps:p>as:x#0', accessServer]);
  });

  it('is not judged before judged() (type-level: npm run typecheck)', () => {
    const waiting: AuthTokenRequest = request();
    // @ts-expect-error an unjudged request's facts may be undefined
    const facts: OpFacts = waiting.facts;
    waiting.located({ agent: 'a' } as MissionRecord);
    // @ts-expect-error located is not judged: the hop is not known yet
    const judged: JudgedAuthTokenRequest = waiting;
    expect([facts, judged.hop]).toEqual([undefined, undefined]);
  });

  it('cannot be judged before it is located (type-level: npm run typecheck)', () => {
    const unlocated: AuthTokenRequest = request();
    // @ts-expect-error judged() takes only a located request: a forgotten located() fails to compile
    unlocated.judged({ depth: 0 } as Hop, { resource: 'r' } as OpFacts, 'ps:p#0', undefined);
    expect(unlocated.record).toBeUndefined();
  });
});
