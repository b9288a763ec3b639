import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Simulation, type EventHandle } from '../../../sim/engine/simulation.ts';
import { Signal, startProcess } from '../../../sim/engine/process.ts';
import { BinaryHeap } from '../../../sim/engine/binary-heap.ts';
import type { FutureEventSet } from '../../../sim/engine/future-event-set.ts';
import { RadixQueue } from '../../../sim/engine/radix-queue.ts';

describe('Simulation', () => {
  it('runs same-time events in the order they were scheduled, and events at delay 0 after those', () => {
    const sim = new Simulation();
    const order: string[] = [];
    sim.schedule(5, () => {
      order.push('a');
      sim.schedule(0, () => order.push('a-child'));
    });
    sim.schedule(5, () => order.push('b'));
    sim.schedule(3, () => order.push('first'));
    sim.run();
    expect(order).toEqual(['first', 'a', 'b', 'a-child']);
    expect(sim.now).toBe(5);
    expect(sim.executed).toBe(4);
  });

  it('cancels a pending event once; cancelling a finished or cancelled one does nothing', () => {
    const sim = new Simulation();
    const ran: number[] = [];
    const done = sim.schedule(1, () => ran.push(1));
    const doomed = sim.schedule(2, () => ran.push(2));
    expect(sim.pending).toBe(2);
    expect(sim.cancel(doomed)).toBe(true);
    expect(sim.cancel(doomed)).toBe(false);
    expect(sim.pending).toBe(1);
    sim.run();
    expect(ran).toEqual([1]);
    expect(sim.cancel(done)).toBe(false);
    // The slot of a finished event is reused; its old handle must not cancel the new event.
    const fresh = sim.schedule(1, () => ran.push(3));
    expect(sim.cancel(done)).toBe(false);
    sim.run();
    expect(ran).toEqual([1, 3]);
    expect(sim.cancel(fresh)).toBe(false);
  });

  it('reuses the slots of thousands of finished events (the free list outgrows its first storage)', () => {
    const sim = new Simulation();
    const seen: number[] = [];
    const record = (n: number): void => {
      seen.push(n);
    };
    for (let i = 0; i < 3000; i++) sim.schedule(i, record, i);
    sim.run(); // 3000 slots freed at once
    const handles: EventHandle[] = [];
    for (let i = 0; i < 3000; i++) handles.push(sim.schedule(3000 - i, record, 10_000 + i));
    expect(new Set(handles).size).toBe(3000);
    for (let i = 0; i < 3000; i += 2) expect(sim.cancel(handles[i] as EventHandle)).toBe(true);
    expect(sim.pending).toBe(1500);
    sim.run();
    expect(seen.slice(0, 3000)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    // The odd ones, latest scheduled (earliest due) first.
    expect(seen.slice(3000)).toEqual(Array.from({ length: 1500 }, (_, k) => 10_000 + 2999 - 2 * k));
    expect(sim.executed).toBe(4500);
  });

  it('run(until) stops before later events and sets the clock to until', () => {
    const sim = new Simulation();
    const ran: number[] = [];
    sim.schedule(10, () => ran.push(10));
    sim.schedule(20, () => ran.push(20));
    sim.run(15);
    expect(ran).toEqual([10]);
    expect(sim.now).toBe(15);
    sim.run(20);
    expect(ran).toEqual([10, 20]);
  });

  it('stop() ends the run after the current event', () => {
    const sim = new Simulation();
    const ran: number[] = [];
    sim.schedule(1, () => {
      ran.push(1);
      sim.stop();
    });
    sim.schedule(2, () => ran.push(2));
    sim.run();
    expect(ran).toEqual([1]);
    sim.run();
    expect(ran).toEqual([1, 2]);
  });

  it('takes its future-event set in the constructor, and refuses one that is not empty', () => {
    const heap = new BinaryHeap();
    const sim = new Simulation(heap);
    sim.schedule(5, () => {});
    expect(heap.size).toBe(1);
    expect(() => new Simulation(heap)).toThrow(/empty/);
  });

  it('refuses negative, fractional and past times', () => {
    const sim = new Simulation();
    expect(() => sim.schedule(-1, () => {})).toThrow(RangeError);
    expect(() => sim.schedule(1.5, () => {})).toThrow(RangeError);
    sim.schedule(10, () => {});
    sim.run();
    expect(() => sim.scheduleAt(5, () => {})).toThrow(RangeError);
  });
});

const futureEventSets: Array<[name: string, make: () => FutureEventSet]> = [
  ['radix queue', () => new RadixQueue()],
  ['binary heap', () => new BinaryHeap(4)],
];

describe.each(futureEventSets)('Simulation on a %s against a plain list model', (_name, makeQueue) => {
  // Delays at every scale the future-event set files differently, many zero.
  const delay = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 2 ** 32 }));
  const operation = fc.oneof(
    { weight: 4, arbitrary: fc.record({ schedule: delay, child: fc.option(delay, { nil: undefined }) }) },
    { weight: 2, arbitrary: fc.record({ cancel: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ run: fc.option(fc.integer({ min: 0, max: 2 ** 32 }), { nil: undefined }) }) },
  );

  interface ModelEvent {
    time: number;
    seq: number;
    id: number;
    child: number | undefined;
    /** A cancelled event stays queued until its time comes ('dropped'), and then still moves the clock. */
    state: 'pending' | 'ran' | 'cancelled' | 'dropped';
  }

  it('runs events in (time, schedule order), children included, and cancels exactly the pending ones', () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 150 }), (operations) => {
        // The simulation under test; event ids count schedules, children included.
        const sim = new Simulation(makeQueue());
        const handles: EventHandle[] = [];
        const ran: number[] = [];
        const schedule = (delay: number, child: number | undefined): void => {
          const id = handles.length;
          handles.push(
            sim.schedule(delay, () => {
              ran.push(id);
              if (child !== undefined) schedule(child, undefined);
            }),
          );
        };
        // The model: a list, searched for the earliest (time, seq) pending event.
        const events: ModelEvent[] = [];
        let now = 0;
        const expected: number[] = [];
        const modelSchedule = (delay: number, child: number | undefined): void => {
          events.push({ time: now + delay, seq: events.length, id: events.length, child, state: 'pending' });
        };
        const modelRun = (until: number): void => {
          for (;;) {
            let next: ModelEvent | undefined;
            for (const e of events) {
              const queued = e.state === 'pending' || e.state === 'cancelled';
              if (queued && (!next || e.time < next.time || (e.time === next.time && e.seq < next.seq))) next = e;
            }
            if (!next || next.time > until) break;
            now = next.time;
            if (next.state === 'cancelled') {
              next.state = 'dropped';
              continue;
            }
            next.state = 'ran';
            expected.push(next.id);
            if (next.child !== undefined) modelSchedule(next.child, undefined);
          }
          if (until !== Infinity && until > now) now = until;
        };

        for (const op of operations) {
          if ('schedule' in op) {
            schedule(op.schedule, op.child);
            modelSchedule(op.schedule, op.child);
          } else if ('cancel' in op) {
            if (handles.length === 0) continue;
            const id = op.cancel % handles.length;
            const event = events[id] as ModelEvent;
            expect(sim.cancel(handles[id] as EventHandle)).toBe(event.state === 'pending');
            if (event.state === 'pending') event.state = 'cancelled';
          } else {
            const until = op.run === undefined ? Infinity : sim.now + op.run;
            sim.run(until);
            modelRun(until);
            expect(ran).toEqual(expected);
            expect(sim.now).toBe(now);
          }
          expect(sim.pending).toBe(events.filter((e) => e.state === 'pending').length);
        }
        sim.run();
        modelRun(Infinity);
        expect(ran).toEqual(expected);
        expect(sim.executed).toBe(expected.length);
        // Every handle is spent now: cancelling any of them does nothing.
        for (const handle of handles) expect(sim.cancel(handle)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('processes and signals', () => {
  it('a process waits for delays and signals and receives the signal value', () => {
    const sim = new Simulation();
    const reply = new Signal<string>(sim);
    const trace: string[] = [];
    const finished = startProcess(
      sim,
      (function* () {
        yield 100;
        trace.push(`asked at ${sim.now}`);
        const answer: string = yield reply;
        trace.push(`${answer} at ${sim.now}`);
      })(),
    );
    sim.schedule(250, () => reply.fire('yes'));
    let endedAt = -1;
    finished.then(() => (endedAt = sim.now));
    sim.run();
    expect(trace).toEqual(['asked at 100', 'yes at 250']);
    expect(endedAt).toBe(250);
  });

  it('a signal fires once, and a late waiter still hears it', () => {
    const sim = new Simulation();
    const signal = new Signal<number>(sim);
    signal.fire(7);
    expect(() => signal.fire(8)).toThrow();
    const heard: number[] = [];
    signal.then((value) => heard.push(value));
    sim.run();
    expect(heard).toEqual([7]);
  });
});
