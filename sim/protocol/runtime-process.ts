import type { Yieldable } from '../engine/process.ts';
import type { Simulation } from '../engine/simulation.ts';
import { NoAnswer } from './retrying-request.ts';

/**
 * A runtime's body: yields delays and signals like any process body, and may
 * end by returning the body to continue with (a tail call: the driver
 * switches to it at once, as `yield*` as the last statement would, but
 * without resuming the finished generator on every later step).
 */
export type RuntimeBody = Generator<Yieldable, RuntimeBody | void, any>;

/** The agent whose runtime a process runs: what the driver reports back. */
export interface RuntimeOwner {
  /** False once a newer runtime replaced `runtime` (a crash): its process ends at its next wake-up. */
  isCurrent(runtime: number): boolean;
  /** Every attempt of a request went unanswered (lossy network): the agent gives up. */
  gaveUp(reason: string): void;
  /** The body ran to its end, or gave up (not when a crash ended it). */
  ended(): void;
}

/**
 * Runs an agent runtime's body as a simulation process (as startProcess
 * does), with what every runtime needs built into the driver rather than
 * wrapped around the body as generators of its own: a request that resolved
 * to NoAnswer is thrown into the body where it waited, and a crash ends the
 * body at its next wake-up. Each wrapping generator cost a generator resume
 * on every step of every agent; this driver makes the same calls in the
 * same order without them.
 */
export function runRuntime(sim: Simulation, body: RuntimeBody, owner: RuntimeOwner, runtime: number): void {
  sim.schedule(0, new RuntimeProcess(sim, body, owner, runtime).wake, undefined);
}

// The one closure a process needs (its wake-up), made by a function rather
// than assigned to a name: tsx (esbuild keepNames) gives every named arrow a
// `name` property, which costs each of them a property table for its life.
function resumer(process: RuntimeProcess): (value: unknown) => void {
  return (value) => process.resume(value);
}

class RuntimeProcess {
  private started = false;
  /** Resumes the body with a signal's value (or nothing, after a delay). */
  readonly wake: (value: unknown) => void;

  constructor(
    private readonly sim: Simulation,
    private body: RuntimeBody,
    private readonly owner: RuntimeOwner,
    private readonly runtime: number,
  ) {
    this.wake = resumer(this);
  }

  resume(value: unknown): void {
    // The first step runs whatever happened since the process was scheduled, as before.
    if (this.started && !this.owner.isCurrent(this.runtime)) {
      this.body.return(undefined);
      return;
    }
    this.started = true;
    let step: IteratorResult<Yieldable, RuntimeBody | void>;
    try {
      step = value instanceof NoAnswer ? this.body.throw(value) : this.body.next(value);
      while (step.done && step.value !== undefined) {
        this.body = step.value;
        step = this.body.next(undefined);
      }
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      this.owner.gaveUp(error.reason);
      this.owner.ended();
      return;
    }
    if (step.done) {
      this.owner.ended();
      return;
    }
    const awaited = step.value;
    if (typeof awaited === 'number') this.sim.schedule(awaited, this.wake, undefined);
    else awaited.then(this.wake);
  }
}
