import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startProcess, type ProcessBody } from '../../../sim/engine/process.ts';
import { Signal } from '../../../sim/engine/signal.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';

/**
 * `Signal.fireAsLastAct` must give exactly the run `fire` gives (it only
 * saves the delivery event when that event would have run next anyway). The
 * model: answers arriving as events of their own (settling is their last
 * act), processes waiting on them that then hold for small delays (zero
 * included, so ties at one time are common), unrelated events at the same
 * times, and a run stopped (by an answer before it settles, or by
 * another event) and resumed at once.
 */
interface Model {
  /** Per answer: when it arrives, and the delays its waiting process holds for after waking. */
  answers: Array<{ at: number; holds: number[]; alsoWaitsFor: number | null; stopsFirst: boolean }>;
  /** Unrelated events: when, and whether they stop the run (it is resumed at once). */
  others: Array<{ at: number; stops: boolean; scheduleNow: boolean }>;
}

const model: fc.Arbitrary<Model> = fc.record({
  answers: fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 6 }),
      holds: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
      alsoWaitsFor: fc.option(fc.nat({ max: 7 }), { nil: null }),
      stopsFirst: fc.boolean(),
    }),
    { minLength: 1, maxLength: 8 },
  ),
  others: fc.array(fc.record({ at: fc.integer({ min: 0, max: 8 }), stops: fc.boolean(), scheduleNow: fc.boolean() }), { maxLength: 8 }),
});

/** Runs the model; returns what happened, in order, and how many events ran. */
function play(m: Model, lastAct: boolean): { trace: string[]; executed: number } {
  const sim = new Simulation();
  const trace: string[] = [];
  const signals = m.answers.map(() => new Signal<number>(sim));
  m.answers.forEach((answer, i) => {
    const body = function* (): ProcessBody {
      const value: number = yield signals[i] as Signal<number>;
      trace.push(`${sim.now} woke ${i} with ${value}`);
      for (const hold of answer.holds) {
        yield hold;
        trace.push(`${sim.now} ${i} held ${hold}`);
      }
      const other = answer.alsoWaitsFor === null ? undefined : signals[answer.alsoWaitsFor % signals.length];
      if (other !== undefined) {
        yield other;
        trace.push(`${sim.now} ${i} heard another`);
      }
    };
    startProcess(sim, body());
    sim.schedule(answer.at, () => {
      trace.push(`${sim.now} answer ${i} arrives`);
      if (answer.stopsFirst) sim.stop();
      const signal = signals[i] as Signal<number>;
      if (lastAct) signal.fireAsLastAct(i * 10);
      else signal.fire(i * 10);
    });
  });
  m.others.forEach((other, k) => {
    sim.schedule(other.at, () => {
      trace.push(`${sim.now} other ${k}`);
      if (other.scheduleNow) sim.schedule(0, () => trace.push(`${sim.now} other ${k} follow-up`));
      if (other.stops) sim.stop();
    });
  });
  while (sim.pending > 0) {
    sim.run();
    trace.push(`${sim.now} run returned`);
  }
  return { trace, executed: sim.executed };
}

describe('Signal.fireAsLastAct', () => {
  it('gives the same run as fire, in no more events', () => {
    fc.assert(
      fc.property(model, (m) => {
        const scheduled = play(m, false);
        const inPlace = play(m, true);
        expect(inPlace.trace).toEqual(scheduled.trace);
        expect(inPlace.executed).toBeLessThanOrEqual(scheduled.executed);
      }),
      { numRuns: 500 },
    );
  });

  it('wakes the waiter inside the arriving event when nothing else is due then', () => {
    const sim = new Simulation();
    const signal = new Signal<string>(sim);
    const heard: string[] = [];
    signal.then((value) => heard.push(`${value} in event ${sim.executed}`));
    sim.schedule(5, () => signal.fireAsLastAct('answer'));
    sim.schedule(6, () => heard.push('later'));
    sim.run();
    expect(heard).toEqual(['answer in event 1', 'later']);
    expect(sim.executed).toBe(2);
  });

  it('schedules the delivery as fire does when another event is due at the same time', () => {
    const sim = new Simulation();
    const signal = new Signal<string>(sim);
    const heard: string[] = [];
    signal.then((value) => heard.push(value));
    sim.schedule(5, () => signal.fireAsLastAct('answer'));
    sim.schedule(5, () => heard.push('due at the same time'));
    sim.run();
    expect(heard).toEqual(['due at the same time', 'answer']);
    expect(sim.executed).toBe(3);
  });
});

describe('Simulation.nothingElseDueNow', () => {
  it('is true only inside an event that is the last due at its time, with the run going on', () => {
    const sim = new Simulation();
    const seen: Array<[string, boolean]> = [];
    sim.schedule(1, () => seen.push(['first of two at 1', sim.nothingElseDueNow]));
    sim.schedule(1, () => seen.push(['second of two at 1', sim.nothingElseDueNow]));
    sim.schedule(2, () => {
      sim.stop();
      seen.push(['stopping, the last at 2', sim.nothingElseDueNow]);
    });
    sim.schedule(3, () => seen.push(['alone at 3', sim.nothingElseDueNow]));
    // A cancelled event due now still counts (a cautious no).
    let cancelledAt4 = -1;
    sim.schedule(4, () => {
      sim.cancel(cancelledAt4);
      seen.push(['at 4, having cancelled the other event at 4', sim.nothingElseDueNow]);
    });
    cancelledAt4 = sim.schedule(4, () => seen.push(['cancelled at 4', true]));
    sim.run();
    sim.run();
    expect(seen).toEqual([
      ['first of two at 1', false],
      ['second of two at 1', true],
      ['stopping, the last at 2', false],
      ['alone at 3', true],
      ['at 4, having cancelled the other event at 4', false],
    ]);
  });
});
