import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Signal, type Waiter } from '../../../sim/engine/signal.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';

describe('Signal', () => {
  it('waiters hear in the order they started waiting, after the events already scheduled for that time', () => {
    const sim = new Simulation();
    const signal = new Signal<string>(sim);
    const order: string[] = [];
    signal.then((value) => order.push(`first ${value}`));
    signal.then((value) => order.push(`second ${value}`));
    signal.then((value) => order.push(`third ${value}`));
    sim.schedule(10, () => {
      signal.fire('x');
      sim.schedule(0, () => order.push('scheduled after the fire'));
    });
    sim.schedule(10, () => order.push('already scheduled at 10'));
    sim.run();
    expect(order).toEqual(['already scheduled at 10', 'first x', 'second x', 'third x', 'scheduled after the fire']);
    expect(sim.now).toBe(10);
  });

  it('settles once: a second fire or a fail after a fire throws', () => {
    const sim = new Simulation();
    const signal = new Signal<number>(sim);
    signal.fire(1);
    expect(() => signal.fire(2)).toThrow(/once/);
    expect(() => signal.fail(new Error('late'))).toThrow(/once/);
    expect(signal.fired && signal.settled && !signal.failed).toBe(true);
    expect(signal.value).toBe(1);
  });

  it('a failure reaches every waiter’s failure handler, with its cause', () => {
    const sim = new Simulation();
    const signal = new Signal<number>(sim);
    const heard: string[] = [];
    signal.then(
      () => heard.push('fired?!'),
      (cause) => heard.push(`a: ${(cause as Error).message}`),
    );
    signal.then(
      () => heard.push('fired?!'),
      (cause) => heard.push(`b: ${(cause as Error).message}`),
    );
    sim.schedule(3, () => signal.fail(new Error('link down')));
    sim.run();
    expect(heard).toEqual(['a: link down', 'b: link down']);
    expect(signal.failed).toBe(true);
    expect((signal.cause as Error).message).toBe('link down');
    expect(signal.value).toBeUndefined();
  });

  it('a failure delivered to a waiter without a failure handler stops the run', () => {
    const sim = new Simulation();
    const signal = new Signal<number>(sim);
    signal.then(() => {});
    signal.fail(new Error('nobody handles this'));
    expect(() => sim.run()).toThrow('nobody handles this');
  });

  it('a failure nobody waits for is kept for whoever waits later', () => {
    const sim = new Simulation();
    const signal = new Signal<number>(sim);
    signal.fail('gone');
    sim.run();
    const heard: unknown[] = [];
    sim.schedule(5, () =>
      signal.then(
        () => heard.push('fired?!'),
        (cause) => heard.push([cause, sim.now]),
      ),
    );
    sim.run();
    expect(heard).toEqual([['gone', 5]]);
  });

  it('a waiter that comes after it settled hears in an event of its own, after those already scheduled', () => {
    const sim = new Simulation();
    const signal = new Signal<number>(sim);
    const order: string[] = [];
    sim.schedule(1, () => {
      signal.fire(7);
      sim.schedule(0, () => order.push('scheduled before the late waiter'));
      signal.then((value) => order.push(`late ${value}`));
    });
    sim.run();
    expect(order).toEqual(['scheduled before the late waiter', 'late 7']);
  });

  it('a removed waiter hears nothing, the others still hear in order', () => {
    const sim = new Simulation();
    const signal = new Signal<number>(sim);
    const heard: string[] = [];
    const a = (): number => heard.push('a');
    const b = (): number => heard.push('b');
    const c = (): number => heard.push('c');
    signal.then(a);
    signal.then(b);
    signal.then(c);
    expect(signal.waiting).toBe(3);
    expect(signal.removeWaiter(a)).toBe(true);
    expect(signal.removeWaiter(a)).toBe(false);
    expect(signal.waiting).toBe(2);
    signal.fire(1);
    // Removed after the signal settled but before its waiters heard: still silenced.
    expect(signal.removeWaiter(c)).toBe(true);
    sim.run();
    expect(heard).toEqual(['b']);
    expect(signal.waiting).toBe(0);
  });

  it('waiter objects (addWaiter) hear exactly as callbacks (then) would, in the same order, whatever the mix, removals and settling', () => {
    // Each waiter is a callback pair or an object; the same script run with
    // every waiter a callback pair must hear the same things in the same order.
    const step = fc.oneof({ weight: 4, arbitrary: fc.record({ add: fc.boolean() }) }, { weight: 1, arbitrary: fc.record({ remove: fc.nat() }) });
    const settle = fc.constantFrom('fire', 'fail', 'fireNow', 'failNow', 'fireAsLastAct');
    const hearing = (steps: Array<{ add: boolean } | { remove: number }>, how: string, objects: boolean): string[] => {
      const sim = new Simulation();
      const signal = new Signal<string>(sim);
      const heard: string[] = [];
      const added: Array<Parameters<Signal<string>['removeWaiter']>[0]> = [];
      for (const each of steps) {
        if ('add' in each) {
          const name = `w${added.length}`;
          if (objects && each.add) {
            const waiter: Waiter = { heardFire: (value) => heard.push(`${name} ${value}`), heardFailure: (cause) => heard.push(`${name} failed ${cause}`) };
            signal.addWaiter(waiter);
            added.push(waiter);
          } else {
            const onFire = (value: string): number => heard.push(`${name} ${value}`);
            signal.then(onFire, (cause) => heard.push(`${name} failed ${cause}`));
            added.push(onFire);
          }
        } else if (added.length > 0) heard.push(`removed ${signal.removeWaiter(added[each.remove % added.length] as never)}`);
      }
      sim.schedule(5, () => {
        if (how === 'fire') signal.fire('x');
        else if (how === 'fail') signal.fail('boom');
        else if (how === 'fireNow') signal.fireNow('x');
        else if (how === 'failNow') signal.failNow('boom');
        else signal.fireAsLastAct('x');
      });
      sim.schedule(5, () => heard.push('other event at 5'));
      sim.run();
      return heard;
    };
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), settle, (steps, how) => {
        expect(hearing(steps, how, true)).toEqual(hearing(steps, how, false));
      }),
      { numRuns: 500 },
    );
  });

  it('fires without scheduling anything when nobody waits', () => {
    const sim = new Simulation();
    const signal = new Signal<void>(sim);
    signal.fire();
    expect(sim.pending).toBe(0);
  });
});
