import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { eventColumns } from '../sim/events.ts';
import { findingWithoutHashing, LOG_FILES_RECORD, readLogFilesRecord, unchangedSinceRecorded, type LogFileStat } from '../sim/log-files.ts';
import { SIDECAR_METADATA } from '../sim/log/parquet/typed-rows.ts';
import { TRUTH_COLUMNS } from '../sim/truth/truth-columns.ts';
import { sha256Files } from './hash-files.ts';
import type { CheckedDigests, ParquetAsWritten } from './log-findings.ts';
import { parquetIdentity, sameParquetIdentity, type ParquetIdentity } from './parquet-identity.ts';
import type { AnalysisInput, RunFolder } from './run-folders.ts';
import { sqlString } from './sql-literal.ts';

/** Which of a run's two tables a sidecar holds. */
type Table = 'events' | 'truth';

/**
 * A run's sidecar: which table it holds, the log it stands in for and what
 * the manifest records of that log: for events, its fingerprint (the
 * chain's last hash); for truth, its SHA-256.
 */
export interface Sidecar {
  run: RunFolder;
  table: Table;
  parquet: string;
  source: string;
  sha256: string;
}

function sidecars(input: AnalysisInput): Sidecar[] {
  const found: Sidecar[] = [];
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
 * events, its grid values) as constants, and the fingerprint (events) or
 * SHA-256 (truth) of the JSON Lines file the run's manifest names.
 */
