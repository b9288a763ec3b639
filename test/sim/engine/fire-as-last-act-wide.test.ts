import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '../../../sim/engine/binary-heap.ts';
import { startProcess, type ProcessBody } from '../../../sim/engine/process.ts';
import { Signal } from '../../../sim/engine/signal.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { withTimeout } from '../../../sim/engine/timeout.ts';

/**
 * The wider model for `Signal.fireAsLastAct` (fire-as-last-act.test.ts has
 * the small one): times up to 3 s of microseconds, so the radix queue's
 * upper levels and the binary heap both run; waits with deadlines
 * (`withTimeout`), an answer at its own deadline included; interrupts;
 * answers that cancel another event; and the run driven in slices
 * (`run(until)`). Every trace must be the trace of `fire` on the radix queue.
 */
interface Answer {
  at: number;
  holds: number[];
  deadline: number | null;
  interruptAt: number | null;
  stopsFirst: boolean;
  cancelOther: boolean;
}
interface Model {
  answers: Answer[];
  others: Array<{ at: number; stops: boolean; scheduleNow: boolean }>;
  slices: number[];
}

const time = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 3_000_000 }));
const model: fc.Arbitrary<Model> = fc.record({
  answers: fc.array(
    fc.record({
      at: time,
      holds: fc.array(time, { maxLength: 4 }),
      deadline: fc.option(time, { nil: null }),
      interruptAt: fc.option(time, { nil: null }),
      stopsFirst: fc.boolean(),
      cancelOther: fc.boolean(),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  others: fc.array(fc.record({ at: time, stops: fc.boolean(), scheduleNow: fc.boolean() }), { maxLength: 30 }),
  slices: fc.array(time, { maxLength: 3 }),
});

function play(m: Model, lastAct: boolean, heap: boolean): string[] {
  const sim = heap ? new Simulation(new BinaryHeap()) : new Simulation();
  const trace: string[] = [];
  const signals = m.answers.map(() => new Signal<number>(sim));
  const otherEvents: number[] = [];
  m.answers.forEach((answer, i) => {
    const signal = signals[i] as Signal<number>;
    const waitOn = answer.deadline === null ? signal : withTimeout(sim, signal, answer.deadline);
    const body = function* (): ProcessBody {
      try {
        const value: number = yield waitOn;
        trace.push(`${sim.now} woke ${i} ${value}`);
        for (const hold of answer.holds) {
          yield hold;
          trace.push(`${sim.now} ${i} held ${hold}`);
        }
      } catch (error) {
        trace.push(`${sim.now} ${i} caught ${(error as Error).message}`);
      }
    };
    const process = startProcess(sim, body());
    if (answer.interruptAt !== null)
      sim.schedule(answer.interruptAt, () => {
        trace.push(`${sim.now} interrupt ${i}`);
        if (process.alive) process.interrupt('x');
      });
    sim.schedule(answer.at, () => {
      trace.push(`${sim.now} answer ${i}`);
      if (answer.stopsFirst) sim.stop();
      if (answer.cancelOther && otherEvents.length > 0) sim.cancel(otherEvents[i % otherEvents.length] as number);
      if (signal.settled) return;
      if (lastAct) signal.fireAsLastAct(i);
      else signal.fire(i);
    });
  });
  m.others.forEach((other, k) => {
    otherEvents.push(
      sim.schedule(other.at, () => {
        trace.push(`${sim.now} other ${k}`);
        if (other.scheduleNow) sim.schedule(0, () => trace.push(`${sim.now} follows ${k}`));
        if (other.stops) sim.stop();
      }),
    );
  });
  for (const until of [...m.slices].sort((a, b) => a - b)) {
    if (until < sim.now) continue;
    sim.run(until);
    trace.push(`${sim.now} slice`);
  }
  for (let guard = 0; sim.pending > 0 && guard < 10_000; guard++) {
    sim.run();
    trace.push(`${sim.now} resumed`);
  }
  return trace;
}

describe('Signal.fireAsLastAct, the wider model', () => {
  it('gives the trace of fire with deadlines, interrupts, cancellations, slices and either queue', () => {
    fc.assert(
      fc.property(model, (m) => {
        const expected = play(m, false, false);
        expect(play(m, true, false)).toEqual(expected);
        expect(play(m, true, true)).toEqual(expected);
        expect(play(m, false, true)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
