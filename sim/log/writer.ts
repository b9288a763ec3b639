import { hash as sha256Once } from 'node:crypto';
import { ChunkedFile } from './chunked-file.ts';
import type { AuditSink } from './audit-sink.ts';
import { jobFields, type JobName } from './job-events.ts';
import { JobLineLead } from './job-line-lead.ts';
import { JsonBytes, literal, WordLiteral } from './json-bytes.ts';
import { LineHasher } from './line-hasher.ts';
import { LineShape } from './line-shape.ts';
import { LineStart } from './line-start.ts';
import { opFields } from './op-events.ts';
import { OpLineMiddle } from './op-line-middle.ts';
import type { SessionBlockRoot } from './session-block.ts';

// The sink interface and its field-object base lived here first; importers still find them here.
export { type AuditSink, FieldObjectSink } from './audit-sink.ts';

/** The previous-hash of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

// 256 KiB: a chunk that stays in the core's cache while its lines are built, hashed and
// copied out by write(); 4 MiB cost about 13% more CPU per mm1 run (64 KiB-1 MiB all alike).
const CHUNK_BYTES = 1 << 18;
// Lines up to this long are hashed through a kept view (line-hasher.ts); an op line is about 300 bytes.
const HASHED_LINE_BYTES = 2048;
// Room a line needs before its first piece of unknown length (see JsonBytes): its
// seq, t and, after its last such piece, prev and the hash member.
const LINE_HEADROOM = 512;
const HASH_HEX_LENGTH = 64;
// Event types whose shapes are kept (a simulator has about a hundred; an ingested log could have any number).
const MAX_SHAPES = 4096;
// The fixed pieces of every line.
const ACTOR = literal(',"actor":');
const PREV = new WordLiteral(',"prev":"');
const HASH = new WordLiteral(',"hash":"');
const BODY_END = literal('"}');
const LINE_END = literal('"}\n');
// How much longer the hash member makes a body: `,"hash":"`, the hex and `"}\n` in place of its closing brace.
const HASH_MEMBER_GROWTH = HASH.length - 1 + HASH_HEX_LENGTH + LINE_END.length;
const TRUE = literal('true');
const FALSE = literal('false');
const NULL = literal('null');

/**
 * Streams the audit log to disk as JSON Lines with a SHA-256 hash chain:
 * each line's `hash` is the SHA-256 of that line's JSON without its `hash`
 * member (so it ends `,"prev":"..."}`), and `prev` is the previous line's
 * hash. Memory stays flat however long the run: lines go to disk in 256 KiB
 * chunks (chunked-file.ts, shared with truth.jsonl's writer).
 *
 * The log's fingerprint is the chain's last hash (the seal's, since the
 * seal is the last line): it commits to every byte of every line, so a
 * second SHA-256 over the whole file would add nothing but its cost.
 *
 * With `path` null the lines are built and chained but written nowhere (a
 * sweep without --logs): the fingerprint is the one the written log would
 * have, and the log can be regenerated from the run's manifest.
 */
export class AuditLogWriter implements AuditSink {
  private readonly file: ChunkedFile;
  private seq = 0;
  /** `{"seq":<seq>,"t":` for the next line. */
  private readonly lineStart = new LineStart(0);
  /** The last line's hash in hex, once asked for (lastHash) or before its line leaves the chunk; undefined until then. */
  private prevHex: string | undefined = GENESIS_HASH;
  /** Hashes each line where the chunk holds it. */
  private readonly hasher: LineHasher;
  /** The chunk as a DataView, for a session block to copy a line's hash from (lastHashInto). */
  private readonly chunkView: DataView;
  private result: { events: number; fingerprint: string; lastHash: string } | undefined;
  /** Writes each line straight into the chunk. */
  private readonly out: JsonBytes;
  /** Where in the chunk the last line's hash is (the next line's prev), or -1 when it is no longer there. */
  private prevAt = -1;
  /** What was learned of each event type's lines (line-shape.ts). */
  private readonly shapes = new Map<string, LineShape>();
  /**
   * The job events' shapes and their lines' bytes from the type to the job's number (job-line-lead.ts), learned
   * from their first lines, kept here so that their lines need no look-up.
   */
  private arrived: JobLineLead | undefined;
  private started: JobLineLead | undefined;
  private finished: JobLineLead | undefined;
  /** The same for the op events. */
  private opQueuedShape: LineShape | undefined;
  private opStartedShape: LineShape | undefined;
  private opExecutedShape: LineShape | undefined;
  /** The op line written last, for the next one of the same operation (op-line-middle.ts). */
  private readonly lastOp = new OpLineMiddle();

