import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { applyIntervention } from '../../../sim/lifecycle/interventions.ts';
import type { MissionControl } from '../../../sim/protocol/mission-directory.ts';
import type { InterventionDef } from '../../../sim/scenario/schema.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/** A PS's mission controls that note what they were asked, and the log length when asked. */
function control(audit: RecordingSink, calls: string[]): MissionControl {
  const note = (what: string) => calls.push(`${what} after ${audit.count} events`);
  return {
    ownMissionOf: (agent) => (agent === 'a' ? 'm-a' : null),
    terminate: (agent, reason) => note(`terminate ${agent} ${reason}`),
    terminateForPolicy: (agent) => note(`terminate-policy ${agent}`),
    suspend: (agent) => note(`suspend ${agent}`),
    resume: (agent) => note(`resume ${agent}`),
    complete: (agent, by) => note(`complete ${agent} by ${by}`),
    cancel: (agent) => note(`cancel ${agent}`),
  };
}

const ACTIONS: Array<[InterventionDef['action'], string, string]> = [
  ['terminate', 'person.terminate', 'terminate a revoked'],
  ['suspend', 'person.suspend', 'suspend a'],
  ['resume', 'person.resume', 'resume a'],
  ['complete', 'person.complete', 'complete a by person'],
  ['cancel', 'person.cancel', 'cancel a'],
  ['terminate-policy', 'person.terminate_policy', 'terminate-policy a'],
];

describe('applyIntervention', () => {
  it.each(ACTIONS)("%s: logs %s under the agent's own mission first, then asks the PS (%s)", (action, type, call) => {
    const sim = new Simulation();
    const audit = new RecordingSink();
    const calls: string[] = [];
    sim.schedule(42, () =>
      applyIntervention(new WorldContext(sim, 1, audit), control(audit, calls), 'alice', { at: '42us', person: 'alice', agent: 'a', action }),
    );
    sim.run();
    expect(audit.events).toEqual([{ t: 42, type, mission: 'm-a', actor: 'person:alice', fields: { agent: 'a' } }]);
    expect(calls).toEqual([`${call} after 1 events`]);
  });

  it('logs a null mission for an agent without a mission of its own', () => {
    const audit = new RecordingSink();
    applyIntervention(new WorldContext(new Simulation(), 1, audit), control(audit, []), 'alice', {
      at: '0s',
      person: 'alice',
      agent: 'sub',
      action: 'suspend',
    });
    expect(audit.events[0]?.mission).toBeNull();
  });
});
