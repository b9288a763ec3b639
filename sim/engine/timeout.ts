import { Signal } from './signal.ts';
import type { Simulation } from './simulation.ts';

/** The cause a `withTimeout` signal fails with when the deadline passed first. */
export class TimedOut extends Error {
  constructor(readonly delay: number) {
    super(`timed out after ${delay} us`);
    this.name = 'TimedOut';
  }
}

/** A signal that fires with `value` after `delay` microseconds (SimPy's Timeout). */
export function after<T = void>(sim: Simulation, delay: number, value?: T): Signal<T> {
  const signal = new Signal<T>(sim);
  sim.schedule(delay, fireWith<T>, { signal, value: value as T });
  return signal;
}

// The timer's own event is when its waiters hear, as with SimPy's Timeout.
function fireWith<T>({ signal, value }: { signal: Signal<T>; value: T }): void {
  signal.fireNow(value);
}

/**
 * A signal that settles as `signal` does if it settles within `delay`
 * microseconds, and otherwise fails with `TimedOut`. Whichever loses is
 * dropped: the deadline's event is cancelled, or `signal` is let go (it
 * may still settle, for other waiters). On a tie the deadline wins, as it
 * was scheduled first: a signal settling at the deadline is heard in an
 * event scheduled at that moment, after it. Waiters hear inside the event
 * that decided it (the signal's delivery or the deadline), with no event of
 * its own, so a process waiting through `withTimeout` wakes exactly when
 * and where one waiting on the signal (or on a bare timer) would.
 */
export function withTimeout<T>(sim: Simulation, signal: Signal<T>, delay: number): Signal<T> {
  const result = new Signal<T>(sim);
  const deadline = sim.schedule(delay, () => {
    signal.removeWaiter(onFire);
    result.failNow(new TimedOut(delay));
  });
  // An already settled signal is heard in an event of its own; the deadline may run out first only at delay 0.
  const onFire = (value: T): void => {
    if (result.settled) return;
    sim.cancel(deadline);
    result.fireNow(value);
  };
  signal.then(onFire, (cause) => {
    if (result.settled) return;
    sim.cancel(deadline);
    result.failNow(cause);
  });
  return result;
}
