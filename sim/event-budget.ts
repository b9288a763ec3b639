import type { JobName } from './log/job-events.ts';
import type { AuditSink } from './log/audit-sink.ts';
import type { SessionBlockRoot } from './log/session-block.ts';
import { formatDuration } from './engine/duration.ts';
import type { Simulation } from './engine/simulation.ts';

/** How many events a run logs between two turns it gives the event loop (see runScenarioInterruptibly). */
const EVENTS_PER_TURN = 100_000;

/** A run would have logged more events than its scenario's limits.events allow. */
export class EventLimitError extends Error {
  override name = 'EventLimitError';
}

/**
 * Passes events through to the log and counts them. It stops the simulation
 * (Simulation.stop, after the event that is executing) when the run has
 * logged more than `max` events, and every EVENTS_PER_TURN events so that the
 * caller can give the event loop a turn; running on from a stop executes the
 * same events in the same order, so neither changes the log.
 */
export class EventBudget implements AuditSink {
  private emitted = 0;
  private nextTurn = EVENTS_PER_TURN;
  private nextStop: number;
  /** The simulation was stopped for a turn, not because it is over. */
  paused = false;
  exceeded = false;

  constructor(
    private readonly log: AuditSink,
    private readonly sim: Simulation,
    readonly max: number,
  ) {
    this.nextStop = Math.min(this.nextTurn, max + 1);
  }

  get count(): number {
    return this.log.count;
  }

  get lastHash(): string {
    return this.log.lastHash;
  }

  emit(t: number, type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void {
    this.log.emit(t, type, mission, actor, fields);
    this.counted();
  }

  jobArrived(t: number, resource: string, job: JobName): void {
    this.log.jobArrived(t, resource, job);
    this.counted();
  }

  jobStarted(t: number, resource: string, job: JobName, waitedUs: number): void {
    this.log.jobStarted(t, resource, job, waitedUs);
    this.counted();
  }

  jobFinished(t: number, resource: string, job: JobName, sojournUs: number): void {
    this.log.jobFinished(t, resource, job, sojournUs);
    this.counted();
  }

  opQueued(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void {
    this.log.opQueued(t, mission, resource, agent, op, jti, queueLength);
    this.counted();
  }

  opStarted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string): void {
    this.log.opStarted(t, mission, resource, agent, op, jti);
    this.counted();
  }

  opExecuted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void {
    this.log.opExecuted(t, mission, resource, agent, op, jti, irreversible);
    this.counted();
  }

  lastHashInto(root: SessionBlockRoot): void {
    this.log.lastHashInto(root);
  }

  private counted(): void {
    if (++this.emitted >= this.nextStop) this.stopSimulation();
  }

  /** Throws EventLimitError once the limit is passed; `horizon` in µs, for the message. */
  check(horizon: number): void {
    if (!this.exceeded) return;
    throw new EventLimitError(
      `the run passed its limit of ${this.max} events at t = ${formatDuration(this.sim.now)} of ${formatDuration(horizon)} simulated ` +
        '(scenario limits.events); nothing was written. A scenario that logs this much is usually one whose arrivals or retries ' +
        'come faster than time advances: check its rates, shorten its duration, or raise limits.events',
    );
  }

  private stopSimulation(): void {
    if (this.emitted > this.max) this.exceeded = true;
    if (this.emitted >= this.nextTurn) {
      this.nextTurn += EVENTS_PER_TURN;
      this.paused = true;
    }
    this.nextStop = Math.min(this.nextTurn, this.max + 1);
    this.sim.stop();
  }
}
