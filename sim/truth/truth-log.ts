import { createHash, type Hash } from 'node:crypto';
import { ChunkedFile } from '../log/chunked-file.ts';
import type { TruthRecord } from './records.ts';

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
 * full. Gathering them into one long string first kept a chain of
 * thousands of strings alive across many events, so it was promoted to the
 * old generation only to die there: garbage for the full collections.
 */
export class TruthLogWriter implements TruthSink {
  private readonly digest: Hash = createHash('sha256');
  /** Null path: hash the records but write no file (a sweep without --logs). */
  private readonly file: ChunkedFile;
  private count = 0;
  private result: { records: number; sha256: string } | undefined;

  constructor(path: string | null) {
    this.file = new ChunkedFile(path, CHUNK_BYTES, (bytes) => this.digest.update(bytes));
  }

  write(record: TruthRecord): void {
    const json = JSON.stringify(record);
    this.count++;
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
