import { basename } from 'node:path';
import { logFileStat } from '../sim/log-files.ts';
import type { AnalysisInput, RunFolder } from './run-folders.ts';

/**
 * A run's Parquet file by device, inode, size and modification time: not
 * its change time nor its link count, which the ingest itself changes
 * (takeSidecar hard-links the file into the analysis, and retiring the
 * previous analysis unlinks the old link; so does any other analysis of the
 * same run), so an identity with them never matched again.
 *
 * Why this is enough. The manifest's fingerprint (recorded in `runs`)
 * commits to the run's log, and the Parquet files are written from that
 * same run; what is left to catch is a Parquet file that is no longer the
 * one the analysis took. A re-swept run is a new folder with new files (the
 * sweep writes a staging folder and renames it): a new inode, and while the
 * analysis holds its hard link the old inode cannot be reused for it. A
 * file replaced by a rename (cp --remove-destination, rsync, mv) is a new
 * inode too. A file rewritten in place (cp onto it, an append, a truncate)
 * gets a new modification time, and usually a new size. Only a deliberate
 * in-place write that sets the modification time back with the same size
 * goes unseen, which ctime alone would catch; `--reingest` checks again.
 * Hashing every file instead would read all of them at every call, the
 * cost this check is there to save.
 */
export interface ParquetIdentity {
  dev: string;
  ino: string;
  size: string;
  mtime_ns: string;
}

export function parquetIdentity(path: string): ParquetIdentity | null {
  const stat = logFileStat(path);
  return stat === null ? null : { dev: stat.dev, ino: stat.ino, size: stat.size, mtime_ns: stat.mtime_ns };
}

/** True if both name one file as it was (same device, inode, size and modification time); never for a file that could not be read. */
export function sameParquetIdentity(a: ParquetIdentity | null, b: ParquetIdentity | null | undefined): boolean {
  return a !== null && b != null && a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtime_ns === b.mtime_ns;
}

/**
 * The Parquet files of the runs an analysis records by their logs (a sweep
 * run with --logs, or one whose logs the ingest regenerated), taken in or
 * not, by run id and file name, each with its parquetIdentity. The ingest
 * hard-links a file it takes, so the analysis's copy is the run's file:
 * changed in place, it would change the answers of an analysis that only
 * checked the logs. A file it refused is recorded too, so that one put back
 * (or newly written) makes the analysis stale and is checked again.
 */
export type LoggedRunsParquet = Array<[run_id: string, file: string, identity: ParquetIdentity | null]>;

/** The parquetIdentity of every Parquet file of every run, by path: taken before the ingest checks them. */
export function parquetIdentities(input: AnalysisInput): Map<string, ParquetIdentity | null> {
  const identities = new Map<string, ParquetIdentity | null>();
  for (const run of input.runs) {
    for (const file of [run.events_parquet, run.truth_parquet]) if (file !== null) identities.set(file, parquetIdentity(file));
  }
  return identities;
}

/**
 * What ingested.json records of the Parquet files of runs with logs, each
 * with its identity as `identityOf` gives it (the ingest: as it was before
 * the check; the up-to-date check: now). A run still without logs is
 * recorded by its Parquet files' identity already (logStats).
 */
export function loggedRunsParquet(runs: readonly RunFolder[], identityOf: (path: string) => ParquetIdentity | null): LoggedRunsParquet {
  return runs.flatMap((run) =>
    run.logs_written
      ? [run.events_parquet, run.truth_parquet]
          .filter((file): file is string => file !== null)
          .map((file): LoggedRunsParquet[number] => [run.run_id, basename(file), identityOf(file)])
      : [],
  );
}
