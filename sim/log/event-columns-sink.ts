import { TypedRows } from './parquet/typed-rows.ts';
import { eventColumns } from './analysed-columns.ts';
import { jobFields, type JobName } from './job-events.ts';
import { opFields } from './op-events.ts';
import type { SessionBlockRoot } from './session-block.ts';
import { type AuditSink, FieldObjectSink } from './audit-sink.ts';

/** The file beside events.jsonl that holds its analysed columns. */
export const EVENT_COLUMNS_FILE = 'events.parquet';

/**
 * An audit sink that passes every event on to the log writer and also
 * records its analysed columns (analysed-columns.ts) in events.parquet, so
 * that `analyze` can take a run's table as it is instead of parsing its log
 * (DuckDB spends about 3 µs of CPU per event parsing JSON and writing
 * Parquet; this costs the simulator under 1 µs). `constants` are columns
 * every row has, such as the run's id within its sweep.
 *
 * The file is a convenience, never the record: events.jsonl stays the log,
 * and analysis uses the file only while the log still has the fingerprint
 * the file names (analysis/column-files.ts).
 */
export class EventColumnsSink extends FieldObjectSink {
  private readonly rows: TypedRows;
  private readonly seq: number;

  constructor(
    private readonly log: AuditSink & { close(): { events: number; fingerprint: string; lastHash: string } },
    path: string,
    constants: ReadonlyArray<[name: string, value: string]> = [],
  ) {
    super();
    this.rows = new TypedRows(path, eventColumns(), constants);
    // The common columns come first, in eventColumns() order: seq, t, type, mission, actor.
    this.seq = this.rows.indexOf('seq');
  }

  get count(): number {
    return this.log.count;
  }

  get lastHash(): string {
    return this.log.lastHash;
  }

  emit(t: number, type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void {
    const seq = this.log.count;
    this.log.emit(t, type, mission, actor, fields);
    this.row(seq, t, type, mission, actor, fields);
  }

  // The job events: the log's line through its typed method; the row needs the field object (its job as text) anyway.
  override jobArrived(t: number, resource: string, job: JobName): void {
    const seq = this.log.count;
    this.log.jobArrived(t, resource, job);
    this.row(seq, t, 'job.arrive', null, job.source, jobFields.arrived(resource, job));
  }

  override jobStarted(t: number, resource: string, job: JobName, waitedUs: number): void {
    const seq = this.log.count;
    this.log.jobStarted(t, resource, job, waitedUs);
    this.row(seq, t, 'job.start', null, resource, jobFields.started(job, waitedUs));
  }

  override jobFinished(t: number, resource: string, job: JobName, sojournUs: number): void {
    const seq = this.log.count;
    this.log.jobFinished(t, resource, job, sojournUs);
    this.row(seq, t, 'job.done', null, resource, jobFields.finished(job, sojournUs));
  }

  // The op events likewise.
  override opQueued(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void {
    const seq = this.log.count;
    this.log.opQueued(t, mission, resource, agent, op, jti, queueLength);
    this.row(seq, t, 'op.queued', mission, resource, opFields.queued(agent, op, jti, queueLength));
  }

  override opStarted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string): void {
    const seq = this.log.count;
    this.log.opStarted(t, mission, resource, agent, op, jti);
    this.row(seq, t, 'op.started', mission, resource, opFields.started(agent, op, jti));
  }

  override opExecuted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void {
    const seq = this.log.count;
    this.log.opExecuted(t, mission, resource, agent, op, jti, irreversible);
    this.row(seq, t, 'op.executed', mission, resource, opFields.executed(agent, op, jti, irreversible));
  }

  override lastHashInto(root: SessionBlockRoot): void {
    this.log.lastHashInto(root);
  }

  private row(seq: number, t: number, type: string, mission: string | null, actor: string, fields: Record<string, unknown> | undefined): void {
    const rows = this.rows;
    rows.setInteger(this.seq, seq);
    rows.setInteger(this.seq + 1, t);
    rows.setText(this.seq + 2, type);
    if (mission !== null) rows.setText(this.seq + 3, mission);
    rows.setText(this.seq + 4, actor);
    if (fields !== undefined) rows.setFields(fields, type);
    rows.endRow();
  }

  /** Closes the log, then events.parquet with the log's fingerprint (or drops it if an event did not fit). */
  close(): { events: number; fingerprint: string; lastHash: string } {
    const log = this.log.close();
    this.rows.close(log.fingerprint);
    return log;
  }

  /** SHA-256 of events.parquet as closed (undefined if it was dropped). */
  get fileSha256(): string | undefined {
    return this.rows.fileSha256;
  }

  /** Why events.parquet was dropped, if it was. */
  get droppedBecause(): string | undefined {
    return this.rows.droppedBecause;
  }
}
