import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { MissionRecord } from '../../../sim/protocol/mission-record.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { RevocationSender } from '../../../sim/protocol/revocation-sender.ts';
import { type CascadeNode, RevocationCascade } from '../../../sim/protocol/revocation-cascade.ts';
import type { RevocationAnswer, RevocationConfig, RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';
import { readsOutside, recordingReads } from '../../scenarios/member-reads.ts';
import { FakeRevocationTarget, tokenFor } from './fakes.ts';

const RECORD = { s256: 'm', agent: 'a' } as MissionRecord;

function setup(profile: 'aauth-r11' | 'aauth-latest', targets: (sim: Simulation) => FakeRevocationTarget[], configReads = new Set<string>()) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const list = targets(sim);
  // The PS holds each resource with its revocation settings watched: which of them the PS reads goes into `configReads`.
  const resources = new Map<string, RevocationTarget>(list.map((target) => [`resource:${target.id}`, watchedSettings(target, configReads)]));
  const sender = new RevocationSender(ctx, 'ps:home', resolveProfile(profile, compileTokens(undefined)), resources, () => 0.99);
  return { sim, audit, sender, targets: list, configReads };
}

/** `target` as a caller holds it: its `revocation` settings a recording stand-in (the target's own methods read the real ones). */
function watchedSettings<T extends { revocation: object }>(target: T, reads: Set<string>): T {
  return new Proxy(target, {
    get(object, key) {
      if (key === 'revocation') return recordingReads(object.revocation, reads);
      const value: unknown = Reflect.get(object, key, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/**
 * What a caller may read of a resource's revocation settings: whether it
 * is called at all (`mode`, receivesRevocationCalls) and the per-resource
 * call settings the PS keeps for it (latency, loss, retries,
 * retry_interval), documented in docs/architecture.md, "Shortcuts still
 * taken". Never its outages, its Retry-After or its cache: those are the
 * resource's answers.
 */
const MAY_READ_OF_SETTINGS = ['mode', 'latency', 'loss', 'retries', 'retryInterval'];

const lines = (audit: RecordingSink) => audit.events.map((event) => `${event.t} ${event.type} ${JSON.stringify(event.fields)}`);
// Down from 0 to 1.5 s: the first call (arriving at 10 ms) and the retry at 1.02 s (arriving at 1.03 s) find it down; the next one gets through.
const DOWN = { mode: 'push' as const, retries: 3, retryInterval: 1_000_000, outages: [{ from: 0, until: 1_500_000 }] };

describe('aauth-latest revocation outcomes at the first recipient', () => {
  it('a down endpoint answers revocation_unavailable with the exposure; the PS retries until it gets through', () => {
    const { sim, audit, sender, targets } = setup('aauth-latest', (s) => [new FakeRevocationTarget(s, 'cal', DOWN, [200])]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal', { exp: 99 })], false);
    sim.run();
    expect(lines(audit)).toEqual([
      '0 revocation.sent {"resource":"cal","attempt":0,"jti":"t1","exp":99}',
      '20000 revocation.unavailable {"jti":"t1","to":"cal","attempt":0,"error":"revocation_unavailable","exposed_until":99,"retry":true}',
      '1020000 revocation.sent {"resource":"cal","attempt":1,"jti":"t1","exp":99}',
      '1040000 revocation.unavailable {"jti":"t1","to":"cal","attempt":1,"error":"revocation_unavailable","exposed_until":99,"retry":true}',
      '2040000 revocation.sent {"resource":"cal","attempt":2,"jti":"t1","exp":99}',
      '2060000 revocation.answered {"resource":"cal","jti":"t1","status":200}',
      '2060000 revocation.complete {"agent":"a","elapsed_us":2060000}',
    ]);
    expect(targets[0]!.calls).toEqual(['2050000 cascade t1']);
  });

  it('gives up after the endpoint retries: the last answer says no retry, and the termination never completes', () => {
    const { sim, audit, sender } = setup('aauth-latest', (s) => [new FakeRevocationTarget(s, 'cal', { ...DOWN, retries: 1 }, [200])]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(audit.ofType('revocation.unavailable').map((event) => event.fields?.retry)).toEqual([true, false]);
    expect(audit.ofType('revocation.complete')).toEqual([]);
  });

  it('aauth-r11: the same outage shows only as lost calls, logged when retry_interval passed with no answer, and sent again then', () => {
    const { sim, audit, sender } = setup('aauth-r11', (s) => [new FakeRevocationTarget(s, 'cal', DOWN, [200])]);
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal')], false);
    sim.run();
    expect(audit.ofType('revocation.unavailable')).toEqual([]);
    expect(audit.ofType('revocation.lost').map((event) => event.t)).toEqual([1_000_000, 2_000_000]);
    expect(audit.ofType('revocation.sent').map((event) => event.t)).toEqual([0, 1_000_000, 2_000_000]);
    expect(audit.ofType('revocation.complete')).toHaveLength(1);
  });

  it('a resource that cannot revoke answers revocation_unsupported when the call reaches it; the PS logs it when the answer is back (r11 does not call it)', () => {
    const latest = setup('aauth-latest', (s) => [new FakeRevocationTarget(s, 'ttl', { mode: 'none' })]);
    latest.sender.revokeMission(RECORD, [tokenFor('t1', 'resource:ttl', { exp: 77 })], false);
    latest.sim.run();
    // One latency (10 ms) to the resource, which answers; one back, when the PS logs it: 2 x 10 ms after the call was sent.
    expect(latest.targets[0]!.calls).toEqual(['10000 unsupported t1']);
    expect(lines(latest.audit)).toEqual([
      '0 revocation.sent {"resource":"ttl","attempt":0,"jti":"t1","exp":77}',
      '20000 revocation.unsupported {"jti":"t1","to":"ttl","error":"revocation_unsupported","exposed_until":77}',
      // A terminal outcome: nothing is left to wait for, so the termination's revocations are complete.
      '20000 revocation.complete {"agent":"a","elapsed_us":20000}',
    ]);
    const r11 = setup('aauth-r11', (s) => [new FakeRevocationTarget(s, 'ttl', { mode: 'none' })]);
    r11.sender.revokeMission(RECORD, [tokenFor('t1', 'resource:ttl')], false);
    r11.sim.run();
    expect(r11.audit.events).toEqual([]);
  });

  it('the PS logs what the resource answered, not what its configuration says (a TTL-only resource that answers 200)', () => {
    const { sim, audit, targets, sender } = setup('aauth-latest', (s) => [new FakeRevocationTarget(s, 'ttl', { mode: 'none' })]);
    targets[0]!.script.push({ status: 200 });
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:ttl', { exp: 77 })], false);
    sim.run();
    expect(audit.ofType('revocation.unsupported')).toEqual([]);
    expect(lines(audit)).toContain('20000 revocation.answered {"resource":"ttl","jti":"t1","status":200}');
  });

  it("at run time the PS and a cascading resource read of a recipient's settings only whom to call and how: outcomes come from the answers", () => {
    const reads = new Set<string>();
    const variants: Array<
      [FakeRevocationTarget['revocation'] | Partial<FakeRevocationTarget['revocation']>, Array<{ status: number } & Record<string, unknown>>]
    > = [
      [{ ...DOWN }, []],
      [{ mode: 'none' }, []],
      [{ mode: 'none' }, [{ status: 200 }]],
      [{ mode: 'push', retryAfter: 500_000 }, [{ status: 202, retryAfter: 123_000 }]],
      [{ mode: 'push', retries: 0 }, [{ status: 429, error: 'rate_limited', retryAfter: 300_000 }]],
    ];
    for (const profile of ['aauth-r11', 'aauth-latest'] as const) {
      for (const [config, script] of variants) {
        const { sim, sender, targets } = setup(
          profile,
          (s) => [new FakeRevocationTarget(s, 'cal', config as RevocationConfig & { mode: RevocationConfig['mode'] }, [200])],
          reads,
        );
        targets[0]!.script.push(...(script as RevocationAnswer[]));
        sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal', { exp: 99 })], false);
        sim.run();
      }
      // A resource cascading to the one it called downstream (call chaining): the downstream recipient down, without an endpoint, or fine.
      for (const config of [{ ...DOWN }, { mode: 'none' as const }, { mode: 'push' as const }]) {
        const sim = new Simulation();
        const ctx = new WorldContext(sim, 1, new RecordingSink());
        const front = new FakeRevocationTarget(sim, 'front', { mode: 'push' }) as unknown as CascadeNode;
        const cascade = new RevocationCascade(ctx, front, profile === 'aauth-latest');
        const downstream = watchedSettings(new FakeRevocationTarget(sim, 'db', config, [200]), reads) as unknown as CascadeNode;
        cascade.noteDownstream('t1', downstream, tokenFor('d1', 'resource:db', { exp: 99 }));
        cascade.revoke(tokenFor('t1', 'resource:front', { exp: 99 }), false);
        sim.run();
      }
    }
    expect(readsOutside(reads, MAY_READ_OF_SETTINGS)).toEqual([]);
    // The stand-in was live.
    for (const member of ['mode', 'latency', 'retries', 'retryInterval']) expect(reads.has(member), member).toBe(true);
    // Negative control: reading the recipient's outages or configured Retry-After is caught.
    const caught = new Set<string>();
    const watched = watchedSettings(new FakeRevocationTarget(new Simulation(), 'x', { ...DOWN }), caught);
    void watched.revocation.outages;
    void watched.revocation.retryAfter;
    expect(readsOutside(caught, MAY_READ_OF_SETTINGS)).toEqual(['outages', 'retryAfter']);
  });

  it('rate_limited: the PS waits the Retry-After and calls again (the wait is not one of its retries)', () => {
    const { sim, audit, targets, sender } = setup('aauth-latest', (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'push', retries: 0 }, [200])]);
    targets[0]!.script.push({ status: 429, error: 'rate_limited', retryAfter: 300_000 }, { status: 429, error: 'rate_limited', retryAfter: 100_000 });
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal', { exp: 99 })], false);
    sim.run();
    expect(lines(audit)).toEqual([
      '0 revocation.sent {"resource":"cal","attempt":0,"jti":"t1","exp":99}',
      '20000 revocation.rate_limited {"jti":"t1","to":"cal","attempt":0,"error":"rate_limited","retry_after_us":300000}',
      '320000 revocation.sent {"resource":"cal","attempt":1,"jti":"t1","exp":99}',
      '340000 revocation.rate_limited {"jti":"t1","to":"cal","attempt":1,"error":"rate_limited","retry_after_us":100000}',
      '440000 revocation.sent {"resource":"cal","attempt":2,"jti":"t1","exp":99}',
      '460000 revocation.answered {"resource":"cal","jti":"t1","status":200}',
      '460000 revocation.complete {"agent":"a","elapsed_us":460000}',
    ]);
  });

  it("polls a 202 after the Retry-After the answer carried (not the endpoint's configured one)", () => {
    const { sim, audit, targets, sender } = setup('aauth-latest', (s) => [new FakeRevocationTarget(s, 'cal', { mode: 'push', retryAfter: 500_000 }, [200])]);
    targets[0]!.script.push({ status: 202, retryAfter: 123_000 });
    sender.revokeMission(RECORD, [tokenFor('t1', 'resource:cal', { exp: 99 })], false);
    sim.run();
    expect(lines(audit).filter((line) => line.includes('answered'))).toEqual([
      '20000 revocation.answered {"resource":"cal","jti":"t1","status":202,"retry_after_us":123000}',
      // 123 ms after the 202 arrived, the poll goes out; one latency there, one back.
      '163000 revocation.answered {"resource":"cal","jti":"t1","status":200}',
    ]);
    expect(targets[0]!.calls).toEqual(['10000 answer t1 202', '153000 poll t1']);
  });
});
