import { describe, expect, it } from 'vitest';
import { AgentTokenRevocations } from '../../../sim/protocol/agent-token-revocation.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';

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
