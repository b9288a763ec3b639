import type { IngestResult } from '../analysis/ingest.ts';
import { refusedParquetClause } from '../analysis/refused-parquet.ts';
import type { AnalysisInput } from '../analysis/run-folders.ts';

/** What a reused analysis says: it compared the runs' manifests, logs and Parquet files (whichever each run has), not only logs. */
export const UP_TO_DATE = 'analysis up to date (no run changed since it was checked)';

/**
 * What the ingest did, in one clause: how long it took, how many runs'
 * events and truth came from their Parquet files (each table counted on
 * its own: one can be refused while the other is taken), and which tables
 * were parsed from logs instead of a refused file, and why
 * (refused-parquet.ts, which words the check's lines the same way).
 */
export function ingestSummary(ingest: IngestResult): string {
  if (!ingest.ingested) return UP_TO_DATE;
  const hashed = ingest.logs_hashed > 0 ? `, ${ingest.logs_hashed} logs hashed to check them` : '';
  const truth = ingest.truth_runs > 0 ? ` and ${ingest.truth_from_parquet} of ${ingest.truth_runs} runs' truth` : '';
  const fromParquet =
    ingest.from_parquet > 0 || ingest.truth_from_parquet > 0
      ? `; ${ingest.from_parquet} of ${ingest.runs} runs' events${truth} from their Parquet files${hashed}`
      : '';
  const rate = Math.round(ingest.events / Math.max(ingest.seconds, 1e-9)).toLocaleString('en-US');
  return `ingested in ${ingest.seconds.toFixed(1)}s (${rate} events/s${fromParquet}${refusedParquetClause(ingest.check.parquet_not_as_written ?? [])})`;
}

/**
 * Writes what was ingested and checked before an answer, the same way for
 * every command that prints one (analyze, size). `text`: the summary and
 * the check's lines on stdout, before or after the answer; `json`: the
 * summary on stderr (it holds timings: stdout keeps only what the runs
 * decide, and the JSON carries the check itself); `csv`: the check's lines
 * on stderr, so stdout is the table alone.
 */
export function writeAnalysisCheck(
  dir: string,
  prepared: { ingest: IngestResult; input: AnalysisInput; checkLines: readonly string[] },
  format: 'text' | 'json' | 'csv',
): void {
  const { ingest, input, checkLines } = prepared;
  if (format === 'json') {
    process.stderr.write(`missionbench: ${dir}: ${ingestSummary(ingest)}\n`);
    return;
  }
  if (format === 'csv') {
    for (const line of checkLines) process.stderr.write(`${line}\n`);
    return;
  }
  process.stdout.write(`${dir}: ${input.kind}, ${input.runs.length} runs, ${ingest.events} events; ${ingestSummary(ingest)}\n`);
  for (const line of checkLines) process.stdout.write(`${line}\n`);
}