  /** @param nativeHash whether lines may be hashed by the build's native hasher (line-hasher.ts; tests compare both) */
  constructor(path: string | null, nativeHash = true) {
    this.file = new ChunkedFile(path, CHUNK_BYTES, undefined, HASHED_LINE_BYTES);
    this.out = new JsonBytes(this.file.chunk);
    this.hasher = new LineHasher(this.file.chunk, this.file.spare, nativeHash);
    this.chunkView = new DataView(this.file.chunk.buffer, this.file.chunk.byteOffset, this.file.chunk.length);
  }

  get count(): number {
    return this.seq;
  }

  get lastHash(): string {
    // Read back from the chunk while the line is there; startAgain reads it before the chunk is written out.
    let hex = this.prevHex;
    if (hex === undefined) {
      hex = this.file.chunk.toString('latin1', this.prevAt, this.prevAt + HASH_HEX_LENGTH);
      this.prevHex = hex;
    }
    return hex;
  }

  emit(t: number, type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void {
    const file = this.file;
    let shape = this.shapes.get(type);
    if (shape === undefined) {
      shape = new LineShape(type, mission, actor, fields);
      if (this.shapes.size < MAX_SHAPES) this.shapes.set(type, shape);
    }
    let end = this.encodeBody(file.used, t, shape, mission, actor, fields);
    if (end < 0 && this.startAgain()) end = this.encodeBody(0, t, shape, mission, actor, fields);
    if (end < 0) this.emitLongLine(t, type, mission, actor, fields);
    else this.endLine(end);
  }

  jobArrived(t: number, resource: string, job: JobName): void {
    this.arrived ??= new JobLineLead(new LineShape('job.arrive', null, job.source, jobFields.arrived(resource, job)), job.source, job.source, resource);
    if (!this.jobLine(t, this.arrived, job.source, job, resource)) this.emit(t, 'job.arrive', null, job.source, jobFields.arrived(resource, job));
  }

  jobStarted(t: number, resource: string, job: JobName, waitedUs: number): void {
    this.started ??= new JobLineLead(new LineShape('job.start', null, resource, jobFields.started(job, waitedUs)), resource, job.source, undefined);
    if (!this.jobLine(t, this.started, resource, job, waitedUs)) this.emit(t, 'job.start', null, resource, jobFields.started(job, waitedUs));
  }

  jobFinished(t: number, resource: string, job: JobName, sojournUs: number): void {
    this.finished ??= new JobLineLead(new LineShape('job.done', null, resource, jobFields.finished(job, sojournUs)), resource, job.source, undefined);
    if (!this.jobLine(t, this.finished, resource, job, sojournUs)) this.emit(t, 'job.done', null, resource, jobFields.finished(job, sojournUs));
  }

  opQueued(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void {
    this.opQueuedShape ??= new LineShape('op.queued', mission, resource, opFields.queued(agent, op, jti, queueLength));
    if (!this.opLine(t, this.opQueuedShape, mission, resource, agent, op, jti, queueLength))
      this.emit(t, 'op.queued', mission, resource, opFields.queued(agent, op, jti, queueLength));
  }

  opStarted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string): void {
    this.opStartedShape ??= new LineShape('op.started', mission, resource, opFields.started(agent, op, jti));
    if (!this.opLine(t, this.opStartedShape, mission, resource, agent, op, jti, undefined))
      this.emit(t, 'op.started', mission, resource, opFields.started(agent, op, jti));
  }

  opExecuted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void {
    this.opExecutedShape ??= new LineShape('op.executed', mission, resource, opFields.executed(agent, op, jti, irreversible));
    if (!this.opLine(t, this.opExecutedShape, mission, resource, agent, op, jti, irreversible))
      this.emit(t, 'op.executed', mission, resource, opFields.executed(agent, op, jti, irreversible));
  }

  lastHashInto(root: SessionBlockRoot): void {
    // The last line is nearly always still in the chunk (endLine leaves it there): its hash is copied from there.
    if (this.prevAt >= 0) root.addAscii(this.chunkView, this.prevAt, HASH_HEX_LENGTH);
    else root.add(this.lastHash);
  }

  /**
   * Writes a job event's line (no mission; its two fields named as in
   * `lead.shape`): for `job.arrive` the resource (`detail`) and then the
   * job, for the others the job and then a duration (`detail`, µs). The
   * bytes are emit's for the same field object. Returns false for a line
   * too long for a chunk (emit's long-line path writes those).
   */
  private jobLine(t: number, lead: JobLineLead, actor: string, job: JobName, detail: string | number): boolean {
    let end = this.encodeJob(this.file.used, t, lead, actor, job, detail);
    if (end < 0 && this.startAgain()) end = this.encodeJob(0, t, lead, actor, job, detail);
    if (end < 0) return false;
    this.endLine(end);
    return true;
  }

  /**
   * Writes an op event's line: the agent, op and jti, then the queue length
   * (op.queued), whether it was irreversible (op.executed) or nothing
   * (op.started, `last` undefined), named as in `shape`. The bytes are
   * emit's for the same field object. Returns false for a line too long for
   * a chunk (emit's long-line path writes those).
   */
  private opLine(
    t: number,
    shape: LineShape,
    mission: string | null,
    actor: string,
    agent: string,
    op: string,
    jti: string,
    last: number | boolean | undefined,
  ): boolean {
    // Where the chunk's lines end, else (the line did not fit there) at the start of the emptied chunk.
    for (let start = this.file.used; ; start = 0) {
      if (this.encodeStart(start, t)) {
        const out = this.out;
        const members = shape.members;
        // The mission's value follows the type's head (its learned prefix begins with the same bytes).
        const middle = out.pos + shape.head.length;
        if (mission !== null && this.lastOp.repeats(mission, actor, agent, op, jti)) {
          out.raw(shape.head);
          out.repeat(this.lastOp.from, this.lastOp.to - this.lastOp.from);
        } else {
          this.encodeWho(shape, mission, actor);
          // The names are a few bytes, and each piece before them checked that SLACK bytes are free after it (json-bytes.ts).
          out.fixed(members[0] as Uint8Array);
          out.string(agent);
          out.fixed(members[1] as Uint8Array);
          out.string(op);
          out.fixed(members[2] as Uint8Array);
          out.string(jti);
        }
        const middleEnd = out.pos;
        if (typeof last === 'number') {
          out.fixed(members[3] as Uint8Array);
          if (Number.isFinite(last)) out.number(last);
          else out.fixed(NULL);
        } else if (typeof last === 'boolean') {
          out.fixed(members[3] as Uint8Array);
          out.fixed(last ? TRUE : FALSE);
        }
        const end = this.encodeTail();
        if (end >= 0) {
          if (mission !== null) this.lastOp.remember(middle, middleEnd, mission, actor, agent, op, jti);
          this.endLine(end);
          return true;
        }
      }
      if (!this.startAgain()) return false;
    }
  }

  /** The line did not fit in what is left of the chunk: writes the chunk out so it can start again; false if it was empty. */
  private startAgain(): boolean {
    if (this.file.used === 0) return false;
    // The last line's hash, read before the chunk that holds it is reused.
    this.prevHex = this.lastHash;
    this.file.flush();
    this.prevAt = -1;
    this.lastOp.forget();
    return true;
  }

  /** Hashes the body written from the chunk's `used` to `end`, then ends the line with its hash member. */
  private endLine(end: number): void {
    const file = this.file;
    // The body is hashed as it was written (line-hasher.ts), its digest written into the chunk as hex where the hash
    // member's value goes: no string of it is made (lastHash reads it back from the chunk when asked).
    const out = this.out;
    // The hex goes after `,"hash":"`, which then replaces the body's closing brace (read by then).
    const hexAt = end - 1 + HASH.length;
    this.hasher.digestHexAt(file.used, end, hexAt);
    out.pos = end - 1;
    out.word(HASH);
    this.prevAt = hexAt;
    out.pos = hexAt + HASH_HEX_LENGTH;
    out.fixed(LINE_END);
    file.used = out.pos;
    this.prevHex = undefined;
    this.lineStart.next(++this.seq);
  }

  /**
   * Writes the line without its hash member (ending `,"prev":"..."}`) into
   * the chunk at `start`; returns where it ends, or -1 if it did not fit.
   */
  private encodeBody(start: number, t: number, shape: LineShape, mission: string | null, actor: string, fields: Record<string, unknown> | undefined): number {
    if (!this.encodeHead(start, t, shape, mission, actor)) return -1;
    if (fields !== undefined) this.encodeFields(fields, shape);
    return this.encodeTail();
  }

  /** encodeBody for jobLine's fields. */
  private encodeJob(start: number, t: number, lead: JobLineLead, actor: string, job: JobName, detail: string | number): number {
    if (!lead.fits(actor, job.source, detail)) return this.encodeJobPieces(start, t, lead.shape, actor, job, detail);
    if (!this.encodeStart(start, t)) return -1;
    // The lead is at most MAX_JOB_LEAD_BYTES and the numbers a few dozen: the room encodeStart checked holds the line.
    const out = this.out;
    out.fixed(lead.bytes);
    out.number(job.number);
    out.fixed(lead.tail);
    if (typeof detail === 'number') {
      if (Number.isFinite(detail)) out.number(detail);
      else out.fixed(NULL);
    }
    return this.encodeTail();
  }

  /** encodeJob for a line its type's lead does not fit: each piece written from its own string. */
  private encodeJobPieces(start: number, t: number, shape: LineShape, actor: string, job: JobName, detail: string | number): number {
    if (!this.encodeHead(start, t, shape, null, actor)) return -1;
    const out = this.out;
    // The names are a few bytes, and each piece before them checked that SLACK bytes are free after it (json-bytes.ts).
    out.fixed(shape.members[0] as Uint8Array);
    if (typeof detail === 'string') {
      out.string(detail);
      out.fixed(shape.members[1] as Uint8Array);
      out.numberedName(job.source, job.number);
    } else {
      out.numberedName(job.source, job.number);
      out.fixed(shape.members[1] as Uint8Array);
      if (Number.isFinite(detail)) out.number(detail);
      else out.fixed(NULL);
    }
    return this.encodeTail();
  }

  /** The line from its start to its actor's closing quote, at `start`; false if there is not room for a line's fixed parts. */
  private encodeHead(start: number, t: number, shape: LineShape, mission: string | null, actor: string): boolean {
    if (!this.encodeStart(start, t)) return false;
    this.encodeWho(shape, mission, actor);
    return true;
  }

  /** The line's seq and t, at `start`; false if there is not room for a line's fixed parts. */
  private encodeStart(start: number, t: number): boolean {
    const out = this.out;
    if (start + LINE_HEADROOM > out.bytes.length) return false;
    out.pos = start;
    out.overflowed = false;
    out.fixed(this.lineStart.bytes);
    out.number(t);
    return true;
  }

  /** The type, mission and actor members. */
  private encodeWho(shape: LineShape, mission: string | null, actor: string): void {
    const out = this.out;
    // The mission and actor of this type's first event (nearly always the same): copied in one piece.
    if (mission === shape.mission && actor === shape.actor) out.raw(shape.prefix);
    else {
      if (mission === null) out.raw(shape.headWithoutMission);
      else {
        out.raw(shape.head);
        out.string(mission);
        out.fixed(ACTOR);
      }
      out.string(actor);
    }
  }

  /** The prev member and the closing brace; returns where the body ends, or -1 if a piece did not fit. */
  private encodeTail(): number {
    const out = this.out;
    // A piece did not fit: the line starts again in a fresh chunk, so the rest is not written.
    if (out.overflowed) return -1;
    out.word(PREV);
    // The previous line's hash, copied from that line while it is still in the chunk.
    if (this.prevAt >= 0) out.copyBack(this.prevAt, HASH_HEX_LENGTH);
    else out.hex(this.lastHash);
    out.fixed(BODY_END);
    // endLine's hash member must fit after the body too.
    return out.overflowed || out.pos + HASH_MEMBER_GROWTH > out.bytes.length ? -1 : out.pos;
  }

  /** The fields' members, as JSON.stringify(fields) writes them, without its braces. */
  private encodeFields(fields: Record<string, unknown>, shape: LineShape): void {
    const out = this.out;
    const from = out.pos;
    // A plain object's for-in order is JSON.stringify's order (integer-like keys first, then insertion order).
    const prototype = Object.getPrototypeOf(fields);
    if (prototype === Object.prototype || prototype === null) {
      const names = shape.names;
      let whole = true;
      let at = 0;
      for (const key in fields) {
        // A piece did not fit (the line starts again in a fresh chunk): the rest would only be thrown away.
        if (out.overflowed) break;
        const value = fields[key];
        // Where this type's first event had the same name here, the member's name is copied as bytes and a string,
        // finite number or boolean written directly; anything else takes the general path.
        const known = key === names[at];
        if (known && typeof value === 'string') {
          out.raw(shape.members[at] as Uint8Array);
          out.string(value);
        } else if (known && typeof value === 'number' && Number.isFinite(value)) {
          out.raw(shape.members[at] as Uint8Array);
          out.number(value);
        } else if (known && typeof value === 'boolean') {
          out.raw(shape.members[at] as Uint8Array);
          out.fixed(value ? TRUE : FALSE);
        } else if (!out.member(key, value)) {
          whole = false;
          break;
        }
        at++;
      }
      if (whole) return;
    }
    // Anything else (a class instance, a toJSON method) exactly as JSON.stringify would have it.
    out.pos = from;
    const json = JSON.stringify(fields);
    if (json.length > 2) out.encoded(`,${json.slice(1, -1)}`);
  }

  /** A line too long for the chunk, built as a string and written straight to disk. */
  private emitLongLine(t: number, type: string, mission: string | null, actor: string, fields: Record<string, unknown> | undefined): void {
    let body = `{"seq":${this.seq},"t":${t},"type":${JSON.stringify(type)},"mission":${mission === null ? 'null' : JSON.stringify(mission)},"actor":${JSON.stringify(actor)}`;
    if (fields !== undefined) {
      const json = JSON.stringify(fields);
      if (json.length > 2) body += `,${json.slice(1, -1)}`;
    }
    body += `,"prev":"${this.lastHash}"}`;
    const digest = sha256Once('sha256', body, 'hex');
    this.file.writeAround(Buffer.from(`${body.slice(0, -1)},"hash":"${digest}"}\n`, 'utf8'));
    this.prevAt = -1;
    this.lastOp.forget();
    this.prevHex = digest;
    this.lineStart.next(++this.seq);
  }

  /** Flushes and closes the file; returns the count and the fingerprint (the chain's last hash). */
  close(): { events: number; fingerprint: string; lastHash: string } {
    if (!this.result) {
      const last = this.lastHash;
      this.file.close();
      this.result = { events: this.seq, fingerprint: last, lastHash: last };
    }
    return this.result;
  }
}
