import { Signal, type Waiter } from './signal.ts';
import type { EventHandle, Simulation } from './simulation.ts';

// Signal lived here before it had a file of its own; its importers in
// sim/protocol and sim/lifecycle still import it from here.
export { Signal } from './signal.ts';

/** What a process may yield: a delay in microseconds, or a signal to wait for. */
export type Yieldable = number | Signal<any>;

/** A process body: yields delays and signals; receives a signal's value back (or has its failure thrown). */
export type ProcessBody<R = void> = Generator<Yieldable, R, any>;

/** Thrown into a process where it waits when another party interrupts it; `cause` says why. */
export class Interrupt extends Error {
  constructor(cause?: unknown) {
    super(`interrupted${cause === undefined ? '' : `: ${String(cause)}`}`, { cause });
    this.name = 'Interrupt';
  }
}

const NO_TIMER = -1;

/**
 * Runs a generator as a simulation process, so an actor's behaviour reads
 * top to bottom ("think, request a token, call the resource") instead of
 * being scattered over callbacks. The process is itself a signal (as in
 * SimPy): it fires with the body's return value, or fails with what the
 * body threw. A body that throws while nobody waits on its process stops the
 * run with that error rather than failing unseen.
 *
 * A signal's failure is thrown into the body where it waits for it, as is
 * an `Interrupt`; the body may catch either and go on.
 */
export class Process<R = void> extends Signal<R> implements Waiter {
  /** The pending wake-up after a delay (or the start), else NO_TIMER. */
  private timer: EventHandle = NO_TIMER;
  /** The signal it waits for, else undefined. */
  private awaited: Signal<any> | undefined;

  constructor(
    sim: Simulation,
    private readonly body: ProcessBody<R>,
  ) {
    super(sim);
    this.timer = sim.schedule(0, Process.step, this);
  }

  /**
   * A delay's end (or the start): the event carries the process itself
   * rather than its `wake` closure, so running it reads one object (and its
   * context) fewer; with thousands of processes each is a cache miss.
   */
  private static step(process: Process<any>): void {
    process.resume(undefined, false);
  }

  /** Whether the body has not ended yet. */
  get alive(): boolean {
    return !this.settled;
  }

  /**
   * Throws `Interrupt(cause)` into the body where it waits, in an event
   * scheduled now (so whatever already woke it at this time runs first); it
   * stops waiting for what it waited for. A process that ended by then is
   * left alone; one that has ended already cannot be interrupted.
   */
  interrupt(cause?: unknown): void {
    if (this.settled) throw new Error('a process that has ended cannot be interrupted');
    this.sim.schedule(0, Process.deliverInterrupt, { process: this, cause });
  }

  private static deliverInterrupt({ process, cause }: { process: Process<any>; cause: unknown }): void {
    process.takeInterrupt(cause);
  }

  /** The interrupt event: stop waiting, then throw. */
  private takeInterrupt(cause: unknown): void {
    if (this.settled) return;
    if (this.timer !== NO_TIMER) this.sim.cancel(this.timer);
    if (this.awaited !== undefined) this.awaited.removeWaiter(this);
    this.resume(new Interrupt(cause), true);
  }

  /**
   * The signal it waits for fired (Waiter: only that signal calls this).
   * Public because a Waiter's methods are; a call while the process waits
   * for no signal would resume it out of turn, so it throws.
   */
  heardFire(value: unknown): void {
    if (this.awaited === undefined) throw new Error('a process hears only the signal it waits for');
    this.resume(value, false);
  }

  /** The signal it waits for failed (Waiter: only that signal calls this; see heardFire). */
  heardFailure(cause: unknown): void {
    if (this.awaited === undefined) throw new Error('a process hears only the signal it waits for');
    this.resume(cause, true);
  }

  /** The event that hears a signal that had settled when the process came to wait for it (kept in `awaited`: no object per wait). */
  private static hearSettled(process: Process<any>): void {
    const signal = process.awaited as Signal<any>;
    if (signal.fired) process.resume(signal.value, false);
    else process.resume(signal.cause, true);
  }

  private resume(outcome: unknown, failure: boolean): void {
    this.timer = NO_TIMER;
    this.awaited = undefined;
    let step: IteratorResult<Yieldable, R>;
    try {
      step = failure ? this.body.throw(outcome) : this.body.next(outcome);
    } catch (error) {
      const heard = this.waiting > 0;
      this.fail(error);
      if (!heard) throw error;
      return;
    }
    if (step.done) this.fire(step.value);
    else this.waitFor(step.value);
  }

  // A settled signal is heard through a timer (cancellable by an interrupt),
  // a pending one through its waiter list (removable), with the process
  // itself as the waiter: no closures per process.
  private waitFor(awaited: Yieldable): void {
    if (typeof awaited === 'number') this.timer = this.sim.schedule(awaited, Process.step, this);
    else if (awaited.settled) {
      // Heard through a timer (an interrupt cancels it; removeWaiter on a settled signal finds nothing to remove).
      this.awaited = awaited;
      this.timer = this.sim.schedule(0, Process.hearSettled, this);
    } else {
      this.awaited = awaited;
      awaited.addWaiter(this);
    }
  }
}

/** Starts `body` as a process at the current time (after the events already scheduled for it). */
export function startProcess<R>(sim: Simulation, body: ProcessBody<R>): Process<R> {
  return new Process(sim, body);
}
