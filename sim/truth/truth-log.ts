import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import type { TruthRecord } from './records.ts';

/** Where the world records the oracle's view (truth.jsonl), apart from the audit log. */
export interface TruthSink {
  write(record: TruthRecord): void;
}

/** A run without a truth file (tests, benchmarks) still computes its metrics. */
export const NO_TRUTH: TruthSink = { write: () => {} };

/**
 * Streams truth records as JSON Lines. Records are built with their keys in
 * a fixed order and written in the order the world produced them (the
 * simulation's order), so same scenario + seed gives the same bytes.
 */
export class TruthLogWriter implements TruthSink {
  private readonly fd: number;
  private readonly digest: Hash = createHash('sha256');
  private pending = '';
  private count = 0;
  private result: { records: number; sha256: string } | undefined;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write(record: TruthRecord): void {
    this.pending += `${JSON.stringify(record)}\n`;
    this.count++;
    if (this.pending.length > 1 << 20) this.flush();
  }

  close(): { records: number; sha256: string } {
    if (!this.result) {
      this.flush();
      closeSync(this.fd);
      this.result = { records: this.count, sha256: this.digest.digest('hex') };
    }
    return this.result;
  }

  private flush(): void {
    if (this.pending === '') return;
    const bytes = Buffer.from(this.pending, 'utf8');
    this.digest.update(bytes);
    writeSync(this.fd, bytes);
    this.pending = '';
  }
}
