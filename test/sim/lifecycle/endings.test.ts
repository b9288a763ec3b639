import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { MissionEndings } from '../../../sim/lifecycle/endings.ts';
import { Reproposals } from '../../../sim/lifecycle/reproposal.ts';
import type { MissionRecord, MissionState } from '../../../sim/protocol/mission-record.ts';
import { OutstandingTokens } from '../../../sim/protocol/outstanding-tokens.ts';
import type { PersonChannel } from '../../../sim/protocol/person-channel.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import type { RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
import type { Token } from '../../../sim/protocol/tokens.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';
import type { ProfileName } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { FakeRevocationTarget, tokenFor } from '../protocol/fakes.ts';
import { RecordingSink } from '../world/recording-sink.ts';

function setup(profile: ProfileName, state: MissionState = 'active', outstanding: Token[] = []) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const tokens = new OutstandingTokens(true);
  for (const token of outstanding) tokens.add(token, 0);
  const record: MissionRecord = { s256: 'm', agent: 'a', person: {} as PersonChannel, state, scope: new Set(), expiresAt: 9_000, outstanding: tokens };
  const cal = new FakeRevocationTarget(sim, 'cal', { mode: 'push' });
  const revoked: string[] = [];
  const reproposals = new Reproposals();
  const endings = new MissionEndings(
    ctx,
    'ps:home',
    resolveProfile(profile, compileTokens(undefined)),
    { get: (agent) => (agent === 'a' ? record : undefined), descendants: () => ['a/sub'] },
    new Map<string, RevocationTarget>([['resource:cal', cal]]),
    { revokeMission: (_, live, recallAll) => revoked.push(`${sim.now} ${live.map((t) => t.jti).join(',')}${recallAll ? ' recall' : ''}`) },
    reproposals,
    () => 0.5,
  );
  const types = () => audit.events.map((event) => event.type).filter((type) => type !== 'audit.session_block');
  return { sim, audit, record, cal, revoked, reproposals, endings, types };
}

describe('MissionEndings: termination', () => {
  it('terminates once: logs the reason, revokes the unexpired outstanding tokens, seals the mission', () => {
    const { sim, audit, record, revoked, endings, types } = setup('aauth-r01', 'active', [
      tokenFor('live', 'resource:cal', { exp: 10_000 }),
      tokenFor('old', 'resource:cal', { exp: 5_000 }),
    ]);
    sim.schedule(5_000, () => {
      endings.terminate('a', 'revoked');
      endings.terminate('a', 'again');
    });
    sim.run();
    expect(types()).toEqual(['mission.terminated']);
    expect(audit.events[0]).toMatchObject({ t: 5_000, mission: 'm', actor: 'ps:home', fields: { agent: 'a', reason: 'revoked' } });
    expect(audit.ofType('audit.session_block')).toHaveLength(1);
    expect(revoked).toEqual(['5000 live']); // an expired token needs no revocation
    expect(record).toMatchObject({ state: 'terminated', terminatedAt: 5_000 });
    expect(record.outstanding.all()).toEqual([]);
  });

  it('ignores an agent it holds no mission for', () => {
    const { audit, revoked, endings } = setup('aauth-r01');
    endings.terminate('stranger', 'revoked');
    endings.suspend('stranger');
    endings.cancel('stranger');
    expect(audit.events).toEqual([]);
    expect(revoked).toEqual([]);
  });

  it('a policy termination is terminated-policy with recall under mission-authority, administrative without recall elsewhere', () => {
    const rich = setup('mission-authority', 'active', [tokenFor('t', 'resource:cal')]);
    rich.endings.terminateForPolicy('a');
    expect(rich.audit.events[0]?.fields).toEqual({ agent: 'a', reason: 'terminated-policy' });
    expect(rich.revoked).toEqual(['0 t recall']);
    const plain = setup('aauth-m0', 'active', [tokenFor('t', 'resource:cal')]);
    plain.endings.terminateForPolicy('a');
    expect(plain.audit.events[0]?.fields).toEqual({ agent: 'a', reason: 'administrative' });
    expect(plain.revoked).toEqual(['0 t']);
  });
});

