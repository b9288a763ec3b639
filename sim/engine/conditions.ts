import { Signal, type OnFail, type OnFire } from './signal.ts';
import type { Simulation } from './simulation.ts';

/** The value type of a signal. */
export type ValueOf<S> = S extends Signal<infer V> ? V : never;

/** What `anyOf` fires with: which signal settled first (its index in the list) and its value. */
export interface FirstOf<T> {
  index: number;
  value: T;
}

/**
 * A signal that settles as the first of `signals` to settle does: it fires
 * with that one's index and value, or fails with its cause. The others
 * (the losing branches) are let go at once: they no longer hold the
 * condition, and settling later changes nothing. Branches that had already
 * settled are heard in list order, so the lowest index among them wins.
 * The condition settles inside the event in which the winner is heard, and
 * its own waiters hear then too (no event of its own: see Signal.fireNow).
 */
export function anyOf<const S extends ReadonlyArray<Signal<any>>>(sim: Simulation, signals: S): Signal<FirstOf<ValueOf<S[number]>>> {
  type T = ValueOf<S[number]>;
  if (signals.length === 0) throw new RangeError('anyOf needs at least one signal');
  const first = new Signal<FirstOf<T>>(sim);
  const listeners = signals.map(
    (_, index): OnFire<T> =>
      (value) => {
        if (first.settled) return;
        letGo(signals, listeners);
        first.fireNow({ index, value });
      },
  );
  const onFail: OnFail = (cause) => {
    if (first.settled) return;
    letGo(signals, listeners);
    first.failNow(cause);
  };
  signals.forEach((signal, index) => signal.then(listeners[index] as OnFire<T>, onFail));
  return first;
}

/**
 * A signal that fires when every one of `signals` has fired, with their
 * values in list order, or fails as soon as one of them fails (the others
 * are then let go). An empty list fires at once.
 */
export function allOf<const S extends ReadonlyArray<Signal<any>>>(sim: Simulation, signals: S): Signal<{ -readonly [K in keyof S]: ValueOf<S[K]> }> {
  type T = ValueOf<S[number]>;
  type Values = { -readonly [K in keyof S]: ValueOf<S[K]> };
  const all = new Signal<Values>(sim);
  const values = new Array<T>(signals.length) as unknown as Values & T[];
  let remaining = signals.length;
  if (remaining === 0) {
    all.fire(values);
    return all;
  }
  const listeners = signals.map(
    (_, index): OnFire<T> =>
      (value) => {
        if (all.settled) return;
        values[index] = value;
        if (--remaining === 0) all.fireNow(values);
      },
  );
  const onFail: OnFail = (cause) => {
    if (all.settled) return;
    letGo(signals, listeners);
    all.failNow(cause);
  };
  signals.forEach((signal, index) => signal.then(listeners[index] as OnFire<T>, onFail));
  return all;
}

function letGo<T>(signals: ReadonlyArray<Signal<T>>, listeners: ReadonlyArray<OnFire<T>>): void {
  signals.forEach((signal, index) => signal.removeWaiter(listeners[index] as OnFire<T>));
}
