import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { eventColumns } from '../sim/audit/analysed-columns.ts';
import { SIDECAR_METADATA } from '../sim/parquet/typed-rows.ts';
import { TRUTH_COLUMNS } from '../sim/truth/truth-columns.ts';
import { sha256Files } from './hash-files.ts';
import type { AnalysisInput, RunFolder } from './run-folders.ts';
import { sqlString } from './sql-literal.ts';

/** Which of a run's two tables a sidecar holds. */
type Table = 'events' | 'truth';

/** The runs whose events.parquet, and whose truth.parquet, the analysis takes as they are. */
export interface UsableSidecars {
  events: Set<RunFolder>;
  truth: Set<RunFolder>;
}

interface Candidate {
  run: RunFolder;
  table: Table;
  parquet: string;
  source: string;
  sha256: string;
}

function candidates(input: AnalysisInput): Candidate[] {
  const found: Candidate[] = [];
  for (const run of input.runs) {
    if (run.events_parquet !== null) found.push({ run, table: 'events', parquet: run.events_parquet, source: run.events_path, sha256: run.fingerprint });
    if (run.truth_parquet !== null && run.truth_path !== null && run.truth_sha256 !== null) {
      found.push({ run, table: 'truth', parquet: run.truth_parquet, source: run.truth_path, sha256: run.truth_sha256 });
    }
  }
  return found;
}

/**
 * What a sidecar must say of itself to be taken into the analysis as it
 * is: the analysis's columns for its table, this run's id (and, for
 * events, its grid values) as constants, and the SHA-256 of the JSON Lines
 * file the run's manifest names.
 */
function expectedMetadata(input: AnalysisInput, candidate: Candidate): Record<string, string> {
  const { run, table } = candidate;
  const constants: Array<[string, string]> = [['run_id', run.run_id]];
  if (table === 'events') for (const axis of input.axes) constants.push([axis, run.params[axis] ?? '']);
  const columns = table === 'events' ? eventColumns() : TRUTH_COLUMNS;
  return {
    [SIDECAR_METADATA.columns]: JSON.stringify([...constants.map(([name]) => [name, 'VARCHAR']), ...columns]),
    [SIDECAR_METADATA.constants]: JSON.stringify(Object.fromEntries(constants)),
    [SIDECAR_METADATA.sha256]: candidate.sha256,
  };
}

/** Each Parquet file's key-value metadata; a file that cannot be read as Parquet is left out. */
async function readMetadata(connection: DuckDBConnection, files: readonly string[]): Promise<Map<string, Map<string, string>>> {
  const found = new Map<string, Map<string, string>>();
  const read = async (some: readonly string[]) => {
    const reader = await connection.runAndReadAll(
      `SELECT file_name, decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata([${some.map(sqlString).join(', ')}])`,
    );
    for (const [file, key, value] of reader.getRowsJson() as Array<[string, string, string]>) {
      const entries = found.get(file) ?? new Map<string, string>();
      entries.set(key, value);
      found.set(file, entries);
    }
  };
  try {
    await read(files);
  } catch {
    // A damaged sidecar (say, a copy cut short) is no reason to refuse, nor to
    // parse every log: each file is read on its own, and only the bad ones are left out.
    found.clear();
    for (const file of files) await read([file]).catch(() => undefined);
  }
  return found;
}

/**
 * Starts hashing, on worker threads, every log that has a sidecar: the
 * check that takes longest, begun before the rest of the ingest so that it
 * runs while DuckDB starts and the runs table is built.
 */
export function hashLogsWithSidecars(input: AnalysisInput): Promise<Map<string, string | null>> {
  const sources = candidates(input).map((candidate) => candidate.source);
  return sha256Files(sources).then((digests) => new Map(sources.map((source, i) => [source, digests[i] ?? null])));
}

/**
 * The runs whose events.parquet or truth.parquet can stand in for parsing
 * their JSON Lines: the file's metadata matches what this analysis would
 * write for the run, and the JSON Lines file on disk still has the
 * manifest's SHA-256 (`digests`, from hashLogsWithSidecars), so an edited
 * or truncated log is never analysed from a stale sidecar: it goes through
 * the JSON path, which names its bad line. Everything else is parsed.
 */
export async function usableSidecars(connection: DuckDBConnection, input: AnalysisInput, digests: Promise<Map<string, string | null>>): Promise<UsableSidecars> {
  const usable: UsableSidecars = { events: new Set(), truth: new Set() };
  const all = candidates(input);
  if (all.length === 0) return usable;
  const metadata = await readMetadata(connection, all.map((candidate) => candidate.parquet));
  const hashes = await digests;
  for (const candidate of all) {
    const found = metadata.get(candidate.parquet);
    if (found === undefined || hashes.get(candidate.source) !== candidate.sha256) continue;
    if (Object.entries(expectedMetadata(input, candidate)).every(([key, value]) => found.get(key) === value)) usable[candidate.table].add(candidate.run);
  }
  return usable;
}

/**
 * Puts a sidecar into the analysis: a hard link (no copy, and the analysis
 * keeps it if the run folder is later removed), or a copy where the file
 * system cannot link.
 */
export function takeSidecar(file: string, target: string): void {
  mkdirSync(dirname(target), { recursive: true });
  try {
    linkSync(file, target);
  } catch {
    copyFileSync(file, target);
  }
}