function expectedMetadata(input: AnalysisInput, sidecar: Sidecar): Record<string, string> {
  const { run, table } = sidecar;
  const constants: Array<[string, string]> = [['run_id', run.run_id]];
  if (table === 'events') for (const axis of input.axes) constants.push([axis, run.params[axis] ?? '']);
  const columns = table === 'events' ? eventColumns() : TRUTH_COLUMNS;
  return {
    [SIDECAR_METADATA.columns]: JSON.stringify([...constants.map(([name]) => [name, 'VARCHAR']), ...columns]),
    [SIDECAR_METADATA.constants]: JSON.stringify(Object.fromEntries(constants)),
    [SIDECAR_METADATA.sha256]: sidecar.sha256,
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
 * What each log with a sidecar is found to be (null if unreadable): its
 * fingerprint for events.jsonl, its SHA-256 for truth.jsonl; `checked`
 * holds what the log check found (check-logs.ts: a verified log's last
 * hash; the manifest's values for a run without logs whose Parquet files
 * are as written), and how many logs had to be read and hashed.
 */
export interface LogDigests {
  digests: Map<string, string | null>;
  checked: CheckedDigests;
  hashed: number;
}

/**
 * The fingerprint or SHA-256 of every log that has a sidecar. A log the
 * simulator's log-files.json shows untouched since it was closed (same
 * device, inode, size and times) still has the manifest's values, which
 * the writer computed as it wrote. Any other events.jsonl is verified in
 * full by the log check anyway, which finds its last hash (`checked`,
 * filled by checkLogs); any other truth.jsonl (copied, edited, or from a run
 * without the record) is read and hashed, on worker threads, begun before
 * the rest of the ingest so that it runs while the logs are verified and
 * DuckDB starts. A run without logs is left to the check too.
 *
 * Each sidecar of a run with logs is checked against the same record
 * (`asWritten`): known as written while its stat matches; otherwise (a
 * copy, or a file the ingest already hard-linked, which moves its change
 * time) hashed on the same threads and compared with the SHA-256 recorded.
 */
export function hashLogsWithSidecars(input: AnalysisInput, checked: CheckedDigests, asWritten: ParquetAsWritten): Promise<LogDigests> {
  const digests = new Map<string, string | null>();
  const records = new Map<string, Map<string, LogFileStat>>();
  const toHash: string[] = [];
  const parquetToHash: Array<{ parquet: string; sha256: string }> = [];
  for (const { run, table, parquet, source, sha256 } of sidecars(input)) {
    if (!run.logs_written) continue;
    const folder = dirname(source);
    const record = records.get(folder) ?? readLogFilesRecord(join(folder, LOG_FILES_RECORD));
    records.set(folder, record);
    if (unchangedSinceRecorded(record.get(basename(source)), source)) digests.set(source, sha256);
    else if (table === 'truth') toHash.push(source);
    const written = record.get(basename(parquet));
    // As the log check decides it for runs without logs (checkAgainstRecord), with the hashing done on the threads below.
    const found = findingWithoutHashing(written, parquet);
    if (found === 'hash') parquetToHash.push({ parquet, sha256: written?.sha256 as string });
    else asWritten.set(parquet, found);
  }
  return sha256Files([...toHash, ...parquetToHash.map(({ parquet }) => parquet)]).then((hashed) => {
    toHash.forEach((source, i) => digests.set(source, hashed[i] ?? null));
    parquetToHash.forEach(({ parquet, sha256 }, i) => {
      const digest = hashed[toHash.length + i] ?? null;
      asWritten.set(parquet, digest === null ? 'missing' : digest === sha256 ? 'as-written' : 'differs');
    });
    return { digests, checked, hashed: toHash.length };
  });
}

/**
 * The sidecars whose metadata matches what this analysis would write for
 * their run: the first half of the check, read from the files' footers
 * while the logs are still being hashed. A sidecar stands in for its log
 * only once `logUnchanged` says so too.
 */
export async function sidecarsDescribingRuns(connection: DuckDBConnection, input: AnalysisInput): Promise<Sidecar[]> {
  const all = sidecars(input);
  if (all.length === 0) return [];
  const metadata = await readMetadata(
    connection,
    all.map((sidecar) => sidecar.parquet),
  );
  return all.filter((sidecar) => {
    const found = metadata.get(sidecar.parquet);
    return found !== undefined && Object.entries(expectedMetadata(input, sidecar)).every(([key, value]) => found.get(key) === value);
  });
}

/** True if the sidecar is the file its run wrote (`asWritten`, filled by hashLogsWithSidecars and the log check). */
export function sidecarAsWritten(sidecar: Sidecar, asWritten: ParquetAsWritten): boolean {
  return asWritten.get(sidecar.parquet) === 'as-written';
}

/**
 * The second half: the JSON Lines file on disk still has the manifest's
 * fingerprint or SHA-256 (`digests`, from hashLogsWithSidecars, or what the
 * log check found), so an edited or truncated log is never analysed from a
 * stale sidecar: it goes through the JSON path, which names its bad line.
 */
export function logUnchanged(sidecar: Sidecar, logs: LogDigests): boolean {
  return (logs.digests.get(sidecar.source) ?? logs.checked.get(sidecar.source)) === sidecar.sha256;
}

/**
 * Puts a sidecar into the analysis: a hard link (no copy, and the analysis
 * keeps it if the run folder is later removed), or a copy where the file
 * system cannot link. Returns whether what it took is the file `seen`
 * describes (parquetIdentity taken before the file was checked): the check
 * and the link are two steps, so a file replaced (a rename: another inode)
 * or rewritten in place (another modification time) between them would
 * otherwise be read unchecked. The link's own identity is compared (it is
 * the file the analysis reads); for a copy, the source's after copying.
 * A file gone by then (moved away, or replaced and its name not yet back)
 * is not the file checked either: false, nothing at `target`, rather than
 * an error that would fail the whole ingest for a table its logs can give.
 */
export function takeSidecar(file: string, target: string, seen: ParquetIdentity | null): boolean {
  mkdirSync(dirname(target), { recursive: true });
  try {
    linkSync(file, target);
    return sameParquetIdentity(parquetIdentity(target), seen);
  } catch {
    try {
      copyFileSync(file, target);
    } catch {
      return false;
    }
    const copied = parquetIdentity(target);
    return sameParquetIdentity(parquetIdentity(file), seen) && copied !== null && copied.size === seen?.size;
  }
}
