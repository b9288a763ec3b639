import { describe, expect, it } from 'vitest';
import { runLog } from './run-events.ts';
import { HELPER_SUB_AGENT, PAY_INVOICES_MISSION, PAYMENTS_RESOURCE } from './payments-world.ts';

/**
 * -11: a sub-agent's requests go through its parent, which relays the
 * same resource token however long the relay is held up (its rate limit
 * waited out, a crashed parent restarted). The PS resolves the token's
 * `presented_jti` before it checks the token's own exp, so the person
 * token it names must still be known then: a PS that had let it go
 * answered `unknown_person_token` (final: the sub-agent stopped) where
 * it must answer `resource token expired` (the sub-agent goes on and
 * finishes). Found by review of the first form of the PS's token pruning
 * (docs/benchmarks/ps-prune.md); the person tokens by jti are now kept for
 * the whole run. In both runs another agent gets a person token after the
 * relayed token's person token expired, which is when a pruning PS let it go.
 */
const WORLD = `name: late-relayed-resource-token
description: a sub-agent's auth-token request waits out its parent's relay with the same resource token
duration: 3h
seed: 1
profile: aauth-r11
network: { latency: const(20ms) }
topology:
  person_servers:
    - { id: ps.example, approval: immediate, authority: envelope, narrowing: at-mint, max_depth: 3 }
  resources:
${PAYMENTS_RESOURCE}
people: [{ id: dana }, { id: erin }]
agents:
  - id: boss
    person: dana
    ps: ps.example
${PAY_INVOICES_MISSION}
    sub_agents:
      rate_limit: RATE_LIMIT
    plan: BOSS_PLAN
${HELPER_SUB_AGENT}
    plan: [{ op: payments.example/charge, args: { amount: 2 } }]
  - id: other
    person: erin
    ps: ps.example
    mission:
      description: Pay other invoices.
      scope: [payments.example/charge]
      approved: { grants: [{ class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }
      intent: { grants: [{ class: payments, actions: [transfer], resources: [payments.example] }], max_depth: 1 }
    plan: [{ op: payments.example/charge, at: OTHER_AT, args: { amount: 1 } }]
`;

type Line = { type: string; agent?: string; actor?: string; reason?: string };

function run(text: string): Line[] {
  return runLog(text)
    .toString()
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
}

function helperEnding(lines: Line[]): { denied: (string | undefined)[]; finished: boolean; stopped: boolean } {
  return {
    denied: lines.filter((line) => line.type === 'token.auth_denied' && line.agent === 'helper').map((line) => line.reason),
    finished: lines.some((line) => line.type === 'agent.finished' && line.actor === 'agent:helper'),
    stopped: lines.some((line) => line.type === 'agent.stopped' && line.actor === 'agent:helper'),
  };
}

describe('a resource token relayed late by a parent runtime', () => {
  it('is refused as expired, not as naming an unknown person token, after a rate-limit window of 100 minutes', () => {
    const lines = run(
      WORLD.replace('RATE_LIMIT', '{ max: 2, per: 100m }')
        .replace('BOSS_PLAN', '[{ op: payments.example/charge, at: 1m, args: { amount: 1 } }]')
        .replace('OTHER_AT', '90m'),
    );
    expect(helperEnding(lines)).toEqual({ denied: ['resource token expired'], finished: true, stopped: false });
  });

  it('is refused as expired after its parent crashed and was restarted 100 minutes later', () => {
    const lines = run(
      `${WORLD.replace('RATE_LIMIT', '{ max: 100, per: 1m }')
        .replace('BOSS_PLAN', '[{ op: payments.example/charge, at: 1m, args: { amount: 1 } }, { op: payments.example/charge, at: 170m, args: { amount: 1 } }]')
        .replace('OTHER_AT', '85m')}faults:\n  - { agent: boss, at: 300250ms, restart: const(100m) }\n`,
    );
    expect(helperEnding(lines)).toEqual({ denied: ['resource token expired'], finished: true, stopped: false });
  });
});
