import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { compileResource, compileWorkload } from '../../../sim/scenario/compile.ts';
import type { ResourceDef, WorkloadDef } from '../../../sim/scenario/schema.ts';
import { startArrivals } from '../../../sim/world/arrivals.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { QueuedResource } from '../../../sim/world/queued-resource.ts';
import { RecordingSink } from './recording-sink.ts';

function setUp(queue: { servers: number; service: string; capacity?: number }) {
  const sim = new Simulation();
  const audit = new RecordingSink();
  const ctx = new WorldContext(sim, 1, audit);
  const resource = new QueuedResource(ctx, compileResource({ id: 'desk', queue } as ResourceDef));
  return { sim, audit, ctx, resource };
}

describe('QueuedResource', () => {
  it('records each job’s arrival, start (with its wait) and completion (with its sojourn), first come first served', () => {
    const { sim, audit, resource } = setUp({ servers: 1, service: '10s' });
    resource.submit({ source: 'walk-in', number: 1 });
    sim.schedule(4_000_000, () => resource.submit({ source: 'walk-in', number: 2 }));
    sim.run();
    expect(audit.events.map((e) => [e.t / 1e6, e.type, e.actor, e.fields])).toEqual([
      [0, 'job.arrive', 'walk-in', { resource: 'desk', job: 'walk-in#1' }],
      [0, 'job.start', 'desk', { job: 'walk-in#1', waited_us: 0 }],
      [4, 'job.arrive', 'walk-in', { resource: 'desk', job: 'walk-in#2' }],
      // The station hands the free server to the next job before it reports the finished one
      // (Station.complete), so the log has b's start before a's done at the same time.
      [10, 'job.start', 'desk', { job: 'walk-in#2', waited_us: 6_000_000 }],
      [10, 'job.done', 'desk', { job: 'walk-in#1', sojourn_us: 10_000_000 }],
      [20, 'job.done', 'desk', { job: 'walk-in#2', sojourn_us: 16_000_000 }],
    ]);
    const summary = resource.summary(sim.now);
    expect(summary).toMatchObject({ resource: 'desk', servers: 1, arrivals: 2, completed: 2, rejected: 0, mean_wait_s: 3, mean_sojourn_s: 13 });
    expect(summary.utilization).toBe(1);
    expect(summary.theory).toBeUndefined(); // constant service: no closed form
  });

  it('rejects a job when the station is full, and says why', () => {
    const { sim, audit, resource } = setUp({ servers: 1, service: '10s', capacity: 1 });
    resource.submit({ source: 's', number: 1 });
    resource.submit({ source: 's', number: 2 });
    sim.run();
    expect(audit.ofType('job.reject').map((e) => e.fields)).toEqual([{ job: 's#2', reason: 'queue full' }]);
    expect(resource.summary(sim.now)).toMatchObject({ arrivals: 2, rejected: 1, completed: 1 });
  });

  it('gives the M/M/c closed form only for exponential arrivals and service, stable and unbounded', () => {
    const theoryOf = (queue: { servers: number; service: string; capacity?: number }, interarrivals: string[]) => {
      const { resource } = setUp(queue);
      for (const text of interarrivals) resource.addArrivalStream(parseDistribution(text, 'duration'));
      return resource.summary(1_000_000).theory;
    };
    expect(theoryOf({ servers: 1, service: 'exp(600ms)' }, ['exp(1s)'])).toBeDefined();
    // Two Poisson streams superpose: 0.5/s + 0.5/s is the same load as 1/s.
    expect(theoryOf({ servers: 1, service: 'exp(600ms)' }, ['exp(2s)', 'exp(2s)'])).toEqual(theoryOf({ servers: 1, service: 'exp(600ms)' }, ['exp(1s)']));
    expect(theoryOf({ servers: 1, service: 'exp(600ms)', capacity: 5 }, ['exp(1s)'])).toBeUndefined();
    expect(theoryOf({ servers: 1, service: 'exp(600ms)' }, ['1s'])).toBeUndefined();
    expect(theoryOf({ servers: 1, service: 'exp(2s)' }, ['exp(1s)'])).toBeUndefined(); // overloaded
    expect(theoryOf({ servers: 3, service: 'exp(2s)' }, ['exp(1s)'])).toBeDefined(); // three servers carry it
    expect(theoryOf({ servers: 1, service: 'exp(600ms)' }, [])).toBeUndefined();
  });
});

describe('startArrivals', () => {
  it('sends numbered jobs from the stream into the resource, the first one interarrival after the start', () => {
    const { sim, audit, ctx, resource } = setUp({ servers: 2, service: '1s' });
    startArrivals(ctx, compileWorkload({ id: 'walk-in', resource: 'desk', interarrival: '3s', start: '10s' } as WorkloadDef), resource);
    sim.run(20_000_000);
    expect(audit.ofType('job.arrive').map((e) => [e.t / 1e6, e.fields?.job])).toEqual([
      [13, 'walk-in#0'],
      [16, 'walk-in#1'],
      [19, 'walk-in#2'],
    ]);
  });

  it('draws from the stream’s own random stream: the same arrivals for the same seed, whatever else draws', () => {
    const arrivals = (extraDraws: number) => {
      const { sim, audit, ctx, resource } = setUp({ servers: 1, service: 'exp(1s)' });
      const other = ctx.stream('something-else');
      for (let i = 0; i < extraDraws; i++) other();
      startArrivals(ctx, compileWorkload({ id: 'walk-in', resource: 'desk', interarrival: 'exp(1s)' } as WorkloadDef), resource);
      sim.run(30_000_000);
      return audit.ofType('job.arrive').map((e) => e.t);
    };
    expect(arrivals(0).length).toBeGreaterThan(5);
    expect(arrivals(100)).toEqual(arrivals(0));
  });
});
