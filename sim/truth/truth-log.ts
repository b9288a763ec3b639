import { createHash, type Hash } from 'node:crypto';
import { ChunkedFile } from '../log/chunked-file.ts';
import { JsonBytes } from '../log/json-bytes.ts';
import type { TruthRecord } from './records.ts';
import { encodeDecision, encodeOp } from './truth-bytes.ts';

/** Where the world records the oracle's view (truth.jsonl), apart from the audit log. */
export interface TruthSink {
  write(record: TruthRecord): void;
}

/** A run without a truth file (tests, benchmarks) still computes its metrics. */
export const NO_TRUTH: TruthSink = { write: () => {} };

const CHUNK_BYTES = 1 << 20;

/**
 * Streams truth records as JSON Lines. Records are built with their keys in
 * a fixed order and written in the order the world produced them (the
 * simulation's order), so same scenario + seed gives the same bytes.
 *
 * Each record is encoded straight into a 1 MiB chunk that is flushed when
 * full: the two kinds written per operation and per decision member by
 * member (truth-bytes.ts), the others through JSON.stringify. Gathering
 * them into one long string first kept a chain of thousands of strings
 * alive across many events, so it was promoted to the old generation only
 * to die there: garbage for the full collections.
 */
export class TruthLogWriter implements TruthSink {
  private readonly digest: Hash = createHash('sha256');
  /** Null path: hash the records but write no file (a sweep without --logs). */
  private readonly file: ChunkedFile;
  /** Writes into the file's chunk. */
  private readonly out: JsonBytes;
  private count = 0;
  private result: { records: number; sha256: string } | undefined;

  constructor(path: string | null) {
    this.file = new ChunkedFile(path, CHUNK_BYTES, (bytes) => this.digest.update(bytes));
    this.out = new JsonBytes(this.file.chunk);
  }

  write(record: TruthRecord): void {
    this.count++;
    if ((record.kind === 'op' || record.kind === 'decision') && this.encoded(record)) return;
    this.stringified(JSON.stringify(record));
  }

  /**
   * An `op` or `decision` record encoded in the chunk after what it holds,
   * or, when it does not fit, at the start of an emptied chunk. False when
   * it was not written (longer than a chunk, or not of its type's shape).
   */
  private encoded(record: TruthRecord & { kind: 'op' | 'decision' }): boolean {
    const file = this.file;
    const out = this.out;
    for (;;) {
      out.pos = file.used;
      out.overflowed = false;
      if (!(record.kind === 'op' ? encodeOp(out, record) : encodeDecision(out, record))) return false;
      if (!out.overflowed) break;
      if (file.used === 0) return false;
      file.flush();
    }
    out.bytes[out.pos++] = 0x0a;
    file.used = out.pos;
    return true;
  }

  /** A record's JSON text, encoded into the chunk (or written around it when longer than a chunk). */
  private stringified(json: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit, plus the newline.
    const worst = json.length * 3 + 1;
    if (worst > CHUNK_BYTES) {
      this.file.writeAround(Buffer.from(`${json}\n`, 'utf8'));
      return;
    }
    const file = this.file;
    file.reserve(worst);
    file.used += file.chunk.write(json, file.used, 'utf8');
    file.chunk[file.used++] = 0x0a;
  }

  close(): { records: number; sha256: string } {
    if (!this.result) {
      this.file.close();
      this.result = { records: this.count, sha256: this.digest.digest('hex') };
    }
    return this.result;
  }
}
