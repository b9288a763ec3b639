import type { Simulation } from './simulation.ts';

/** Hears a signal's value when it fires. */
export type OnFire<T> = (value: T) => void;
/** Hears the cause when a signal fails. */
export type OnFail = (cause: unknown) => void;

/**
 * A waiter that is an object heard through its methods (a process) rather
 * than a pair of callbacks: delivering to it reads that one object, not a
 * closure and its context, each a cache miss when thousands of processes
 * wait. It is kept in the callback fields, `onFail` set to AS_WAITER.
 */
export interface Waiter {
  /** The signal it waits for fired with `value`. */
  heardFire(value: unknown): void;
  /** The signal it waits for failed with `cause`. */
  heardFailure(cause: unknown): void;
}

/** Marks a waiter object in the `onFail` field (never called). */
const AS_WAITER: OnFail = () => {
  throw new Error('a waiter object is heard through its methods');
};

const PENDING = 0;
const FIRED = 1;
const FAILED = 2;

/**
 * A one-shot occurrence that processes and callbacks wait for (SimPy's
 * Event): it fires with a value, or fails with a cause, once.
 *
 * Waiters hear in the order they started waiting, in one event scheduled
 * when the signal settles (so after the events already scheduled for that
 * time), or at once where the settling says so (fireNow, failNow, and
 * fireAsLastAct when nothing else is due now). A waiter that comes after it settled hears in an event of its own.
 * A waiter removed before that event runs hears nothing (a condition's
 * losing branches, an interrupted process); once it runs, every waiter
 * registered until then hears.
 *
 * A failure is handed to each waiter's `onFail`; a waiter without one turns
 * it into an exception out of `Simulation.run`, so that no failure passes
 * unseen. A failure nobody waits for is kept, for whoever waits later.
 */
export class Signal<T = void> {
  // Nearly every signal has exactly one waiter (the process that asked): it
  // is kept in two fields, and an array (onFire, onFail pairs) is made only
  // for a second one. Signals are made per request, so arrays cost garbage.
  private onFire: OnFire<T> | undefined;
  private onFail: OnFail | undefined;
  private others: Array<OnFire<T> | OnFail | undefined> | undefined;
  private state = PENDING;
  private outcome: unknown;

  constructor(protected readonly sim: Simulation) {}

  /** Whether it fired (with a value). */
  get fired(): boolean {
    return this.state === FIRED;
  }

  /** Whether it failed (with a cause). */
  get failed(): boolean {
    return this.state === FAILED;
  }

  /** Whether it fired or failed. */
  get settled(): boolean {
    return this.state !== PENDING;
  }

  /** The value it fired with (undefined unless it fired). */
  get value(): T | undefined {
    return this.state === FIRED ? (this.outcome as T) : undefined;
  }

  /** The cause it failed with (undefined unless it failed). */
  get cause(): unknown {
    return this.state === FAILED ? this.outcome : undefined;
  }

  /** Waiters that have not heard yet (late waiters, already scheduled, excluded). */
  get waiting(): number {
    return this.onFire === undefined ? 0 : 1 + (this.others === undefined ? 0 : this.others.length / 2);
  }

  /** Calls `onFire(value)` once it fires, or `onFail(cause)` once it fails (in a new event if it already settled). */
  then(onFire: OnFire<T>, onFail?: OnFail): void {
    if (this.state === FIRED) this.sim.schedule(0, onFire, this.outcome as T);
    else if (this.state === FAILED) this.sim.schedule(0, onFail ?? unhandled, this.outcome);
    else if (this.onFire === undefined) {
      this.onFire = onFire;
      this.onFail = onFail;
    } else (this.others ??= []).push(onFire, onFail);
  }

  /**
   * Like `then`, for a waiter object (see Waiter), which hears in the same
   * order as callbacks would; for a pending signal only (a process
   * schedules its own wake-up from one that settled already).
   */
  addWaiter(waiter: Waiter): void {
    if (this.state !== PENDING) throw new Error('addWaiter is for a pending signal');
    this.then(waiter as unknown as OnFire<T>, AS_WAITER);
  }

