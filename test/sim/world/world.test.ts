import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { World } from '../../../sim/world/world.ts';
import { SCENARIOS } from '../../helpers.ts';
import { RecordingSink } from './recording-sink.ts';

describe('World', () => {
  it('opens the log with run.started (what ran, how to read its clock), then wires resources and workload onto the engine', () => {
    const { spec } = loadScenario(`${SCENARIOS}/mm1.yaml`, ['duration=600s']);
    const sim = new Simulation();
    const audit = new RecordingSink();
    const world = new World(new WorldContext(sim, 42, audit), spec);
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({ t: 0, type: 'run.started', mission: null, actor: 'missionbench' });
    expect(audit.events[0]?.fields).toMatchObject({ scenario: 'mm1', seed: 42, profile: 'aauth-r01' });
    expect(typeof audit.events[0]?.fields?.clock_origin).toBe('string');
    expect([...world.resources.keys()]).toEqual(['server']);
    sim.run(600_000_000);
    world.finish();
    const [queue] = world.summary().queues;
    expect(queue?.resource).toBe('server');
    expect(queue?.arrivals).toBe(audit.ofType('job.arrive').length);
    expect(queue?.completed).toBe(audit.ofType('job.done').length);
    expect(queue?.arrivals).toBeGreaterThan(450); // about 600 at one per second
    expect(queue?.theory).toBeDefined();
  });

  it('the same scenario and seed give the same events; another seed gives others', () => {
    const events = (seed: number) => {
      const { spec } = loadScenario(`${SCENARIOS}/mm1.yaml`, ['duration=120s']);
      const sim = new Simulation();
      const audit = new RecordingSink();
      new World(new WorldContext(sim, seed, audit), spec);
      sim.run(120_000_000);
      return audit.events.slice(1); // run.started names the seed
    };
    expect(events(3)).toEqual(events(3));
    expect(events(3)).not.toEqual(events(4));
  });
});
