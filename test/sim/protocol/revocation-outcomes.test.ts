import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { MissionRecord } from '../../../sim/protocol/mission-record.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { RevocationSender } from '../../../sim/protocol/revocation-sender.ts';
import type { RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';
import { FakeRevocationTarget, tokenFor } from './fakes.ts';

const RECORD = { s256: 'm', agent: 'a' } as MissionRecord;

function setup(profile: 'aauth-r11' | 'aauth-latest', targets: (sim: Simulation) => FakeRevocationTarget[]) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const list = targets(sim);
  const resources = new Map<string, RevocationTarget>(list.map((target) => [`resource:${target.id}`, target]));
  const sender = new RevocationSender(ctx, 'ps:home', resolveProfile(profile, compileTokens(undefined)), resources, () => 0.99);
  return { sim, audit, sender, targets: list };
}

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

  it("revocation-sender and the cascade read no resource's configured mode `none` and write no outcome they did not receive", () => {
    const read = (file: string) => readFileSync(new URL(`../../../sim/protocol/${file}`, import.meta.url), 'utf8');
    const source = read('revocation-sender.ts');
    expect(source).not.toMatch(/['"]none['"]/);
    // Nor does a cascading resource decide a downstream outcome from the downstream resource's configuration.
    expect(read('revocation-cascade.ts')).not.toMatch(/['"]none['"]|endpointDown/);
    // The PS polls a 202 after the Retry-After the answer carried, not the endpoint's configured one.
    expect(read('cascade-poller.ts')).not.toMatch(/revocation\.retryAfter/);
    // revocation.unsupported is written in one place only: where a 403 answer arrived.
    const writes = [...source.matchAll(/record\('revocation\.unsupported'/g)];
    expect(writes).toHaveLength(1);
    const handler = source.slice(source.indexOf('private answered('), source.indexOf('private stream('));
    expect(handler).toContain("record('revocation.unsupported'");
    expect(handler).toContain('answer.status === 403');
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
