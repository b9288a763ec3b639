import { TypedRows } from './parquet/typed-rows.ts';
import { eventColumns } from './analysed-columns.ts';
import { jobId, type JobName } from './job-events.ts';
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
  /**
   * The typed events' fields by column (-1: not an analysed column), set
   * from their arguments: a field object per row (and, for a job, its name
   * built as a string) only to be walked for the one or two fields that are
   * columns cost a sweep run more than the row itself. Each sets exactly
   * the columns setFields would set from the event's field object
   * (job-events.ts, op-events.ts), so the file's bytes are the same
   * (test/sim/log/event-columns-typed.test.ts).
   */
  private readonly column: Record<'resource' | 'job' | 'waited_us' | 'sojourn_us' | 'agent' | 'op' | 'jti' | 'queue_length' | 'irreversible', number>;

  constructor(
    private readonly log: AuditSink & { close(): { events: number; fingerprint: string; lastHash: string } },
    path: string,
    constants: ReadonlyArray<[name: string, value: string]> = [],
  ) {
    super();
    this.rows = new TypedRows(path, eventColumns(), constants);
    // The common columns come first, in eventColumns() order: seq, t, type, mission, actor.
    this.seq = this.rows.indexOf('seq');
    const rows = this.rows;
    this.column = {
      resource: rows.columnOf('resource', 'string'),
      job: rows.columnOf('job', 'string'),
      waited_us: rows.columnOf('waited_us', 'int64'),
      sojourn_us: rows.columnOf('sojourn_us', 'int64'),
      agent: rows.columnOf('agent', 'string'),
      op: rows.columnOf('op', 'string'),
      jti: rows.columnOf('jti', 'string'),
      queue_length: rows.columnOf('queue_length', 'int64'),
      irreversible: rows.columnOf('irreversible', 'bool'),
    };
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

  // The job events: the log's line through its typed method, the row's columns from the arguments.
  override jobArrived(t: number, resource: string, job: JobName): void {
    const seq = this.log.count;
    this.log.jobArrived(t, resource, job);
    this.begin(seq, t, 'job.arrive', null, job.source);
    this.text(this.column.resource, resource);
    if (this.column.job >= 0) this.text(this.column.job, jobId(job));
    this.rows.endRow();
  }

  override jobStarted(t: number, resource: string, job: JobName, waitedUs: number): void {
    const seq = this.log.count;
    this.log.jobStarted(t, resource, job, waitedUs);
    this.begin(seq, t, 'job.start', null, resource);
    if (this.column.job >= 0) this.text(this.column.job, jobId(job));
    this.integer(this.column.waited_us, 'job.start', 'waited_us', waitedUs);
    this.rows.endRow();
  }

  override jobFinished(t: number, resource: string, job: JobName, sojournUs: number): void {
    const seq = this.log.count;
    this.log.jobFinished(t, resource, job, sojournUs);
    this.begin(seq, t, 'job.done', null, resource);
    if (this.column.job >= 0) this.text(this.column.job, jobId(job));
    this.integer(this.column.sojourn_us, 'job.done', 'sojourn_us', sojournUs);
    this.rows.endRow();
  }

  // The op events likewise.
  override opQueued(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void {
    const seq = this.log.count;
    this.log.opQueued(t, mission, resource, agent, op, jti, queueLength);
    this.opRow(seq, t, 'op.queued', mission, resource, agent, op, jti);
    this.integer(this.column.queue_length, 'op.queued', 'queue_length', queueLength);
    this.rows.endRow();
  }

  override opStarted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string): void {
    const seq = this.log.count;
    this.log.opStarted(t, mission, resource, agent, op, jti);
    this.opRow(seq, t, 'op.started', mission, resource, agent, op, jti);
    this.rows.endRow();
  }

  override opExecuted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void {
    const seq = this.log.count;
    this.log.opExecuted(t, mission, resource, agent, op, jti, irreversible);
    this.opRow(seq, t, 'op.executed', mission, resource, agent, op, jti);
    if (this.column.irreversible >= 0) this.rows.setBoolean(this.column.irreversible, irreversible);
    this.rows.endRow();
  }

  override lastHashInto(root: SessionBlockRoot): void {
    this.log.lastHashInto(root);
  }

  private row(seq: number, t: number, type: string, mission: string | null, actor: string, fields: Record<string, unknown> | undefined): void {
    this.begin(seq, t, type, mission, actor);
    if (fields !== undefined) this.rows.setFields(fields, type);
    this.rows.endRow();
  }

  /** The columns every row has. */
  private begin(seq: number, t: number, type: string, mission: string | null, actor: string): void {
    const rows = this.rows;
    rows.setInteger(this.seq, seq);
    rows.setInteger(this.seq + 1, t);
    rows.setText(this.seq + 2, type);
    if (mission !== null) rows.setText(this.seq + 3, mission);
    rows.setText(this.seq + 4, actor);
  }

  /** An op event's own fields (the ones it shares: agent, op, jti). */
  private opRow(seq: number, t: number, type: string, mission: string | null, resource: string, agent: string, op: string, jti: string): void {
    this.begin(seq, t, type, mission, resource);
    this.text(this.column.agent, agent);
    this.text(this.column.op, op);
    this.text(this.column.jti, jti);
  }

  private text(column: number, value: string): void {
    if (column >= 0) this.rows.setText(column, value);
  }

  /** An integer field as setFields sets it: one that is not a safe integer makes the file unusable (setFields says why). */
  private integer(column: number, type: string, name: string, value: number): void {
    if (column < 0) return;
    if (Number.isSafeInteger(value)) this.rows.setInteger(column, value);
    else this.rows.setFields({ [name]: value }, type);
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
