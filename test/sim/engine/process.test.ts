import { describe, expect, it } from 'vitest';
import { Interrupt, startProcess, type ProcessBody } from '../../../sim/engine/process.ts';
import { Signal } from '../../../sim/engine/signal.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';

describe('Process', () => {
  it('processes started at the same time take turns in start order, each resuming after its own delay', () => {
    const sim = new Simulation();
    const trace: string[] = [];
    const walker = (name: string, steps: number[]): ProcessBody =>
      (function* () {
        for (const step of steps) {
          trace.push(`${name}@${sim.now}`);
          yield step;
        }
        trace.push(`${name} done@${sim.now}`);
      })();
    startProcess(sim, walker('a', [5, 0, 5]));
    startProcess(sim, walker('b', [5, 5]));
    sim.run();
    expect(trace).toEqual(['a@0', 'b@0', 'a@5', 'b@5', 'a@5', 'b done@10', 'a done@10']);
  });

  it('is a signal: fires with the body’s return value when it ends', () => {
    const sim = new Simulation();
    const child = startProcess(
      sim,
      (function* () {
        yield 30;
        return 'child result';
      })(),
    );
    const trace: string[] = [];
    startProcess(
      sim,
      (function* () {
        const result: string = yield child;
        trace.push(`${result} at ${sim.now}`);
      })(),
    );
    sim.run();
    expect(trace).toEqual(['child result at 30']);
    expect(child.fired && !child.alive).toBe(true);
    expect(child.value).toBe('child result');
  });

  it('a signal’s failure is thrown into the body where it waits; the body may catch it and go on', () => {
    const sim = new Simulation();
    const request = new Signal<string>(sim);
    const trace: string[] = [];
    startProcess(
      sim,
      (function* () {
        try {
          yield request;
          trace.push('answered?!');
        } catch (error) {
          trace.push(`caught ${(error as Error).message} at ${sim.now}`);
        }
        yield 10;
        trace.push(`went on to ${sim.now}`);
      })(),
    );
    sim.schedule(7, () => request.fail(new Error('no answer')));
    sim.run();
    expect(trace).toEqual(['caught no answer at 7', 'went on to 17']);
  });

  it('an uncaught failure fails the process, and whoever waits on it gets it thrown in turn', () => {
    const sim = new Simulation();
    const request = new Signal<string>(sim);
    const inner = startProcess(
      sim,
      (function* () {
        yield request; // not caught here
      })(),
    );
    const trace: string[] = [];
    startProcess(
      sim,
      (function* () {
        try {
          yield inner;
        } catch (error) {
          trace.push(`outer caught ${(error as Error).message}`);
        }
      })(),
    );
    sim.schedule(2, () => request.fail(new Error('refused')));
    sim.run();
    expect(trace).toEqual(['outer caught refused']);
    expect(inner.failed).toBe(true);
  });

  it('a body that throws while nobody waits on its process stops the run with that error', () => {
    const sim = new Simulation();
    startProcess(
      sim,
      (function* () {
        yield 1;
        throw new Error('bug in the actor');
      })(),
    );
    expect(() => sim.run()).toThrow('bug in the actor');
  });

  it('an interrupt during a delay throws Interrupt with its cause there, and the delay no longer wakes it', () => {
    const sim = new Simulation();
    const trace: string[] = [];
    const sleeper = startProcess(
      sim,
      (function* () {
        try {
          yield 100;
          trace.push('slept through?!');
        } catch (error) {
          expect(error).toBeInstanceOf(Interrupt);
          trace.push(`interrupted at ${sim.now} because ${(error as Interrupt).cause}`);
        }
        yield 5;
        trace.push(`awake at ${sim.now}`);
      })(),
    );
    sim.schedule(40, () => sleeper.interrupt('crash'));
    sim.run(50);
    expect(trace).toEqual(['interrupted at 40 because crash', 'awake at 45']);
    expect(sim.pending).toBe(0); // the wake-up at 100 was cancelled
    const executed = sim.executed;
    sim.run();
    expect(sim.executed).toBe(executed);
  });

  it('an interrupt while waiting for a signal lets go of the signal: it settling later does not resume the process', () => {
    const sim = new Simulation();
    const answer = new Signal<string>(sim);
    const trace: string[] = [];
    const waiter = startProcess(
      sim,
      (function* () {
        try {
          yield answer;
        } catch (error) {
          trace.push(`interrupted at ${sim.now}`);
        }
        const next: string = yield 50;
        trace.push(`resumed at ${sim.now} with ${next}`);
      })(),
    );
    sim.schedule(10, () => waiter.interrupt());
    sim.schedule(20, () => {
      expect(answer.waiting).toBe(0);
      answer.fire('late answer');
    });
    sim.run();
    expect(trace).toEqual(['interrupted at 10', 'resumed at 60 with undefined']);
  });

  it('what already woke a process at this time runs before an interrupt made at this time', () => {
    const sim = new Simulation();
    const answer = new Signal<string>(sim);
    const trace: string[] = [];
    const waiter = startProcess(
      sim,
      (function* () {
        trace.push(`got ${yield answer}`);
        try {
          yield 100;
        } catch (error) {
          trace.push(`interrupted at ${sim.now}`);
        }
      })(),
    );
    sim.schedule(10, () => {
      answer.fire('yes');
      waiter.interrupt('stop');
    });
    sim.run();
    expect(trace).toEqual(['got yes', 'interrupted at 10']);
  });

  it('an uncaught interrupt fails the process with the Interrupt; interrupting an ended process throws, a pending interrupt to one that ended is dropped', () => {
    const sim = new Simulation();
    const victim = startProcess(
      sim,
      (function* () {
        yield 100;
      })(),
    );
    let failure: unknown;
    victim.then(
      () => {},
      (cause) => (failure = cause),
    );
    sim.schedule(5, () => victim.interrupt('shutdown'));
    sim.run();
    expect(failure).toBeInstanceOf(Interrupt);
    expect((failure as Interrupt).cause).toBe('shutdown');
    expect(() => victim.interrupt()).toThrow(/ended/);

    const quick = startProcess(
      sim,
      (function* () {
        yield 1;
      })(),
    );
    sim.schedule(1, () => quick.interrupt('too late')); // scheduled after quick's own wake-up at the same time
    sim.run();
    expect(quick.fired).toBe(true);
  });

  it('waiting for a signal that already settled resumes at once, with its value or its failure', () => {
    const sim = new Simulation();
    const done = new Signal<number>(sim);
    const broken = new Signal<number>(sim);
    done.fire(3);
    broken.fail(new Error('broken'));
    const trace: string[] = [];
    startProcess(
      sim,
      (function* () {
        yield 4;
        trace.push(`value ${yield done} at ${sim.now}`);
        try {
          yield broken;
        } catch (error) {
          trace.push(`${(error as Error).message} at ${sim.now}`);
        }
      })(),
    );
    sim.run();
    expect(trace).toEqual(['value 3 at 4', 'broken at 4']);
  });

  it('an interrupt while it is about to hear a signal that had settled wins: the settled value is not heard', () => {
    const sim = new Simulation();
    const done = new Signal<number>(sim);
    done.fire(3);
    const trace: string[] = [];
    const process = startProcess(
      sim,
      (function* () {
        yield 1;
        try {
          trace.push(`value ${yield done}`);
        } catch (error) {
          trace.push(`interrupted: ${(error as Interrupt).cause}`);
        }
        yield 1;
        trace.push(`on at ${sim.now}`);
      })(),
    );
    // At 1 the process waits for the settled signal (heard by an event at 1): an interrupt made first at 1 runs first.
    sim.schedule(1, () => process.interrupt('stop'));
    sim.run();
    expect(trace).toEqual(['interrupted: stop', 'on at 2']);
  });

  it('hears a signal only while it waits for one: being told of a fire out of turn throws', () => {
    const sim = new Simulation();
    const process = startProcess(
      sim,
      (function* () {
        yield 5;
      })(),
    );
    sim.run(1);
    expect(() => process.heardFire(1)).toThrow('a process hears only the signal it waits for');
    expect(() => process.heardFailure(new Error('x'))).toThrow('a process hears only the signal it waits for');
  });
});
