import { describe, expect, it } from 'vitest';
import { startProcess } from '../../../sim/engine/process.ts';
import { Signal } from '../../../sim/engine/signal.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { anyOf } from '../../../sim/engine/conditions.ts';
import { after, TimedOut, withTimeout } from '../../../sim/engine/timeout.ts';

describe('after', () => {
  it('fires with its value after the delay', () => {
    const sim = new Simulation();
    const heard: unknown[] = [];
    after(sim, 25, 'tick').then((value) => heard.push([value, sim.now]));
    sim.run();
    expect(heard).toEqual([['tick', 25]]);
  });
});

describe('withTimeout', () => {
  it('settles with the signal when it comes in time, and cancels the deadline', () => {
    const sim = new Simulation();
    const reply = new Signal<string>(sim);
    const bounded = withTimeout(sim, reply, 100);
    const heard: unknown[] = [];
    bounded.then((value) => heard.push([value, sim.now]));
    sim.schedule(40, () => reply.fire('answer'));
    sim.run(50);
    expect(heard).toEqual([['answer', 40]]);
    expect(sim.pending).toBe(0); // the deadline at 100 was cancelled
    sim.run();
    expect(heard).toHaveLength(1);
  });

  it('fails with TimedOut at the deadline and lets go of the signal, which may still settle for others', () => {
    const sim = new Simulation();
    const reply = new Signal<string>(sim);
    const bounded = withTimeout(sim, reply, 100);
    const heard: unknown[] = [];
    bounded.then(
      () => heard.push('fired?!'),
      (cause) => heard.push([cause instanceof TimedOut, (cause as TimedOut).delay, sim.now]),
    );
    const other: unknown[] = [];
    reply.then((value) => other.push(value));
    sim.schedule(150, () => reply.fire('too late'));
    sim.run();
    expect(heard).toEqual([[true, 100, 100]]);
    expect(other).toEqual(['too late']);
    expect(bounded.failed).toBe(true);
  });

  it('passes a failure of the signal on, and cancels the deadline', () => {
    const sim = new Simulation();
    const reply = new Signal<string>(sim);
    const bounded = withTimeout(sim, reply, 100);
    let failure: unknown;
    bounded.then(
      () => {},
      (cause) => (failure = cause),
    );
    sim.schedule(10, () => reply.fail('refused'));
    sim.run(50);
    expect(failure).toBe('refused');
    expect(sim.pending).toBe(0); // the deadline at 100 was cancelled
  });

  it('a signal settling exactly at the deadline is too late (the deadline was scheduled first)', () => {
    const sim = new Simulation();
    const reply = new Signal<string>(sim);
    sim.schedule(100, () => reply.fire('at the deadline'));
    const bounded = withTimeout(sim, reply, 100);
    sim.run();
    expect(bounded.failed).toBe(true);
    expect(bounded.cause).toBeInstanceOf(TimedOut);
  });

  it('a retry loop in a process: re-asks after each timeout and takes the first answer, a late one included', () => {
    const sim = new Simulation();
    const answered = new Signal<string>(sim);
    const sent: number[] = [];
    const trace: unknown[] = [];
    startProcess(
      sim,
      (function* () {
        for (let attempt = 0; attempt < 3; attempt++) {
          sent.push(sim.now);
          if (attempt === 0) sim.schedule(250, () => answered.fire('answer to attempt 0')); // slow, but not lost
          try {
            trace.push([yield withTimeout(sim, answered, 100), sim.now]);
            return;
          } catch (error) {
            if (!(error instanceof TimedOut)) throw error;
          }
        }
        trace.push('gave up');
      })(),
    );
    sim.run();
    expect(sent).toEqual([0, 100, 200]);
    expect(trace).toEqual([['answer to attempt 0', 250]]);
  });
});

describe('forwarding costs no event', () => {
  // A process that waits for a reply through withTimeout or anyOf wakes in the same
  // event, before the same later events, as one that waits for the reply itself:
  // wrapping a wait does not reorder a run.
  const wakeOrder = (wrap: (sim: Simulation, reply: Signal<string>) => Signal<any>) => {
    const sim = new Simulation();
    const reply = new Signal<string>(sim);
    const order: string[] = [];
    startProcess(
      sim,
      (function* () {
        yield wrap(sim, reply);
        order.push(`woke at ${sim.now}`);
      })(),
    );
    sim.schedule(10, () => {
      reply.fire('r');
      sim.schedule(0, () => order.push('scheduled after the reply'));
    });
    sim.run();
    return { order, executed: sim.executed };
  };

  it('withTimeout and anyOf wake the waiter exactly as waiting on the signal itself does', () => {
    const direct = wakeOrder((_sim, reply) => reply);
    expect(direct.order).toEqual(['woke at 10', 'scheduled after the reply']);
    expect(wakeOrder((sim, reply) => withTimeout(sim, reply, 100))).toEqual(direct);
    expect(wakeOrder((sim, reply) => anyOf(sim, [reply, new Signal<string>(sim)]))).toEqual(direct);
  });

  it('a timer wakes its waiter in the timer’s own event, as a plain delay does', () => {
    const viaTimer = new Simulation();
    startProcess(
      viaTimer,
      (function* () {
        yield after(viaTimer, 5);
      })(),
    );
    viaTimer.run();
    const viaDelay = new Simulation();
    startProcess(
      viaDelay,
      (function* () {
        yield 5;
      })(),
    );
    viaDelay.run();
    expect(viaTimer.executed).toBe(viaDelay.executed);
  });
});