describe('MissionEndings: completion and cancellation', () => {
  it('without rich endings, completion and cancellation are terminations with their r11 reasons', () => {
    const completed = setup('aauth-r11');
    completed.endings.complete('a', 'person');
    expect(completed.audit.events[0]?.fields).toEqual({ agent: 'a', reason: 'completed' });
    const cancelled = setup('aauth-r11');
    cancelled.endings.cancel('a');
    expect(cancelled.audit.events[0]?.fields).toEqual({ agent: 'a', reason: 'revoked' });
  });

  it('mission-authority completion revokes nothing: outstanding work drains', () => {
    const { record, revoked, endings, types, audit } = setup('mission-authority', 'active', [tokenFor('t', 'resource:cal')]);
    endings.complete('a', 'plan');
    expect(types()).toEqual(['mission.completed']);
    expect(audit.events[0]?.fields).toEqual({ agent: 'a', by: 'plan' });
    expect(revoked).toEqual([]);
    expect(record.state).toBe('completed');
    expect(record.outstanding.all()).toHaveLength(1);
    expect(record.terminatedAt).toBeUndefined();
  });

  it('a pending mission can be neither completed nor cancelled', () => {
    const { audit, endings, record } = setup('mission-authority', 'pending');
    endings.complete('a', 'person');
    endings.cancel('a');
    expect(audit.events).toEqual([]);
    expect(record.state).toBe('pending');
  });

  it('mission-authority cancellation sends the resources their tokens over the revocation latency and clears them', () => {
    const { sim, record, cal, endings, types } = setup('mission-authority', 'active', [
      tokenFor('t1', 'resource:cal'),
      tokenFor('t2', 'resource:cal', { exp: 0 }),
    ]);
    sim.schedule(100, () => endings.cancel('a'));
    sim.run();
    expect(types()).toEqual(['mission.cancelled']);
    expect(cal.calls).toEqual(['10100 cancel m t1,t2']);
    expect(record).toMatchObject({ state: 'cancelled', terminatedAt: 100 });
    expect(record.outstanding.all()).toEqual([]);
  });
});

describe('MissionEndings: suspension, resumption and time-outs', () => {
  it('mission-authority: suspension tells the resources of live tokens, resume tells the same ones again', () => {
    const { sim, cal, endings, types, record } = setup('mission-authority', 'active', [
      tokenFor('t1', 'resource:cal', { exp: 50_000 }),
      tokenFor('gone', 'resource:cal', { exp: 0 }),
    ]);
    sim.schedule(1, () => endings.suspend('a'));
    sim.schedule(60_000, () => endings.resume('a')); // t1 has expired by now: its parked work must still hear
    sim.run();
    expect(types()).toEqual(['mission.suspended', 'mission.resumed']);
    expect(cal.calls).toEqual(['10001 suspend t1', '70000 resume t1']);
    expect(record.state).toBe('active');
    expect(record.heldTokens).toBeUndefined();
  });

  it('m0: suspension stops new tokens but tells no resource', () => {
    const { sim, cal, endings, types } = setup('aauth-m0', 'active', [tokenFor('t1', 'resource:cal')]);
    endings.suspend('a');
    endings.resume('a');
    sim.run();
    expect(types()).toEqual(['mission.suspended', 'mission.resumed']);
    expect(cal.calls).toEqual([]);
  });

  it('terminate-only profiles: a pause terminates and a resume invites the agent to re-propose', () => {
    const { endings, types, reproposals, audit } = setup('aauth-r11');
    endings.suspend('a');
    expect(types()).toEqual(['mission.terminated']);
    expect(audit.events[0]?.fields).toEqual({ agent: 'a', reason: 'administrative' });
    expect(reproposals.state('a')).toBe('paused');
    expect(endings.resume('a')).toBe(true);
    expect(reproposals.state('a')).toBe('resumed');
    expect(endings.resume('a')).toBe(false);
  });

  it('completing a suspended mission releases its parked work', () => {
    const { sim, cal, endings } = setup('mission-authority', 'active', [tokenFor('t1', 'resource:cal')]);
    endings.suspend('a');
    sim.schedule(20_000, () => endings.complete('a', 'person'));
    sim.run();
    expect(cal.calls).toEqual(['10000 suspend t1', '30000 resume t1']);
  });

  it('a time-out ends only an active or suspended mission, logging expires_at', () => {
    const { audit, endings, record, types } = setup('mission-authority');
    endings.timeOut(record);
    endings.timeOut(record);
    expect(types()).toEqual(['mission.timed_out']);
    expect(audit.events[0]?.fields).toEqual({ agent: 'a', expires_at: 9_000 });
    expect(record.state).toBe('timed-out');
    const pending = setup('mission-authority', 'pending');
    pending.endings.timeOut(pending.record);
    expect(pending.audit.events).toEqual([]);
  });
});
