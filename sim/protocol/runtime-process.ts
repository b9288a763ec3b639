import type { ProcessBody } from '../engine/process.ts';
import type { Simulation } from '../engine/simulation.ts';
import { NoAnswer } from './retrying-request.ts';

/** What an agent runtime's process reports back to its agent. */
export interface RuntimeHooks {
  /** False once a newer runtime replaced this one (a crash): the process ends at its next wake-up. */
  current(): boolean;
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
export function runRuntime(sim: Simulation, body: ProcessBody, hooks: RuntimeHooks): void {
  let started = false;
  const resume = (value: unknown): void => {
    // The first step runs whatever happened since the process was scheduled, as before.
    if (started && !hooks.current()) {
      body.return(undefined);
      return;
    }
    started = true;
    let step: IteratorResult<unknown, void>;
    try {
      step = value instanceof NoAnswer ? body.throw(value) : body.next(value);
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      hooks.gaveUp(error.reason);
      hooks.ended();
      return;
    }
    if (step.done) {
      hooks.ended();
      return;
    }
    const awaited = step.value;
    if (typeof awaited === 'number') sim.schedule(awaited, resume, undefined);
    else (awaited as { then(callback: (value: unknown) => void): void }).then(resume);
  };
  sim.schedule(0, resume, undefined);
}
