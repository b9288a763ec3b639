import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { MissionControlEndpoint } from '../../../sim/protocol/mission-control.ts';
import type { MissionRecord } from '../../../sim/protocol/mission-record.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

function setup() {
  const audit = new RecordingSink();
  const ctx = new WorldContext(new Simulation(), 1, audit);
  const record = { s256: 'M1', agent: 'a', person: { id: 'alice' }, state: 'active' } as unknown as MissionRecord;
  const acted: string[] = [];
  const endpoint = new MissionControlEndpoint(ctx, 'ps:home', {
    find: (s256) => (s256 === 'M1' ? record : undefined),
    body: () => '{"agent":"a"}',
    updates: () => [{ body: '{"sequence":1}', s256: 'U1' }],
    act: (r, action) => acted.push(`${r.agent} ${action}`),
  });
  return { audit, endpoint, acted };
}

describe('mission_control_endpoint (aauth-latest)', () => {
  it('answers a missing and a foreign mission identically, and says which only in its own log', () => {
    const { audit, endpoint, acted } = setup();
    const missing = endpoint.act('bob', 'nope', 'terminate');
    const foreign = endpoint.act('bob', 'M1', 'terminate');
    expect(foreign).toEqual(missing);
    expect(JSON.stringify(foreign)).toBe(JSON.stringify(missing));
    expect(missing).toEqual({ status: 404, error: 'mission_not_found' });
    expect(endpoint.status('bob', 'M1')).toEqual(endpoint.status('bob', 'nope'));
    expect(acted).toEqual([]);
    expect(audit.ofType('mission_control.refused').map((e) => [e.mission, e.fields?.cause])).toEqual([
      [null, 'not_found'],
      ['M1', 'not_yours'],
      ['M1', 'not_yours'],
      [null, 'not_found'],
    ]);
  });

  it("lets the mission's own person read it (body and accepted updates) and act on it", () => {
    const { endpoint, acted } = setup();
    expect(endpoint.status('alice', 'M1')).toEqual({ status: 200, state: 'active', body: '{"agent":"a"}', updates: ['{"sequence":1}'] });
    expect(endpoint.act('alice', 'M1', 'suspend')).toMatchObject({ status: 200 });
    expect(acted).toEqual(['a suspend']);
  });

  it("acts for the PS's own runtime monitor (trusted) on any mission it names, and refuses one it does not hold", () => {
    const { endpoint, acted, audit } = setup();
    expect(endpoint.act('monitor', 'M1', 'terminate-policy', true)).toMatchObject({ status: 200 });
    expect(endpoint.act('monitor', 'nope', 'terminate-policy', true)).toEqual({ status: 404, error: 'mission_not_found' });
    expect(endpoint.act('monitor', 'M1', 'terminate-policy')).toEqual({ status: 404, error: 'mission_not_found' });
    expect(acted).toEqual(['a terminate-policy']);
    expect(audit.ofType('mission_control.refused').map((e) => e.fields?.cause)).toEqual(['not_found', 'not_yours']);
  });
});
