import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
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
  /** Null: hash the records but write no file (a sweep without --logs). */
  private readonly fd: number | null;
  private readonly digest: Hash = createHash('sha256');
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  private count = 0;
  private result: { records: number; sha256: string } | undefined;

  constructor(path: string | null) {
    this.fd = path === null ? null : openSync(path, 'w');
  }

  write(record: TruthRecord): void {
    const json = JSON.stringify(record);
    this.count++;
    // UTF-8 needs at most 3 bytes per UTF-16 unit, plus the newline.
    const worst = json.length * 3 + 1;
    if (this.used + worst > CHUNK_BYTES) this.flush();
    if (worst > CHUNK_BYTES) {
      this.writeOut(Buffer.from(`${json}\n`, 'utf8'));
      return;
    }
    this.used += this.chunk.write(json, this.used, 'utf8');
    this.chunk[this.used++] = 0x0a;
  }

  close(): { records: number; sha256: string } {
    if (!this.result) {
      this.flush();
      if (this.fd !== null) closeSync(this.fd);
      this.result = { records: this.count, sha256: this.digest.digest('hex') };
    }
    return this.result;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.writeOut(this.chunk.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(bytes: Buffer): void {
    this.digest.update(bytes);
    if (this.fd === null) return;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
  }
}
