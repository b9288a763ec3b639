import type { Simulation } from './simulation.ts';

/**
 * A one-shot occurrence that processes and callbacks can wait for (SimPy's
 * Event). Waiters resume in the order they started waiting, at the time the
 * signal fires, after the events already scheduled for that time.
 */
export class Signal<T = void> {
  // Nearly every signal has exactly one waiter (the process that asked): it
  // is kept in a field, and an array is made only for a second one. Signals
  // are made per request, so the array and a {value} box each cost garbage.
  private waiter: ((value: T) => void) | undefined;
  private moreWaiters: Array<(value: T) => void> | undefined;
  private hasFired = false;
  private value: T | undefined;

  constructor(private readonly sim: Simulation) {}

  get fired(): boolean {
    return this.hasFired;
  }

  /** Calls `callback(value)` once the signal fires (at once, in a new event, if it already has). */
  then(callback: (value: T) => void): void {
    if (this.hasFired) this.sim.schedule(0, callback, this.value);
    else if (this.waiter === undefined) this.waiter = callback;
    else (this.moreWaiters ??= []).push(callback);
  }

  fire(value: T): void {
    if (this.hasFired) throw new Error('a signal fires only once');
    this.hasFired = true;
    this.value = value;
    const waiter = this.waiter;
    const more = this.moreWaiters;
    this.waiter = undefined;
    this.moreWaiters = undefined;
    if (waiter !== undefined) this.sim.schedule(0, waiter, value);
    if (more !== undefined) for (const next of more) this.sim.schedule(0, next, value);
  }
}

/** What a process may yield: a delay in microseconds, or a signal to wait for. */
export type Yieldable = number | Signal<any>;

/** A process body: yields delays and signals; receives a signal's value back. */
export type ProcessBody = Generator<Yieldable, void, any>;

/**
 * Runs a generator as a simulation process, so an actor's behaviour reads
 * top to bottom ("think, request a token, call the resource") instead of
 * being scattered over callbacks. Returns a signal that fires when it ends.
 */
export function startProcess(sim: Simulation, body: ProcessBody): Signal<void> {
  const finished = new Signal<void>(sim);
  const resume = (value: unknown): void => {
    const step = body.next(value);
    if (step.done) {
      finished.fire();
      return;
    }
    const awaited = step.value;
    if (typeof awaited === 'number') sim.schedule(awaited, resume, undefined);
    else awaited.then(resume);
  };
  sim.schedule(0, resume, undefined);
  return finished;
}
