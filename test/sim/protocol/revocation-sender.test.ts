import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { MissionRecord } from '../../../sim/protocol/mission-record.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';
import { RevocationSender } from '../../../sim/protocol/revocation-sender.ts';
import type { RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';
import { FakeRevocationTarget, scripted, tokenFor } from './fakes.ts';

const RECORD = { s256: 'm', agent: 'a' } as MissionRecord;

function setup(profile: 'aauth-r01' | 'aauth-r11', targets: (sim: Simulation) => FakeRevocationTarget[], draws: number[] = []) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const list = targets(sim);
  const resources = new Map<string, RevocationTarget>(list.map((target) => [`resource:${target.id}`, target]));
  const sender = new RevocationSender(ctx, 'ps:home', resolveProfile(profile, compileTokens(undefined)), resources, scripted(draws));
  return { sim, audit, sender, targets: list };
}

const lines = (audit: RecordingSink) => audit.events.map((event) => `${event.t} ${event.type} ${JSON.stringify(event.fields)}`);

describe('RevocationSender, push (r01)', () => {
  it('calls the endpoint with {jti}, reaching it one latency later; tokens of resources without a channel get nothing', () => {
    const { sim, audit, sender, targets } = setup('aauth-r01', (s) => [
      new FakeRevocationTarget(s, 'cal', { mode: 'push' }),
      new FakeRevocationTarget(s, 'ttl', { mode: 'none' }),
      new FakeRevocationTarget(s, 'intro', { mode: 'introspect' }),
    ]);
    sender.revokeMission(
      RECORD,
      [tokenFor('t1', 'resource:cal'), tokenFor('t2', 'resource:ttl'), tokenFor('t3', 'resource:intro'), tokenFor('t4', 'resource:gone')],
      true,
    );
    sim.run();
    expect(lines(audit)).toEqual(['0 revocation.sent {"resource":"cal","attempt":0,"jti":"t1"}']);
    expect(targets[0]!.calls).toEqual(['10000 revoke t1 via push recall']);
    expect(targets[1]!.calls).toEqual([]);
    expect(targets[2]!.calls).toEqual([]);
  });

  it("retries a lost call every retry interval, and gives up after the endpoint's retries", () => {
    const { sim, audit, sender, targets } = setup(
      'aauth-r01',
      (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'push', loss: 0.5, retries: 2, retryInterval: 1_000_000 })],
      [0.1, 0.1, 0.1],
    );
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(lines(audit)).toEqual([
      // The PS cannot see a loss: it logs the call lost when retry_interval has passed without an answer, and sends it again.
      '0 revocation.sent {"resource":"cal","attempt":0,"jti":"t1"}',
      '1000000 revocation.lost {"resource":"cal","jti":"t1","attempt":0}',
      '1000000 revocation.sent {"resource":"cal","attempt":1,"jti":"t1"}',
      '2000000 revocation.lost {"resource":"cal","jti":"t1","attempt":1}',
      '2000000 revocation.sent {"resource":"cal","attempt":2,"jti":"t1"}',
      '3000000 revocation.lost {"resource":"cal","jti":"t1","attempt":2}',
    ]);
    expect(targets[0]!.calls).toEqual([]); // lost for good: the resource never learns
  });

  it('a retry that gets through reaches the resource one latency after it was sent', () => {
    const { sim, sender, targets } = setup(
      'aauth-r01',
      (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'push', loss: 0.5, retries: 3, retryInterval: 1_000_000 })],
      [0.1],
    );
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(targets[0]!.calls).toEqual(['1010000 revoke t1 via push']);
  });
});

describe('RevocationSender, event stream', () => {
  it('publishes an event that reaches the resource one latency later', () => {
    const { sim, audit, sender, targets } = setup('aauth-r01', (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'events', loss: 0.5, retries: 3 })], [0.9]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(lines(audit)).toEqual(['0 revocation.event_published {"resource":"cal","jti":"t1"}']);
    expect(targets[0]!.calls).toEqual(['10000 revoke t1 via events']);
  });

  it("never redelivers a dropped event, whatever the endpoint's retries", () => {
    const { sim, audit, sender, targets } = setup('aauth-r01', (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'events', loss: 0.5, retries: 3 })], [0.1]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(audit.events).toHaveLength(1);
    expect(targets[0]!.calls).toEqual([]);
  });
});

