import { hash as sha256Once } from 'node:crypto';
import { ChunkedFile } from './chunked-file.ts';

/** Where actors record what the systems saw and decided. */
export interface AuditSink {
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

/** The previous-hash of the first event of a chain. */
export const GENESIS_HASH = '0'.repeat(64);

const CHUNK_BYTES = 1 << 22;
// A line longer than this goes straight to disk rather than through the chunk.
const MAX_BUFFERED_LINE = CHUNK_BYTES >> 2;
// What a line adds after its body: `,"hash":"<64 hex>"}` and the newline, less the body's closing brace.
const HASH_TAIL_BYTES = 80;
// Most distinct strings whose JSON form the writer keeps (see quote()).
const MAX_QUOTED = 100_000;

/**
 * Streams the audit log to disk as JSON Lines with a SHA-256 hash chain:
 * each line's `hash` is the SHA-256 of that line's JSON without its `hash`
 * member (so it ends `,"prev":"..."}`), and `prev` is the previous line's
 * hash. Memory stays flat however long the run: lines go to disk in 4 MiB
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
  private prev = GENESIS_HASH;
  private result: { events: number; fingerprint: string; lastHash: string } | undefined;
  private readonly quoted = new Map<string, string>();

  constructor(path: string | null) {
    this.file = new ChunkedFile(path, CHUNK_BYTES);
  }

  get count(): number {
    return this.seq;
  }

  get lastHash(): string {
    return this.prev;
  }

  emit(t: number, type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void {
    let body = `{"seq":${this.seq},"t":${t},"type":${this.quote(type)},"mission":${mission === null ? 'null' : this.quote(mission)},"actor":${this.quote(actor)}`;
    if (fields !== undefined) {
      const json = JSON.stringify(fields);
      if (json.length > 2) body += `,${json.slice(1, -1)}`;
    }
    body += `,"prev":"${this.prev}"}`;
    this.seq++;
    // UTF-8 needs at most 3 bytes per UTF-16 unit: flush first if the line might not fit.
    const worst = body.length * 3 + HASH_TAIL_BYTES;
    if (worst > MAX_BUFFERED_LINE) {
      const digest = sha256Once('sha256', body, 'hex');
      this.prev = digest;
      this.file.writeAround(Buffer.from(`${body.slice(0, -1)},"hash":"${digest}"}\n`, 'utf8'));
      return;
    }
    const file = this.file;
    file.reserve(worst);
    // The body is encoded once, straight into the chunk, and hashed from
    // there; the hash member then replaces its closing brace. Building the
    // whole line as a second string, and encoding it again, cost more.
    const start = file.used;
    const end = start + file.chunk.write(body, start, 'utf8');
    const digest = sha256Once('sha256', file.chunk.subarray(start, end), 'hex');
    this.prev = digest;
    file.used = end - 1 + file.chunk.write(`,"hash":"${digest}"}\n`, end - 1, 'latin1');
  }

  /**
   * `text` as a JSON string literal. Types, actors and missions repeat on
   * nearly every line (a few dozen types, one actor and one mission per
   * agent), so each is quoted once and looked up after, rather than
   * JSON.stringify'd three times per event. Bounded, in case some run has
   * an endless supply of distinct ones.
   */
  private quote(text: string): string {
    let quoted = this.quoted.get(text);
    if (quoted === undefined) {
      quoted = JSON.stringify(text);
      if (this.quoted.size >= MAX_QUOTED) this.quoted.clear();
      this.quoted.set(text, quoted);
    }
    return quoted;
  }

  /** Flushes and closes the file; returns the count and the fingerprint (the chain's last hash). */
  close(): { events: number; fingerprint: string; lastHash: string } {
    if (!this.result) {
      this.file.close();
      this.result = { events: this.seq, fingerprint: this.prev, lastHash: this.prev };
    }
    return this.result;
  }
}
