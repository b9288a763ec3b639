import { describe, expect, it } from 'vitest';
import { allOf, anyOf } from '../../../sim/engine/conditions.ts';
import { startProcess } from '../../../sim/engine/process.ts';
import { Signal } from '../../../sim/engine/signal.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { after } from '../../../sim/engine/timeout.ts';

describe('anyOf', () => {
  it('fires with the first signal to fire, and lets go of the losing branches', () => {
    const sim = new Simulation();
    const slow = new Signal<string>(sim);
    const fast = new Signal<string>(sim);
    const first = anyOf(sim, [slow, fast]);
    const heard: unknown[] = [];
    first.then((winner) => heard.push([winner, sim.now]));
    sim.schedule(5, () => fast.fire('fast'));
    sim.schedule(9, () => slow.fire('slow'));
    sim.run();
    expect(heard).toEqual([[{ index: 1, value: 'fast' }, 5]]);
    // The loser neither holds the condition nor makes it fire late.
    expect(slow.waiting).toBe(0);
    expect(fast.waiting).toBe(0);
  });

  it('a losing branch that fails later neither fails the condition nor stops the run', () => {
    const sim = new Simulation();
    const answer = new Signal<string>(sim);
    const first = anyOf(sim, [answer, after(sim, 10, 'deadline')]);
    const heard: unknown[] = [];
    first.then(
      (winner) => heard.push(winner),
      (cause) => heard.push(['failed', cause]),
    );
    sim.schedule(20, () => answer.fail(new Error('late failure')));
    sim.run();
    expect(heard).toEqual([{ index: 1, value: 'deadline' }]);
    expect(answer.failed).toBe(true);
  });

  it('fails with the cause of a branch that fails first', () => {
    const sim = new Simulation();
    const a = new Signal<number>(sim);
    const b = new Signal<number>(sim);
    const first = anyOf(sim, [a, b]);
    let failure: unknown;
    first.then(
      () => {},
      (cause) => (failure = cause),
    );
    sim.schedule(1, () => b.fail('refused'));
    sim.schedule(2, () => a.fire(1));
    sim.run();
    expect(failure).toBe('refused');
    expect(first.failed).toBe(true);
    expect(a.waiting).toBe(0);
  });

  it('among branches that settle at the same time, the one heard first wins; among already settled ones, the lowest index', () => {
    const sim = new Simulation();
    const a = new Signal<string>(sim);
    const b = new Signal<string>(sim);
    const first = anyOf(sim, [a, b]);
    sim.schedule(3, () => {
      b.fire('b');
      a.fire('a');
    });
    sim.run();
    expect(first.value).toEqual({ index: 1, value: 'b' });

    const settled = [new Signal<string>(sim), new Signal<string>(sim), new Signal<string>(sim)];
    settled[2]?.fire('c');
    settled[1]?.fire('b');
    const fromSettled = anyOf(sim, settled);
    sim.run();
    expect(fromSettled.value).toEqual({ index: 1, value: 'b' });
  });

  it('a process waiting on anyOf of a reply and a deadline resumes once, with the winner', () => {
    const sim = new Simulation();
    const reply = new Signal<string>(sim);
    const trace: unknown[] = [];
    startProcess(
      sim,
      (function* () {
        const winner: { index: number } = yield anyOf(sim, [reply, after(sim, 50)]);
        trace.push([winner.index, sim.now]);
        yield 100;
        trace.push(['later', sim.now]);
      })(),
    );
    sim.schedule(20, () => reply.fire('ok'));
    sim.run();
    expect(trace).toEqual([
      [0, 20],
      ['later', 120],
    ]);
  });

  it('refuses an empty list (nothing could win)', () => {
    expect(() => anyOf(new Simulation(), [])).toThrow(RangeError);
  });
});

describe('allOf', () => {
  it('fires when the last branch fires, with the values in list order', () => {
    const sim = new Simulation();
    const signals = [after(sim, 30, 'thirty'), after(sim, 10, 'ten'), after(sim, 20, 'twenty')];
    const all = allOf(sim, signals);
    const heard: unknown[] = [];
    all.then((values) => heard.push([values, sim.now]));
    sim.run();
    expect(heard).toEqual([[['thirty', 'ten', 'twenty'], 30]]);
  });

  it('fails as soon as one branch fails, and lets go of the others', () => {
    const sim = new Simulation();
    const ok = new Signal<number>(sim);
    const broken = new Signal<number>(sim);
    const pending = new Signal<number>(sim);
    const all = allOf(sim, [ok, broken, pending]);
    const heard: unknown[] = [];
    all.then(
      () => heard.push('fired?!'),
      (cause) => heard.push([cause, sim.now]),
    );
    sim.schedule(1, () => ok.fire(1));
    sim.schedule(2, () => broken.fail('broken'));
    sim.run();
    expect(heard).toEqual([['broken', 2]]);
    expect(pending.waiting).toBe(0);
    pending.fire(3); // settles later: nothing happens
    sim.run();
    expect(heard).toHaveLength(1);
  });

  it('an empty list fires at once with no values', () => {
    const sim = new Simulation();
    const all = allOf(sim, []);
    expect(all.fired).toBe(true);
    expect(all.value).toEqual([]);
  });
});