describe('RevocationSender and CascadePoller, r11 cascade', () => {
  it('sends {jti, exp}, records the 200 answer two latencies later and completes the termination', () => {
    const { sim, audit, sender, targets } = setup('aauth-r11', (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'push' }, [200])]);
    sim.schedule(5_000, () => sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal', { exp: 99 })], false));
    sim.run();
    expect(lines(audit)).toEqual([
      '5000 revocation.sent {"resource":"cal","attempt":0,"jti":"t1","exp":99}',
      '25000 revocation.answered {"resource":"cal","jti":"t1","status":200}',
      '25000 revocation.complete {"agent":"a","elapsed_us":20000}',
    ]);
    expect(audit.ofType('revocation.complete')[0]?.mission).toBe('m');
    expect(targets[0]!.calls).toEqual(['15000 cascade t1']);
  });

  it('polls a 202 every Retry-After until 200, and completes only when every push endpoint answered 200', () => {
    const { sim, audit, sender, targets } = setup('aauth-r11', (s) => [
      new FakeRevocationTarget(s, 'cal', { mode: 'push', retryAfter: 500_000 }, [202, 202, 200]),
      new FakeRevocationTarget(s, 'db', { mode: 'push' }, [200]),
    ]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal'), tokenFor('t2', 'resource:db')], true);
    sim.run();
    expect(targets[0]!.calls).toEqual(['10000 cascade t1 recall', '530000 poll t1', '1050000 poll t1']);
    expect(lines(audit).filter((line) => !line.includes('revocation.sent'))).toEqual([
      '20000 revocation.answered {"resource":"cal","jti":"t1","status":202,"retry_after_us":500000}',
      '20000 revocation.answered {"resource":"db","jti":"t2","status":200}',
      '540000 revocation.answered {"resource":"cal","jti":"t1","status":202,"retry_after_us":500000}',
      '1060000 revocation.answered {"resource":"cal","jti":"t1","status":200}',
      '1060000 revocation.complete {"agent":"a","elapsed_us":1060000}',
    ]);
  });

  it('leaves a chained token to the cascade of the resource holding its upstream token (both push endpoints)', () => {
    const { sim, audit, sender, targets } = setup('aauth-r11', (s) => [
      new FakeRevocationTarget(s, 'front', { mode: 'push' }),
      new FakeRevocationTarget(s, 'back', { mode: 'push' }),
    ]);
    sender.revokeMission(RECORD, [tokenFor('up', 'resource:front'), tokenFor('down', 'resource:back', { upstream: 'up' })], false);
    sim.run();
    expect(audit.ofType('revocation.sent').map((event) => event.fields?.jti)).toEqual(['up']);
    expect(targets[1]!.calls).toEqual([]);
    expect(audit.ofType('revocation.complete')).toHaveLength(1);
  });

  it('revokes a chained token itself when its upstream resource has no push endpoint', () => {
    const { sim, audit, sender } = setup('aauth-r11', (s) => [
      new FakeRevocationTarget(s, 'front', { mode: 'introspect' }),
      new FakeRevocationTarget(s, 'back', { mode: 'push' }),
    ]);
    sender.revokeMission(RECORD, [tokenFor('up', 'resource:front'), tokenFor('down', 'resource:back', { upstream: 'up' })], false);
    sim.run();
    expect(audit.ofType('revocation.sent').map((event) => event.fields?.jti)).toEqual(['down']);
  });

  it('a revocation lost for good never answers: the termination never completes', () => {
    const { sim, audit, sender } = setup('aauth-r11', (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'push', loss: 0.5, retries: 1 })], [0.1, 0.1]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(audit.ofType('revocation.lost')).toHaveLength(2);
    expect(audit.ofType('revocation.answered')).toEqual([]);
    expect(audit.ofType('revocation.complete')).toEqual([]);
  });

  it('records no completion when no token went to a push endpoint', () => {
    const { sim, audit, sender } = setup('aauth-r11', (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'events' })]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(audit.events.map((event) => event.type)).toEqual(['revocation.event_published']);
  });
});
