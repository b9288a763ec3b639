import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import type { MissionRecord } from '../../../sim/protocol/mission-record.ts';
import { resolveProfile } from '../../../sim/protocol/profiles.ts';
import { RateLimiter } from '../../../sim/protocol/rate-limiter.ts';
import { type CascadeNode, RevocationCascade } from '../../../sim/protocol/revocation-cascade.ts';
import { RevocationSender } from '../../../sim/protocol/revocation-sender.ts';
import { receivesRevocationCalls, type RevocationTarget } from '../../../sim/protocol/revocation-target.ts';
import { compileTokens } from '../../../sim/scenario/compile.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import type { RevocationMode } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { World } from '../../../sim/world/world.ts';
import { SCENARIOS } from '../../helpers.ts';
import { recordingReads } from '../../scenarios/member-reads.ts';
import { RecordingSink } from '../world/recording-sink.ts';
import { FakeRevocationTarget, tokenFor } from './fakes.ts';

const MODES: RevocationMode[] = ['push', 'none', 'events', 'introspect', 'cache'];
const RECORD = { s256: 'm', agent: 'a' } as MissionRecord;

/** Whether a caller sent `target` a revocation call (its endpoint's answerRevocation was reached), as the caller holds it. */
function watched(target: FakeRevocationTarget): { target: FakeRevocationTarget; called: () => boolean } {
  const reads = new Set<string>();
  return { target: recordingReads(target, reads), called: () => reads.has('answerRevocation') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('rules written once, checked by what the parties do', () => {
  it('receivesRevocationCalls: push always; a TTL-only resource only where outcomes are reported (aauth-latest); events, introspect and cache never', () => {
    expect(MODES.filter((mode) => receivesRevocationCalls(mode, false))).toEqual(['push']);
    expect(MODES.filter((mode) => receivesRevocationCalls(mode, true))).toEqual(['push', 'none']);
  });

  it('the PS and a cascading resource call exactly the recipients that rule names, mode by mode, under r11 and latest', () => {
    for (const profile of ['aauth-r11', 'aauth-latest'] as const) {
      const latest = profile === 'aauth-latest';
      const byPs: RevocationMode[] = [];
      const byCascade: RevocationMode[] = [];
      for (const mode of MODES) {
        // The PS revoking a mission's token at its resource.
        const sim = new Simulation();
        const ctx = new WorldContext(sim, 1, new RecordingSink());
        const resource = watched(new FakeRevocationTarget(sim, 'cal', { mode }));
        const resources = new Map<string, RevocationTarget>([['resource:cal', resource.target]]);
        new RevocationSender(ctx, 'ps:home', resolveProfile(profile, compileTokens(undefined)), resources, () => 0.99).revokeMission(
          RECORD,
          [tokenFor('t1', 'resource:cal', { exp: 99 })],
          false,
        );
        // A resource cascading to the one it called downstream under the revoked token.
        const front = new FakeRevocationTarget(sim, 'front', { mode: 'push' }) as unknown as CascadeNode;
        const cascade = new RevocationCascade(ctx, front, latest);
        const downstream = watched(new FakeRevocationTarget(sim, 'db', { mode }));
        cascade.noteDownstream('u1', downstream.target as unknown as CascadeNode, tokenFor('d1', 'resource:db', { exp: 99 }));
        cascade.revoke(tokenFor('u1', 'resource:front', { exp: 99 }), false);
        sim.run();
        if (resource.called()) byPs.push(mode);
        if (downstream.called()) byCascade.push(mode);
      }
      const rule = MODES.filter((mode) => receivesRevocationCalls(mode, latest));
      expect(byPs, profile).toEqual(rule);
      expect(byCascade, profile).toEqual(rule);
    }
  });

  it("a -11 parent's rate limit is a RateLimiter's: every rate_limited refusal it gave is what its RateLimiter answered", () => {
    const admits: Array<{ now: number; wait: number }> = [];
    const admit = RateLimiter.prototype.admit;
    vi.spyOn(RateLimiter.prototype, 'admit').mockImplementation(function (this: RateLimiter, caller: string, now: number) {
      const wait = admit.call(this, caller, now);
      if (caller === 'agent:procurement') admits.push({ now, wait });
      return wait;
    });
    const { spec } = loadScenario(join(SCENARIOS, 'parent-mediated-sub-agents.yaml'), []);
    const sim = new Simulation();
    const audit = new RecordingSink();
    const world = new World(new WorldContext(sim, 1, audit), spec);
    sim.run(3600e6);
    world.finish();
    const refusals = audit.ofType('delegation.parent_refused').filter((e) => e.fields?.reason === 'rate_limited');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.map((e) => [e.t, e.fields?.retry_after_us])).toEqual(admits.filter((a) => a.wait > 0).map((a) => [a.now, a.wait]));
    // And every request it forwarded went through the limiter first (admitted ones included).
    expect(admits.filter((a) => a.wait === 0).length).toBeGreaterThan(0);
  });
});
