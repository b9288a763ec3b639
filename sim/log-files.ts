import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync, type BigIntStats } from 'node:fs';

/**
 * log-files.json: each log of a run as the simulator closed it, named by
 * the file system: device, inode, size, modification and change times.
 *
 * A log whose file still has exactly these has not been written since, so
 * `analyze` can take the manifest's SHA-256 for it instead of reading and
 * hashing it again, which was most of the time an ingest of a sweep took
 * (analysis/column-files.ts). Any write to the file sets its change time,
 * which no user call can set back, and a copy of the folder is a new
 * inode: either way the stat no longer matches and the log is hashed.
 *
 * It also records a sweep run's Parquet files (events.parquet,
 * truth.parquet) with their SHA-256: for a run swept without --logs they
 * are what `analyze` takes, and it checks them against this record (stat,
 * or failing that their SHA-256) rather than against a log.
 *
 * The record describes files on one disk, not the run: it is not
 * deterministic and takes no part in a run's identity or fingerprint.
 */
export const LOG_FILES_RECORD = 'log-files.json';

/** The file-system identity of one log (as decimal strings: inodes and nanoseconds exceed 2^53). */
export interface LogFileStat {
  dev: string;
  ino: string;
  size: string;
  mtime_ns: string;
  ctime_ns: string;
  /** SHA-256 of the file as closed (recorded for the Parquet files, which are small). */
  sha256?: string;
}

/**
 * The stat of a file, or null if it cannot be read. Taken from the opened
 * file rather than its path: on a network file system opening it makes
 * the client ask the server again instead of answering from its cache.
 */
export function logFileStat(path: string): LogFileStat | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  let stat: BigIntStats;
  try {
    stat = fstatSync(fd, { bigint: true });
  } finally {
    closeSync(fd);
  }
  return { dev: String(stat.dev), ino: String(stat.ino), size: String(stat.size), mtime_ns: String(stat.mtimeNs), ctime_ns: String(stat.ctimeNs) };
}

/** A file recorded with its SHA-256: its path (read and hashed), or its path and the SHA-256 of the bytes its writer wrote. */
export type HashedFile = string | { path: string; sha256: string };

/** Writes the record for closed logs, by file name (`events.jsonl` -> its path now), and for `hashed` files with their SHA-256 too. */
export function writeLogFilesRecord(recordPath: string, logs: Record<string, string>, hashed: Record<string, HashedFile> = {}): void {
  const record: Record<string, LogFileStat> = {};
  for (const [name, path] of Object.entries(logs)) {
    const stat = logFileStat(path);
    if (stat !== null) record[name] = stat;
  }
  for (const [name, file] of Object.entries(hashed)) {
    const path = typeof file === 'string' ? file : file.path;
    const stat = logFileStat(path);
    if (stat !== null) record[name] = { ...stat, sha256: typeof file === 'string' ? fileSha256(path) : file.sha256 };
  }
  writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`);
}

/** A run folder's record, by log file name; empty if it has none or it cannot be read (the logs are then hashed). */
export function readLogFilesRecord(recordPath: string): Map<string, LogFileStat> {
  try {
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as unknown;
    if (typeof record !== 'object' || record === null) return new Map();
    return new Map(Object.entries(record as Record<string, LogFileStat>));
  } catch {
    return new Map();
  }
}

/** True if the file at `path` is still the one the record describes. */
export function unchangedSinceRecorded(recorded: LogFileStat | undefined, path: string): boolean {
  if (recorded === undefined) return false;
  const now = logFileStat(path);
  return now !== null && (['dev', 'ino', 'size', 'mtime_ns', 'ctime_ns'] as const).every((key) => now[key] === recorded[key]);
}

/** The SHA-256 (hex) of a file read whole: for small files (the Parquet files). */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * What a file is, checked against its record: `as-written` if it has the
 * recorded stat or, failing that (a copy), the recorded SHA-256; `missing`
 * if it cannot be read; `unrecorded` if there is no record to check it
 * against (no log-files.json, or no entry for it): nothing says what the
 * run wrote, so it is not taken either, but nothing says it differs; else
 * `differs`.
 */
export type RecordedFinding = 'as-written' | 'differs' | 'unrecorded' | 'missing';

export function checkAgainstRecord(recorded: LogFileStat | undefined, path: string): RecordedFinding {
  const found = findingWithoutHashing(recorded, path);
  if (found !== 'hash') return found;
  try {
    return fileSha256(path) === recorded?.sha256 ? 'as-written' : 'differs';
  } catch {
    return 'missing';
  }
}

/**
 * checkAgainstRecord's verdict where the file's stat decides it, or 'hash'
 * where only its SHA-256 against `recorded.sha256` can (the caller hashes:
 * here, or on worker threads for many files at once).
 */
export function findingWithoutHashing(recorded: LogFileStat | undefined, path: string): RecordedFinding | 'hash' {
  if (logFileStat(path) === null) return 'missing';
  if (recorded === undefined) return 'unrecorded';
  if (unchangedSinceRecorded(recorded, path)) return 'as-written';
  return recorded.sha256 === undefined ? 'differs' : 'hash';
}
