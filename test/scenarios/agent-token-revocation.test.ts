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
    // The CRM auth token and the CRM person token were issued on requests presenting the agent token.
    const crmAuth = events.find((e) => e.type === 'token.auth_granted' && e.resource === 'crm') as Event;
    const crmPerson = events.find((e) => e.type === 'token.person_issued' && e.resource === 'crm') as Event;
    expect(revoked.revoked_tokens).toEqual(expect.arrayContaining([crmAuth.jti, crmPerson.jti]));
    for (const jti of [crmAuth.jti, crmPerson.jti]) {
      expect(events.some((e) => e.type === 'revocation.sent' && e.jti === jti && e.resource === 'crm')).toBe(true);
      expect(events.some((e) => e.type === 'revocation.received' && e.jti === jti)).toBe(true);
    }
    expect(events.find((e) => e.type === 'agent_token.revocation_answered')).toMatchObject({ status: 200 });
    // At 8m the runtime asks for a token for the export with its revoked agent token: refused, and it stops.
    const denied = events.find((e) => e.type === 'token.person_denied' || e.type === 'token.auth_denied') as Event;
    expect(denied).toMatchObject({ resource: 'export-service', reason: 'agent_token_revoked' });
    expect(denied.t).toBeGreaterThan(revoked.t);
    expect(events.some((e) => e.type === 'op.executed' && e.actor === 'resource:export-service' && e.op === 'bulk_export')).toBe(false);
    expect(events.some((e) => e.type === 'agent.stopped')).toBe(true);
    // The mission itself is not ended: only the runtime's credential is.
    expect(events.some((e) => e.type === 'mission.terminated')).toBe(false);
  });

  it('without the revocation the same runtime exports', () => {
    const events = run('bulk-export-after-terminate', ['profile=aauth-r11', 'interventions=[]']);
    expect(events.some((e) => e.type === 'op.executed' && e.actor === 'resource:export-service' && e.op === 'bulk_export')).toBe(true);
    expect(events.some((e) => e.type.startsWith('agent_token.'))).toBe(false);
  });

  it('aauth-r01 sends {jti} only; oauth has no such endpoint and the runtime goes on', () => {
    const r01 = run('bulk-export-after-terminate', ['profile=aauth-r01', ...STOP]);
    const sent = r01.find((e) => e.type === 'agent_token.revocation_sent') as Event;
    expect(sent).not.toHaveProperty('exp');
    expect(r01.find((e) => e.type === 'token.auth_denied')).toMatchObject({ resource: 'export-service', reason: 'agent_token_revoked' });
    const oauth = run('bulk-export-after-terminate', ['profile=oauth', ...STOP]);
    expect(oauth.find((e) => e.type === 'agent_token.revocation_answered')).toMatchObject({ status: 'revocation_unsupported' });
    expect(oauth.some((e) => e.type === 'agent_token.revoked')).toBe(false);
    expect(oauth.some((e) => e.type === 'op.executed' && e.actor === 'resource:export-service' && e.op === 'bulk_export')).toBe(true);
  });
});
