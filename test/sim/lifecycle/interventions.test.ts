import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { applyIntervention, type ActingPerson } from '../../../sim/lifecycle/interventions.ts';
import type { ControlAnswer, ControlDesk, ControlRequest } from '../../../sim/protocol/mission-control.ts';
import { Network } from '../../../sim/protocol/network.ts';
import type { InterventionDef } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const LATENCY = 25_000;

/** A PS desk that notes each request when it serves it (at once, or 503 with the Retry-After `down` gives, while it gives one). */
function desk(sim: Simulation, served: Array<[number, ControlRequest]>, down: (now: number) => number | undefined = () => undefined): ControlDesk {
  return {
    actor: 'ps:home',
    control: (request: ControlRequest, reply: (answer: ControlAnswer) => void) => {
      const retryAfter = down(sim.now);
      if (retryAfter !== undefined) return reply({ status: 'unavailable', retryAfter });
      served.push([sim.now, request]);
      reply('done');
    },
  };
}

/** A person who was told of the mission of `a` (s256 m-a) and of nothing else. */
const alice: ActingPerson = { id: 'alice', missionKnown: (handle) => (handle === 'a' ? { s256: 'm-a' } : undefined) };

function act(intervention: InterventionDef, person: ActingPerson = alice, down?: (now: number) => number | undefined) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const network = new Network(ctx, parseDistribution(`const(${LATENCY}us)`, 'duration'));
  const served: Array<[number, ControlRequest]> = [];
  sim.schedule(42, () => applyIntervention(ctx, network, desk(sim, served, down), person, intervention));
  sim.run();
  return { audit, served };
}

const ACTIONS: Array<[InterventionDef['action'], string]> = [
  ['terminate', 'person.terminate'],
  ['suspend', 'person.suspend'],
  ['resume', 'person.resume'],
  ['complete', 'person.complete'],
  ['cancel', 'person.cancel'],
  ['terminate-policy', 'person.terminate_policy'],
];

describe('applyIntervention', () => {
  it.each(ACTIONS)('%s: logs %s naming the mission by the s256 the person was told, and reaches the PS one latency later', (action, type) => {
    const { audit, served } = act({ at: '42us', person: 'alice', agent: 'a', action });
    expect(audit.events).toEqual([{ t: 42, type, mission: 'm-a', actor: 'person:alice', fields: { agent: 'a' } }]);
    expect(served).toEqual([[42 + LATENCY, { from: { kind: 'person', id: 'alice' }, s256: 'm-a', action }]]);
  });

  it('a person never told of the mission names none (the PS answers mission_not_found as for a foreign one)', () => {
    const { audit, served } = act({ at: '0s', person: 'alice', agent: 'other', action: 'suspend' });
    expect(audit.events[0]?.mission).toBeNull();
    expect(served.map(([, request]) => request)).toEqual([{ from: { kind: 'person', id: 'alice' }, s256: null, action: 'suspend' }]);
  });

  it('oauth: a person told of a consent (no s256) names the client they consented to', () => {
    const consented: ActingPerson = { id: 'alice', missionKnown: () => ({ s256: null }) };
    const { served } = act({ at: '0s', person: 'alice', agent: 'a', action: 'terminate' }, consented);
    expect(served.map(([, request]) => request)).toEqual([{ from: { kind: 'person', id: 'alice' }, s256: null, handle: 'a', action: 'terminate' }]);
  });

  it('a 503 is sent again after the Retry-After it carries, each resend logged, until it is served', () => {
    const { audit, served } = act({ at: '42us', person: 'alice', agent: 'a', action: 'terminate' }, alice, (now) => (now < 6_000_000 ? 5_000_000 : undefined));
    expect(audit.ofType('mission_control.resent').map((e) => [e.t, e.fields?.attempt])).toEqual([
      [42 + 2 * LATENCY + 5_000_000, 1],
      [42 + 4 * LATENCY + 10_000_000, 2],
    ]);
    expect(served.map(([t]) => t)).toEqual([42 + 5 * LATENCY + 10_000_000]);
  });

  it("the wait is the answer's Retry-After, whatever it is (the sender reads nothing of the PS)", () => {
    const retryAfter = (now: number) => (now < 1_000_000 ? 7_000_000 : now < 8_000_000 ? 3_000_000 : undefined);
    const { audit } = act({ at: '42us', person: 'alice', agent: 'a', action: 'suspend' }, alice, retryAfter);
    expect(audit.ofType('mission_control.resent').map((e) => [e.t, e.fields?.retry_after_us])).toEqual([
      [42 + 2 * LATENCY + 7_000_000, 7_000_000],
      [42 + 4 * LATENCY + 10_000_000, 3_000_000],
    ]);
  });
});
