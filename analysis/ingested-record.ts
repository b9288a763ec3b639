import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EVENT_COLUMNS_FILE } from '../sim/log/event-columns-sink.ts';
import { logFileStat, type LogFileStat } from '../sim/log-files.ts';
import { TRUTH_COLUMNS_FILE } from '../sim/truth/truth-columns-sink.ts';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import type { LogCheck } from './check-logs.ts';
import { type LoggedRunsParquet, loggedRunsParquet, parquetIdentity, type ParquetIdentity } from './parquet-identity.ts';
import { type AnalysisInput, eventCount } from './run-folders.ts';

/**
 * An analysis folder's record of what it was built from (ingested.json),
 * and the check, at every later call, that it still stands for these runs:
 * the same manifests, logs and Parquet files. The ingest (ingest.ts) writes
 * the record; `analyze`, `size`, `serve` and the atlas reuse the analysis
 * while currentAnalysisCheck finds it current.
 */

/** Where a folder's analysis lives: DIR/analysis/{analysis.duckdb, parquet/, ingested.json}. */
export const ANALYSIS_FOLDER = 'analysis';
export const DATABASE_FILE = 'analysis.duckdb';
export const INGESTED_FILE = 'ingested.json';
/**
 * What ingested.json records: the runs (by fingerprint) an analysis folder
 * was built from, the file stat of every log it read when it was checked,
 * and what that check found.
 */
export interface IngestedRecord {
  missionbench_version: string;
  kind: AnalysisInput['kind'];
  axes: string[];
  /** What the analysis took from each run's manifest (its `runs` row): an edited or replaced manifest makes it stale. */
  runs: Array<ManifestFields>;
  /**
   * Each run's events.jsonl and truth.jsonl as they were checked, or for a
   * run swept without --logs its events.parquet and truth.parquet
   * (parquetIdentity): any change to either makes the analysis stale.
   */
  logs: Array<[run_id: string, events: LogFileStat | ParquetIdentity | null, truth: LogFileStat | ParquetIdentity | null]>;
  /**
   * For a run recorded by its logs, its Parquet files (taken in or not) by
   * parquetIdentity (parquet-identity.ts): the hard link makes the
   * analysis's copy of a file it took the run's file, so one changed in
   * place makes the analysis stale, and the next ingest checks it against
   * log-files.json again; a refused one put back does too.
   */
  parquet: LoggedRunsParquet;
  events: number;
  truth: boolean;
}

type ManifestFields = [
  run_id: string,
  fingerprint: string,
  events: number,
  seed: number | null,
  horizon_s: number | null,
  scenario: string,
  source: string,
  version: string,
  truth_sha256: string | null,
];

/** The stat of every log of the input, now; for a run without logs, the identity of its Parquet files. */
export function logStats(input: AnalysisInput): IngestedRecord['logs'] {
  // A run swept without --logs stands for its Parquet files, which the analysis was built from.
  // A run with logs keeps the full stat, change time included: nothing the ingest does touches its logs
  // (its Parquet files are recorded apart, in `parquet`, as they were before the ingest checked them).
  return input.runs.map((run) => {
    if (run.logs_written) return [run.run_id, logFileStat(run.events_path), run.truth_path === null ? null : logFileStat(run.truth_path)];
    const folder = dirname(run.events_path);
    return [run.run_id, parquetIdentity(join(folder, EVENT_COLUMNS_FILE)), run.truth_path === null ? null : parquetIdentity(join(folder, TRUTH_COLUMNS_FILE))];
  });
}

export function ingestedRecord(input: AnalysisInput, logs: IngestedRecord['logs'], parquet: LoggedRunsParquet): IngestedRecord {
  return {
    missionbench_version: MISSIONBENCH_VERSION,
    kind: input.kind,
    axes: input.axes,
    runs: input.runs.map((run) => [run.run_id, run.fingerprint, run.events, run.seed, run.horizon_s, run.scenario, run.source, run.version, run.truth_sha256]),
    logs,
    parquet,
    events: eventCount(input.runs),
    truth: input.runs.some((run) => run.truth_path !== null),
  };
}

/**
 * The check recorded with DIR/analysis if it was built from exactly these
 * runs and no log of theirs has changed since it was checked (the same
 * manifest fields, fingerprint included; the same file stat for every log;
 * for a run without logs, the same Parquet files by parquetIdentity, and
 * for a run with logs, the same Parquet files); else undefined:
 * the analysis is stale and must be built again.
 */
export function currentAnalysisCheck(input: AnalysisInput): LogCheck | undefined {
  const path = join(input.dir, ANALYSIS_FOLDER, INGESTED_FILE);
  if (!existsSync(path) || !existsSync(join(input.dir, ANALYSIS_FOLDER, DATABASE_FILE))) return undefined;
  try {
    const { check, ...record } = JSON.parse(readFileSync(path, 'utf8')) as IngestedRecord & { check?: LogCheck };
    // A record without `parquet` (written before it was kept) does not say which Parquet files it took, and one
    // whose refused files carry no reason (written before reasons were kept) cannot say why: stale, built again.
    if (check === undefined || record.parquet === undefined || record.logs.some(([, events]) => events === null)) return undefined;
    if ((check.parquet_not_as_written ?? []).some((refused) => refused[2] === undefined)) return undefined;
    return JSON.stringify(record) === runsState(input) ? check : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The runs as the up-to-date check sees them now: the record an ingest would
 * write for them (their manifests' fields, their logs' stat, their Parquet
 * files' identity), as one string. Equal strings, unchanged runs: `serve`
 * keeps it for a rebuild that failed, so that it builds again only once
 * something changed (cli/fresh-sessions.ts).
 */
export function runsState(input: AnalysisInput): string {
  return JSON.stringify(ingestedRecord(input, logStats(input), loggedRunsParquet(input.runs, parquetIdentity)));
}

/** True if DIR/analysis was built from exactly these runs, and none of their logs changed since. */
export function analysisIsCurrent(input: AnalysisInput): boolean {
  return currentAnalysisCheck(input) !== undefined;
}
