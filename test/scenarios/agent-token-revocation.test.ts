import { describe, expect, it } from 'vitest';
import { type Event, runEvents as run } from './run-events.ts';

// bulk-export-after-terminate without its termination: the agent reads the CRM at 1m and exports at 8m.
// At 5m its provider stops the runtime by revoking its agent token.
const STOP = ['interventions=[]', 'faults=[{agent: exporter, at: 5m, kind: revoke-agent-token}]'];

describe('agent-token revocation (agent provider to PS)', () => {
  it('aauth-r11: the PS refuses token requests presenting the revoked agent token and revokes the tokens issued under it', () => {
    const events = run('bulk-export-after-terminate', ['profile=aauth-r11', ...STOP]);
    const sent = events.find((e) => e.type === 'agent_token.revocation_sent');
    const issued = events.find((e) => e.type === 'token.agent_issued');
    expect(sent).toMatchObject({ actor: 'ap:exporter', jti: issued?.jti, exp: issued?.exp });
    const revoked = events.find((e) => e.type === 'agent_token.revoked') as Event;
    expect(revoked).toMatchObject({ actor: 'ps:ps', iss: 'ap:exporter', jti: issued?.jti });
    // -11: the PS revokes the auth tokens it issued for that agent (the CRM one); the person token is not an auth token.
    const crmAuth = events.find((e) => e.type === 'token.auth_granted' && e.resource === 'crm') as Event;
    expect(revoked.revoked_tokens).toEqual([crmAuth.jti]);
    expect(events.some((e) => e.type === 'revocation.sent' && e.jti === crmAuth.jti && e.resource === 'crm')).toBe(true);
    expect(events.some((e) => e.type === 'revocation.received' && e.jti === crmAuth.jti)).toBe(true);
    expect(events.find((e) => e.type === 'agent_token.revocation_answered')).toMatchObject({ status: 200 });
    // At 8m the runtime asks for a token for the export with its revoked agent token: refused, and it stops.
    const denied = events.find((e) => e.type === 'token.person_denied' || e.type === 'token.auth_denied') as Event;
    expect(denied).toMatchObject({ resource: 'export-service', reason: 'agent_token_revoked' });
    expect(denied.t).toBeGreaterThan(revoked.t);
    expect(events.some((e) => e.type === 'op.executed' && e.actor === 'resource:export-service' && e.op === 'bulk_export')).toBe(false);
    expect(events.find((e) => e.type === 'agent.stopped')).toMatchObject({ actor: 'agent:exporter', reason: 'agent_token_revoked' });
    // The mission itself is not ended: only the runtime's credential is.
    expect(events.some((e) => e.type === 'mission.terminated')).toBe(false);
  });

  it("a PS that is down answers 503 with its Retry-After: the provider sends again after that, and the PS's answer is 200", () => {
    // Down from 4m59s for 12s; the PS's Retry-After is its poll interval, 7s: sent at 5m (503), again at ~5m07s (503), then ~5m14s (200).
    const down = ['topology.person_servers[ps].outages=[{at: 299s, for: 12s}]', 'topology.person_servers[ps].poll_interval=7s'];
    const events = run('bulk-export-after-terminate', ['profile=aauth-r11', ...STOP, ...down]);
    const sent = events.filter((e) => e.type === 'agent_token.revocation_sent');
    const answered = events.filter((e) => e.type === 'agent_token.revocation_answered');
    expect(sent.map((e) => e.attempt)).toEqual([0, 1, 2]);
    expect(answered.map((e) => e.status)).toEqual([503, 503, 200]);
    for (const i of [1, 2]) expect(sent[i]?.t).toBe((answered[i - 1]?.t as number) + 7_000_000);
    expect(events.filter((e) => e.type === 'agent_token.revoked')).toHaveLength(1);
  });

  it('without the revocation the same runtime exports', () => {
    const events = run('bulk-export-after-terminate', ['profile=aauth-r11', 'interventions=[]']);
    expect(events.some((e) => e.type === 'op.executed' && e.actor === 'resource:export-service' && e.op === 'bulk_export')).toBe(true);
    expect(events.some((e) => e.type.startsWith('agent_token.'))).toBe(false);
  });

  it('before -10 (r01, m0) and under oauth the PS has no such endpoint: revocation_unsupported, and the runtime goes on', () => {
    for (const profile of ['aauth-r01', 'aauth-m0', 'oauth']) {
      const events = run('bulk-export-after-terminate', [`profile=${profile}`, ...STOP]);
      expect(
        events.find((e) => e.type === 'agent_token.revocation_answered'),
        profile,
      ).toMatchObject({ status: 'revocation_unsupported' });
      expect(
        events.some((e) => e.type === 'agent_token.revoked'),
        profile,
      ).toBe(false);
      expect(
        events.some((e) => e.type === 'op.executed' && e.actor === 'resource:export-service' && e.op === 'bulk_export'),
        profile,
      ).toBe(true);
    }
  });

  it('mission-authority (seed 000 on -11 tokens) refuses the revoked agent token too', () => {
    const events = run('bulk-export-after-terminate', ['profile=mission-authority', ...STOP]);
    expect(events.find((e) => e.type === 'token.auth_denied')).toMatchObject({ resource: 'export-service', reason: 'agent_token_revoked' });
  });
});

