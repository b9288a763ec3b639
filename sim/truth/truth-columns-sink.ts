import { TypedRows } from '../log/parquet/typed-rows.ts';
import type { TruthRecord } from './records.ts';
import { TRUTH_COLUMNS } from './truth-columns.ts';
import type { TruthLogWriter, TruthSink } from './truth-log.ts';

/** The file beside truth.jsonl that holds its records as the truth table's columns. */
export const TRUTH_COLUMNS_FILE = 'truth.parquet';

/**
 * Passes truth records on to truth.jsonl and also records them as the
 * truth table's columns in truth.parquet (the events' counterpart is
 * sim/log/event-columns-sink.ts). Envelopes and arguments are JSON text,
 * as `analyze` reads them from the JSON Lines.
 */
export class TruthColumnsSink implements TruthSink {
  private readonly rows: TypedRows;

  constructor(
    private readonly log: TruthLogWriter,
    path: string,
    constants: ReadonlyArray<[name: string, value: string]> = [],
  ) {
    this.rows = new TypedRows(path, TRUTH_COLUMNS, constants);
  }

  write(record: TruthRecord): void {
    this.log.write(record);
    this.rows.setFields(record as unknown as Record<string, unknown>, record.kind);
    this.rows.endRow();
  }

  /** SHA-256 of truth.parquet as closed (undefined if it was dropped). */
  get fileSha256(): string | undefined {
    return this.rows.fileSha256;
  }

  /** Closes truth.jsonl, then truth.parquet with its SHA-256 (or drops it if a record did not fit). */
  close(): { records: number; sha256: string } {
    const written = this.log.close();
    this.rows.close(written.sha256);
    return written;
  }
}