  /**
   * Stops `onFire` (and the `onFail` given with it), or a waiter object,
   * from hearing, if it has not heard yet: what a waiter that no longer
   * cares does, so that the signal neither keeps it alive nor calls it late.
   * Returns whether it was still waiting.
   */
  removeWaiter(onFire: OnFire<T> | Waiter): boolean {
    if (this.onFire === onFire) {
      this.shift();
      return true;
    }
    const others = this.others;
    if (others === undefined) return false;
    for (let i = 0; i < others.length; i += 2) {
      if (others[i] === onFire) {
        others.splice(i, 2);
        if (others.length === 0) this.others = undefined;
        return true;
      }
    }
    return false;
  }

  /** Settles it as fired: every waiter gets `value`. */
  fire(value: T): void {
    this.settle(FIRED, value);
  }

  /** Settles it as failed: every waiter gets `cause` (a process has it thrown where it waits). */
  fail(cause: unknown): void {
    this.settle(FAILED, cause);
  }

  /**
   * Fires and lets the waiters hear at once, inside the event running now,
   * rather than in one scheduled for now. For a signal that passes on
   * another's outcome (a condition, a deadline, a timer): forwarding then
   * costs no event of its own, so waiting through it wakes a process in the
   * same event, in the same order, as waiting on the original would.
   */
  fireNow(value: T): void {
    this.settle(FIRED, value, false);
    this.deliverNow();
  }

  /**
   * Fires, as the very last act of the event running now (a message that
   * answers a request, arriving). When no other event is due at this time
   * the waiters hear at once: the delivery `fire` would schedule would have
   * been the next event anyway, so the run is the same with one event fewer
   * per answer. Otherwise (or when the run is stopping) it is `fire`. Called
   * anywhere else (with more to do after it, or outside an event) it would
   * let the waiters hear too early.
   */
  fireAsLastAct(value: T): void {
    if (this.sim.nothingElseDueNow) this.fireNow(value);
    else this.fire(value);
  }

  /** Fails, and the waiters hear at once (see fireNow). */
  failNow(cause: unknown): void {
    this.settle(FAILED, cause, false);
    this.deliverNow();
  }

  private settle(state: number, outcome: unknown, scheduleDelivery = true): void {
    if (this.state !== PENDING) throw new Error('a signal settles only once');
    this.state = state;
    this.outcome = outcome;
    if (scheduleDelivery && this.onFire !== undefined) this.sim.schedule(0, Signal.deliver, this);
  }

  /** The event `settle` schedules (a static function, so scheduling it makes no closure). */
  private static deliver(signal: Signal<any>): void {
    signal.deliverNow();
  }

  /** Runs the waiters registered until now, in order. */
  private deliverNow(): void {
    const onFire = this.onFire;
    const onFail = this.onFail;
    const others = this.others;
    this.onFire = undefined;
    this.onFail = undefined;
    this.others = undefined;
    if (onFire === undefined) return; // every waiter was removed meanwhile
    this.hear(onFire, onFail);
    if (others === undefined) return;
    for (let i = 0; i < others.length; i += 2) this.hear(others[i] as OnFire<T>, others[i + 1] as OnFail | undefined);
  }

  private hear(onFire: OnFire<T>, onFail: OnFail | undefined): void {
    if (onFail === AS_WAITER) {
      const waiter = onFire as unknown as Waiter;
      if (this.state === FIRED) waiter.heardFire(this.outcome);
      else waiter.heardFailure(this.outcome);
    } else if (this.state === FIRED) onFire(this.outcome as T);
    else (onFail ?? unhandled)(this.outcome);
  }

  /** Drops the first waiter; the next one (if any) moves into the fields. */
  private shift(): void {
    const others = this.others;
    if (others === undefined) {
      this.onFire = undefined;
      this.onFail = undefined;
      return;
    }
    this.onFire = others[0] as OnFire<T>;
    this.onFail = others[1] as OnFail | undefined;
    if (others.length === 2) this.others = undefined;
    else others.splice(0, 2);
  }
}

/** What a failure does to a waiter that cannot handle one: it stops the run. */
function unhandled(cause: unknown): never {
  throw cause instanceof Error ? cause : new Error(`a signal failed and its waiter has no failure handler: ${String(cause)}`, { cause });
}
