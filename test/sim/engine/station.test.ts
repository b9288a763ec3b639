import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { randomStream } from '../../../sim/engine/random.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Station } from '../../../sim/engine/station.ts';

const fixed = (text: string) => parseDistribution(text, 'duration');

function station(servers: number, capacity?: number) {
  const sim = new Simulation();
  const log: string[] = [];
  const s = new Station<string>(sim, { servers, capacity, serviceTime: fixed('10us') }, randomStream(1, 'station'));
  const listener = {
    started: (job: string, waited: number) => log.push(`${sim.now} start ${job} waited ${waited}`),
    finished: (job: string, sojourn: number) => log.push(`${sim.now} done ${job} sojourn ${sojourn}`),
    rejected: (job: string) => log.push(`${sim.now} reject ${job}`),
  };
  return { sim, s, log, listener };
}

describe('Station', () => {
  it('serves in FIFO order with c servers', () => {
    const { sim, s, log, listener } = station(2);
    for (const job of ['a', 'b', 'c', 'd']) s.submit(job, listener);
    sim.run();
    expect(log).toEqual([
      '0 start a waited 0',
      '0 start b waited 0',
      '10 start c waited 10',
      '10 done a sojourn 10',
      '10 start d waited 10',
      '10 done b sojourn 10',
      '20 done c sojourn 20',
      '20 done d sojourn 20',
    ]);
    expect(s.stats).toMatchObject({ arrivals: 4, completed: 4, totalWait: 20, totalSojourn: 60 });
  });

  it('rejects arrivals beyond its capacity (waiting plus in service)', () => {
    const { sim, s, log, listener } = station(1, 2);
    expect(['a', 'b', 'c'].map((job) => s.submit(job, listener))).toEqual([true, true, false]);
    sim.run();
    expect(log).toContain('0 reject c');
    expect(s.stats.rejected).toBe(1);
  });

  it('withdraws waiting jobs and aborts jobs in service, freeing the server', () => {
    const { sim, s, log, listener } = station(1);
    for (const job of ['a', 'b', 'c']) s.submit(job, listener);
    expect(s.withdrawWaiting((job) => job === 'b')).toEqual(['b']);
    expect(s.abortInService((job) => job === 'a')).toEqual(['a']);
    sim.run();
    expect(log).toEqual(['0 start a waited 0', '0 start c waited 0', '10 done c sojourn 10']);
    expect(s.stats.withdrawn).toBe(2);
  });

  it('aborts jobs in service in the order they started, whichever finished in between', () => {
    const sim = new Simulation();
    const s = new Station<string>(sim, { servers: 4, serviceTime: fixed('10us') }, randomStream(1, 'station'));
    // a and c take 10us, b and d 1us; e and f start when b and d finish, so service order is a, c, e, f.
    s.submit('a', {});
    s.submit('b', {}, fixed('1us'));
    s.submit('c', {});
    s.submit('d', {}, fixed('1us'));
    s.submit('e', {});
    s.submit('f', {});
    sim.run(5);
    expect(s.busyServers).toBe(4);
    expect(s.abortInService(() => true)).toEqual(['a', 'c', 'e', 'f']);
    expect(s.busyServers).toBe(0);
    s.submit('g', {});
    expect(s.abortInService((job) => job === 'g')).toEqual(['g']);
    expect(s.stats.withdrawn).toBe(5);
  });

  it('uses a per-job service time when given', () => {
    const { sim, s, log, listener } = station(1);
    s.submit('slow', listener, fixed('1ms'));
    sim.run();
    expect(log).toEqual(['0 start slow waited 0', '1000 done slow sojourn 1000']);
  });

  it('integrates the number in system and busy servers over time', () => {
    const { sim, s, listener } = station(1);
    s.submit('a', listener);
    s.submit('b', listener);
    sim.run(40);
    s.accumulate();
    // a: 0-10 in service, b waits 0-10 then serves 10-20: area in system 10*2 + 10*1 = 30, busy 20.
    expect(s.stats.areaInSystem).toBe(30);
    expect(s.stats.areaBusy).toBe(20);
  });

  it('tells each job once and right whatever mix of jobs finish, are withdrawn, aborted or submitted again from finished', () => {
    // Whatever the station does with a job's record (kept, dropped, or reused, as a branch once tried), a job is told
    // once, in order, with its own arrival time.
    const step = fc.record({
      delay: fc.nat(15),
      service: fc.integer({ min: 1, max: 20 }),
      action: fc.constantFrom('submit', 'submit', 'submit', 'withdraw', 'abort'),
      again: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(step, { maxLength: 60, size: 'max' }), (servers, steps) => {
        const sim = new Simulation();
        const s = new Station<number>(sim, { servers, serviceTime: fixed('5us') }, randomStream(1, 'station'));
        const arrived: number[] = [];
        const started = new Set<number>();
        const ended = new Map<number, string>();
        const end = (job: number, how: string) => {
          expect(ended.get(job)).toBeUndefined();
          ended.set(job, how);
        };
        let next = 0;
        const submit = (service: number, again: boolean): void => {
          const job = next++;
          arrived[job] = sim.now;
          const listener = {
            started: (j: number, waited: number) => {
              expect([j, started.has(j), ended.has(j), waited]).toEqual([job, false, false, sim.now - (arrived[job] as number)]);
              started.add(j);
              expect(s.busyServers).toBeLessThanOrEqual(servers);
            },
            finished: (j: number, sojourn: number) => {
              expect([j, started.has(j), sojourn]).toEqual([job, true, sim.now - (arrived[job] as number)]);
              end(j, 'finished');
              if (again) submit(service, false);
            },
          };
          s.submit(job, listener, { sample: () => service });
        };
        let at = 0;
        for (const { delay, service, action, again } of steps) {
          at += delay;
          sim.scheduleAt(at, () => {
            if (action === 'submit') submit(service, again);
            else if (action === 'withdraw') for (const job of s.withdrawWaiting((j) => j % 2 === service % 2)) end(job, 'withdrawn');
            else for (const job of s.abortInService((j) => j % 3 === service % 3)) end(job, 'aborted');
          });
        }
        sim.run();
        // Every job submitted ended exactly once, and the station is empty.
        expect(ended.size).toBe(next);
        expect(s.inSystem).toBe(0);
        expect(s.stats.completed + s.stats.withdrawn).toBe(next);
      }),
    );
  });
});
