import { jobFields, type JobEventSink, type JobName } from './job-events.ts';
import { opFields, type OpEventSink } from './op-events.ts';
import type { LastHashSource, SessionBlockRoot } from './session-block.ts';

/**
 * Where actors record what the systems saw and decided: any event through
 * `emit`, and the hottest ones also through typed methods (job-events.ts,
 * op-events.ts) that record the same line without a field object.
 */
export interface AuditSink extends JobEventSink, OpEventSink, LastHashSource {
  /**
   * Records one event at simulated time `t`. `fields` follow the common
   * fields in their insertion order; never use the names seq, t, type,
   * mission, actor, prev or hash, nor integer-like names (JavaScript would
   * reorder them).
   */
  emit(t: number, type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void;
  /** The hash of the event emitted last (GENESIS_HASH before any). */
  readonly lastHash: string;
  /** How many events were emitted (the next event's seq). */
  readonly count: number;
}

/**
 * A sink that records every event through `emit`, the typed events with
 * their field objects: for sinks where building that object costs nothing
 * that matters (counting, columns beside the log, tests).
 */
export abstract class FieldObjectSink implements AuditSink {
  abstract emit(t: number, type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void;
  abstract readonly lastHash: string;
  abstract readonly count: number;

  jobArrived(t: number, resource: string, job: JobName): void {
    this.emit(t, 'job.arrive', null, job.source, jobFields.arrived(resource, job));
  }

  jobStarted(t: number, resource: string, job: JobName, waitedUs: number): void {
    this.emit(t, 'job.start', null, resource, jobFields.started(job, waitedUs));
  }

  jobFinished(t: number, resource: string, job: JobName, sojournUs: number): void {
    this.emit(t, 'job.done', null, resource, jobFields.finished(job, sojournUs));
  }

  opQueued(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void {
    this.emit(t, 'op.queued', mission, resource, opFields.queued(agent, op, jti, queueLength));
  }

  opStarted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string): void {
    this.emit(t, 'op.started', mission, resource, opFields.started(agent, op, jti));
  }

  opExecuted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void {
    this.emit(t, 'op.executed', mission, resource, opFields.executed(agent, op, jti, irreversible));
  }

  lastHashInto(root: SessionBlockRoot): void {
    root.add(this.lastHash);
  }
}
