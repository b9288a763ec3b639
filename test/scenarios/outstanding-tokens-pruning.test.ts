import { afterEach, describe, expect, it, vi } from 'vitest';
import { OutstandingTokens } from '../../sim/protocol/outstanding-tokens.ts';
import { runLog } from './run-events.ts';

/**
 * The Person Server lets a mission's expired tokens go (outstanding-tokens.ts)
 * only where no reader of the list asks about an expired one
 * (token-retention.ts). That claim is about the readers, not the list: this
 * runs a push-mode world whose tokens expire around everything that reads
 * the list (sub-agents, an agent-token revocation, a crash, suspensions and
 * resumptions, a termination, a cancellation) with the pruning and without
 * it, and the logs must be the same bytes. A new reader that needs expired
 * tokens makes them differ. (From the review of the fix, 2026-12-06.)
 */
const WORLD = `name: prune-subs
description: sub-agents, short tokens, agent-token revocation, suspend/resume/terminate around expiry
duration: 2h
profile: PROFILE
network: { latency: const(50ms) }
tokens: { auth_ttl: 2m, person_ttl: 10m, resource_ttl: 30s, agent_ttl: 20m }
topology:
  person_servers:
    - { id: ps.example, approval: immediate, authority: envelope, narrowing: at-mint, max_depth: 3, queue: { servers: 1, service: exp(2s) } }
  resources:
    - id: suppliers.example
      queue: { servers: 1, service: exp(20s) }
      operations: [{ name: quote, class: procurement, action: read }]
      revocation: { mode: push, latency: exp(30s) }
    - id: payments.example
      queue: { servers: 1, service: exp(30s) }
      operations: [{ name: charge, class: payments, action: transfer }]
      revocation: { mode: push, latency: exp(45s) }
people: [{ id: dana }, { id: erin }]
agents:
  - id: boss
    person: dana
    ps: ps.example
    mission:
      description: Buy and pay.
      scope: [suppliers.example/quote, payments.example/charge]
      approved: { grants: [{ class: procurement, actions: [read], resources: [suppliers.example] }, { class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }
      intent: { grants: [{ class: procurement, actions: [read], resources: [suppliers.example] }, { class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }
    sub_agents:
      rate_limit: { max: 3, per: 5m }
    plan:
      - { op: suppliers.example/quote, after: exp(40s) }
      - { op: payments.example/charge, after: exp(40s), args: { amount: 1 } }
    repeat: true
  - id: h1
    person: dana
    ps: ps.example
    parent: boss
    task: Pay.
    start: 3m
    grant: { grants: [{ class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }
    plan: [{ op: payments.example/charge, after: exp(50s), args: { amount: 2 } }]
    repeat: true
  - id: h2
    person: dana
    ps: ps.example
    parent: boss
    task: Quote.
    start: 4m
    grant: { grants: [{ class: procurement, actions: [read], resources: [suppliers.example] }], max_depth: 1 }
    plan: [{ op: suppliers.example/quote, after: exp(50s) }]
    repeat: true
  - id: other
    person: erin
    ps: ps.example
    mission:
      description: Quote a lot.
      scope: [suppliers.example/quote]
      approved: { grants: [{ class: procurement, actions: [read], resources: [suppliers.example] }], max_depth: 1 }
      intent: { grants: [{ class: procurement, actions: [read], resources: [suppliers.example] }], max_depth: 1 }
    plan: [{ op: suppliers.example/quote, after: exp(30s) }]
    repeat: true
faults:
  - { agent: h1, at: 25m, kind: revoke-agent-token }
  - { agent: boss, at: 50m, restart: const(3m) }
interventions:
  - { at: 30m, person: dana, agent: boss, action: suspend }
  - { at: 37m, person: dana, agent: boss, action: resume }
  - { at: 55m, person: erin, agent: other, action: suspend }
  - { at: 61m, person: erin, agent: other, action: resume }
  - { at: 80m, person: dana, agent: boss, action: terminate }
  - { at: 90m, person: erin, agent: other, action: cancel }
`;

type Prune = (this: OutstandingTokens, now: number) => void;
const proto = OutstandingTokens.prototype as unknown as { prune: Prune; tokens: unknown[] };

function run(profile: string, seed: number): Buffer {
  return runLog(WORLD.replace('PROFILE', profile), seed);
}

describe("a mission's expired tokens let go (push mode): the same log as when they are kept", () => {
  afterEach(() => vi.restoreAllMocks());

  for (const profile of ['aauth-latest', 'aauth-r11']) {
    it(`${profile}: every line the same, and tokens were let go`, () => {
      for (const seed of [1, 2]) {
        const prune = proto.prune;
        let dropped = 0;
        vi.spyOn(proto, 'prune').mockImplementation(function (this: { tokens: unknown[] }, now: number) {
          const before = this.tokens.length;
          prune.call(this as unknown as OutstandingTokens, now);
          dropped += before - this.tokens.length;
        });
        const pruned = run(profile, seed);
        vi.restoreAllMocks();
        vi.spyOn(proto, 'prune').mockImplementation(() => undefined);
        const kept = run(profile, seed);
        vi.restoreAllMocks();
        expect(dropped).toBeGreaterThan(20);
        expect(pruned.equals(kept)).toBe(true);
      }
    });
  }
});
