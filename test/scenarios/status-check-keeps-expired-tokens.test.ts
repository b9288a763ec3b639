import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutstandingTokens } from '../../sim/protocol/outstanding-tokens.ts';
import { runLog } from './run-events.ts';

/**
 * Where a resource asks the PS whether a token is active (`introspect`,
 * `cache`), the question travels a network journey after the resource
 * found the token unexpired, and the PS's answer does not look at the
 * token's exp: a PS that had let an expired token go would answer
 * "inactive" (`token revoked`) where one that kept it answers "active"
 * (and the resource then refuses it as `token expired`). So such a PS must
 * keep expired tokens (sim/protocol/token-retention.ts). These worlds are
 * ones where that shows: two runtimes under one mission (`acts_under`), so
 * the mission's list gets tokens while a question is on its way, and a
 * latency close to the token's lifetime. Each runs as built, with the list
 * never pruned, and with it pruned at every add: the first two must agree,
 * and the third must not (else the world would not show what it guards).
 */
const world = (profile: string, mode: string, latency: string, ttl: string) => `
name: status-check-keeps-expired-tokens
description: two runtimes under one mission; status checks travel about as long as a token lives
duration: 1h
seed: 1
profile: ${profile}
network: { latency: ${latency} }
tokens: { auth_ttl: ${ttl} }
topology:
  person_servers: [{ id: ps }]
  resources:
    - { id: crm, queue: { servers: 2, service: exp(200ms) }, operations: [{ name: read }], revocation: { mode: ${mode}, cache_ttl: 30s } }
    - { id: mail, queue: { servers: 2, service: exp(200ms) }, operations: [{ name: send }], revocation: { mode: ${mode}, cache_ttl: 30s } }
people: [{ id: owner }]
agents:
  - { id: a0, person: owner, ps: ps, mission: { description: t, scope: [crm/read, mail/send] }, plan: [{ op: crm/read, after: exp(10s) }, { op: mail/send, after: exp(10s) }], repeat: true }
  - { id: a1, person: owner, ps: ps, acts_under: a0, start: 7s, plan: [{ op: crm/read, after: exp(10s) }, { op: mail/send, after: exp(10s) }], repeat: true }
`;

type List = { tokens: unknown[]; prune(now: number): void };
const proto = OutstandingTokens.prototype as unknown as List & { add(token: unknown, now: number): void; prune(now: number): void };

describe('a Person Server whose resources ask for token status keeps expired tokens', () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [profile, mode, latency, ttl] of [
    ['aauth-r01', 'introspect', 'const(15s)', '40s'],
    ['aauth-latest', 'cache', 'const(15s)', '1m'],
  ] as const) {
    it(`${profile}, ${mode}: the same log as a list never pruned; a list pruned at every add would differ`, () => {
      const text = world(profile, mode, latency, ttl);
      const built = runLog(text);
      vi.spyOn(proto, 'prune').mockImplementation(() => undefined);
      const neverPruned = runLog(text);
      vi.restoreAllMocks();
      vi.spyOn(proto, 'add').mockImplementation(function (this: List, token: unknown, now: number) {
        this.tokens.push(token);
        this.prune(now);
      });
      const prunedAtEveryAdd = runLog(text);
      expect(built.equals(neverPruned)).toBe(true);
      expect(prunedAtEveryAdd.equals(built)).toBe(false);
    });
  }
});
