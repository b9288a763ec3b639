import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import {
  type AgentTokenRevocationAnswer,
  type AgentTokenRevocationEndpoint,
  AgentTokenRevocations,
  PROVIDER_RETRY_US,
  sendAgentTokenRevocation,
} from '../../../sim/protocol/agent-token-revocation.ts';
import { Network } from '../../../sim/protocol/network.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const LONGEST = 3_600_000_000;

function agentToken(jti: string, exp: number, agent = 'planner'): Token {
  return { kind: 'agent', iss: 'ap:planner', jti, aud: null, agent, scope: '', mission: null, iat: 0, exp } as Token;
}

describe('AgentTokenRevocations.refusesAgentToken: the one check every agent-facing endpoint makes', () => {
  it('refuses an expired agent token, a revoked one, and nothing else', () => {
    const book = new AgentTokenRevocations(LONGEST);
    const token = agentToken('ap:planner#0', 1000);
    expect(book.refusesAgentToken(token, 999)).toBeNull();
    expect(book.refusesAgentToken(token, 1000)).toBe('expired_agent_token');
    expect(book.refusesAgentToken(undefined, 5)).toBeNull();
    book.revoke({ iss: 'ap:planner', jti: 'ap:planner#0', exp: 1000 }, 10);
    expect(book.refusesAgentToken(token, 11)).toBe('agent_token_revoked');
    // Keyed by (iss, jti): the same jti from another provider is another token.
    expect(book.refusesAgentToken({ ...token, iss: 'ap:other' }, 11)).toBeNull();
  });

  it('learns whose token a revocation names only from tokens presented to it', () => {
    const book = new AgentTokenRevocations(LONGEST);
    expect(book.revoke({ iss: 'ap:planner', jti: 'ap:planner#0', exp: 1000 }, 0)).toBeUndefined();
    book.refusesAgentToken(agentToken('ap:planner#1', 1000, 'planner'), 0);
    expect(book.revoke({ iss: 'ap:planner', jti: 'ap:planner#1' }, 0)).toBe('planner');
  });

  it('keeps a revocation with no exp for the longest agent-token lifetime, then lets it lapse', () => {
    const book = new AgentTokenRevocations(LONGEST);
    // A token that (wrongly) outlives the longest lifetime shows where the record ends.
    const token = agentToken('ap:planner#2', 10 * LONGEST);
    book.revoke({ iss: 'ap:planner', jti: 'ap:planner#2' }, 100);
    expect(book.refusesAgentToken(token, 100 + LONGEST - 1)).toBe('agent_token_revoked');
    expect(book.refusesAgentToken(token, 100 + LONGEST)).toBeNull();
  });
});

/**
 * The provider's side decides when to send again from the PS's answer
 * alone: the 503's Retry-After, or (a 503 without one) its own setting.
 * The endpoint below has no poll interval for it to read.
 */
describe('sendAgentTokenRevocation: a 503 is retried after the answer says, or the provider’s own interval', () => {
  const HOP = 10_000; // const(10ms) each way

  function sendAgainst(answers: AgentTokenRevocationAnswer[], retryUs?: number): { calls: number[]; answered: unknown[] } {
    const sim = new Simulation();
    const audit = new RecordingSink();
    const ctx = new WorldContext(sim, 1, audit);
    const network = new Network(ctx, parseDistribution('const(10ms)', 'duration'));
    const calls: number[] = [];
    const ps: AgentTokenRevocationEndpoint = {
      actor: 'ps:home',
      revokeAgentToken: (_notice, reply) => {
        calls.push(sim.now);
        reply((answers.length > 1 ? answers.shift() : answers[0]) as AgentTokenRevocationAnswer);
      },
    };
    const token = agentToken('ap:planner#0', 3_600_000_000);
    if (retryUs === undefined) sendAgentTokenRevocation(ctx, network, 'ap:planner', ps, token, true, 5);
    else sendAgentTokenRevocation(ctx, network, 'ap:planner', ps, token, true, 5, retryUs);
    sim.run();
    return { calls, answered: audit.ofType('agent_token.revocation_answered').map((e) => e.fields?.status) };
  }

  it("waits the 503's Retry-After before sending again, and stops at 200", () => {
    const { calls, answered } = sendAgainst([{ status: 503, retryAfter: 7_000_000 }, { status: 503, retryAfter: 2_000_000 }, { status: 200 }]);
    // Each call arrives one hop after it was sent; it is sent again the Retry-After after its 503 came back.
    expect(calls).toEqual([HOP, HOP + 2 * HOP + 7_000_000, HOP + 2 * HOP + 7_000_000 + 2 * HOP + 2_000_000]);
    expect(answered).toEqual([503, 503, 200]);
  });

  it('a 503 without Retry-After: the provider waits its own interval (PROVIDER_RETRY_US unless set)', () => {
    expect(sendAgainst([{ status: 503 }, { status: 200 }]).calls).toEqual([HOP, 3 * HOP + PROVIDER_RETRY_US]);
    expect(sendAgainst([{ status: 503 }, { status: 200 }], 1_500_000).calls).toEqual([HOP, 3 * HOP + 1_500_000]);
  });

  it('gives up after its retries, and never retries a refusal', () => {
    expect(sendAgainst([{ status: 503, retryAfter: 1_000 }]).calls).toHaveLength(6);
    expect(sendAgainst([{ status: 'revocation_unsupported' }]).calls).toHaveLength(1);
  });
});