// travel-booking-payment with the hops minted (at-evaluation): trip's checkout sub-agents ask for their hop at 7m and 9m.
const AT_EVALUATION = 'topology.person_servers[0].narrowing=at-evaluation';

describe('-11: the PS denies every request presenting a revoked agent token, not only token requests', () => {
  it('a delegation signed by a parent whose agent token was revoked is refused, and the sub-agent stops', () => {
    const events = run('travel-booking-payment', [AT_EVALUATION, 'faults=[{agent: trip, at: 6m30s, kind: revoke-agent-token}]']);
    const revoked = events.find((e) => e.type === 'agent_token.revoked') as Event;
    expect(revoked).toMatchObject({ actor: 'ps:ps.example', iss: 'ap:trip', agent: 'trip' });
    const refused = events.filter((e) => e.type === 'agent_token.refused');
    expect(refused.map((e) => [e.agent, e.endpoint, e.reason])).toEqual([
      ['trip', 'delegation', 'agent_token_revoked'],
      ['trip', 'delegation', 'agent_token_revoked'],
    ]);
    expect(refused[0]?.t).toBeGreaterThan(revoked.t);
    const stopped = events.filter((e) => e.type === 'agent.stopped').map((e) => [e.actor, e.reason]);
    expect(stopped).toEqual([
      ['agent:flight-checkout', 'delegation refused: agent_token_revoked'],
      ['agent:hotel-checkout', 'delegation refused: agent_token_revoked'],
    ]);
    expect(events.some((e) => e.type === 'delegation.requested' || e.type === 'delegation.granted')).toBe(false);
  });

  it('without the revocation the same hops are granted', () => {
    const events = run('travel-booking-payment', [AT_EVALUATION]);
    expect(events.some((e) => e.type === 'agent_token.refused')).toBe(false);
    expect(events.filter((e) => e.type === 'delegation.granted').map((e) => e.child)).toEqual(['flight-checkout', 'hotel-checkout']);
  });
});

describe('agent-token expiry: the provider issues no token after revoking one', () => {
  // The exporter's agent token lives 6m: revoked at 5m, expired at 6m; the export at 8m needs a new token request.
  it('aauth-r11: the runtime whose revoked token expired stops (expired_agent_token) without asking the PS', () => {
    const events = run('bulk-export-after-terminate', ['profile=aauth-r11', 'tokens.agent_ttl=6m', ...STOP]);
    expect(events.filter((e) => e.type === 'token.agent_issued')).toHaveLength(1);
    const stopped = events.find((e) => e.type === 'agent.stopped') as Event;
    expect(stopped).toMatchObject({ actor: 'agent:exporter', reason: 'expired_agent_token' });
    // Nothing presented the expired token: no token request after the revocation, no auth token past the agent token's exp.
    const agentExp = events.find((e) => e.type === 'token.agent_issued')?.exp as number;
    expect(events.some((e) => (e.type === 'token.auth_denied' || e.type === 'token.person_denied') && e.t > agentExp)).toBe(false);
    expect(events.filter((e) => e.type === 'token.auth_granted').every((e) => (e.exp as number) <= agentExp)).toBe(true);
    expect(events.some((e) => e.type === 'op.executed' && e.op === 'bulk_export')).toBe(false);
  });

  it('aauth-r01: the PS cannot revoke it, but once it expires the runtime has none and stops', () => {
    const events = run('bulk-export-after-terminate', ['profile=aauth-r01', 'tokens.agent_ttl=6m', ...STOP]);
    expect(events.find((e) => e.type === 'agent_token.revocation_answered')).toMatchObject({ status: 'revocation_unsupported' });
    expect(events.find((e) => e.type === 'agent.stopped')).toMatchObject({ reason: 'expired_agent_token' });
    expect(events.some((e) => e.type === 'op.executed' && e.op === 'bulk_export')).toBe(false);
  });

  it('without a revocation the provider renews the expired token and the export runs', () => {
    const events = run('bulk-export-after-terminate', ['profile=aauth-r11', 'tokens.agent_ttl=6m', 'interventions=[]']);
    expect(events.filter((e) => e.type === 'token.agent_issued').length).toBeGreaterThan(1);
    expect(events.some((e) => e.type === 'op.executed' && e.op === 'bulk_export')).toBe(true);
  });
});
