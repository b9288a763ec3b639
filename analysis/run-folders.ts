import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { EVENT_COLUMNS_FILE } from '../sim/log/event-columns-sink.ts';
import type { LogFileStat } from '../sim/log-files.ts';
import { TRUTH_COLUMNS_FILE } from '../sim/truth/truth-columns-sink.ts';
import { planSweep } from '../sim/sweep/plan.ts';
import { readSweepFile } from '../sim/sweep/sweep-file.ts';

/** One run to analyse: where its files are and what identifies it. */
export interface RunFolder {
  /** Folder relative to the analysed folder (`.` for a single run). */
  run_id: string;
  /** Runs of one design differ only in seed; replications group by it. */
  design: string;
  /** Grid values by axis key (empty outside a sweep). */
  params: Record<string, string>;
  seed: number | null;
  scenario: string;
  /** `simulated`, or `ingested` for a log brought in with `missionbench ingest`. */
  source: 'simulated' | 'ingested';
  version: string;
  events: number;
  fingerprint: string;
  /** Simulated duration; for an ingested log, null (load metrics use the log's own span). */
  horizon_s: number | null;
  events_path: string;
  /**
   * False for a sweep run without --logs: events.jsonl and truth.jsonl were
   * not written (events_path and truth_path name where they would be), and
   * the run is analysed from its Parquet files, or its logs are regenerated
   * (check-logs.ts). Set true once they are.
   */
  logs_written: boolean;
  /**
   * Set when this process regenerated the run's logs (check-logs.ts): their
   * stat as they were moved into the run folder, before they were verified
   * or parsed. The analysis records this rather than the Parquet files'
   * identity it began with, so the next call finds them unchanged.
   */
  regenerated_logs?: [events: LogFileStat | null, truth: LogFileStat | null];
  truth_path: string | null;
  /** SHA-256 of truth.jsonl as the manifest records it. */
  truth_sha256: string | null;
  /** events.parquet and truth.parquet, the logs' columns as the simulator wrote them (sweeps do), if present. */
  events_parquet: string | null;
  truth_parquet: string | null;
}

/** What `analyze` was pointed at. */
export interface AnalysisInput {
  dir: string;
  kind: 'run' | 'sweep' | 'collection';
  /** Grid axis keys, in grid order (sweeps only). */
  axes: string[];
  runs: RunFolder[];
  /** Runs a sweep plans that have no complete folder yet (shards still running, or interrupted). */
  missing: string[];
}

/** How many events the runs logged, all told. */
export function eventCount(runs: Iterable<RunFolder>): number {
  let events = 0;
  for (const run of runs) events += run.events;
  return events;
}

/** How many of the runs have a truth log. */
export function truthRunCount(runs: readonly RunFolder[]): number {
  return runs.filter((run) => run.truth_path !== null).length;
}

export class AnalysisInputError extends Error {
  override name = 'AnalysisInputError';
}

interface Manifest {
  missionbench_version?: string;
  scenario?: { name?: string };
  seed?: number;
  horizon_us?: number;
  events?: number;
  fingerprint?: string;
  ingested?: { path: string };
  truth?: { sha256?: string };
}

function readManifest(folder: string): Manifest {
  const path = join(folder, 'manifest.json');
  if (!existsSync(path)) throw new AnalysisInputError(`${folder} has no manifest.json: it is not a finished run folder`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch (cause) {
    throw new AnalysisInputError(`${path}: not valid JSON (${(cause as Error).message})`);
  }
  if (typeof manifest.missionbench_version !== 'string' || typeof manifest.fingerprint !== 'string') {
    throw new AnalysisInputError(`${path}: expected a missionbench manifest (missionbench_version, fingerprint), found neither`);
  }
  if (!existsSync(join(folder, 'events.jsonl')) && (manifest.ingested !== undefined || !existsSync(join(folder, EVENT_COLUMNS_FILE)))) {
    throw new AnalysisInputError(`${folder} has a manifest but no events.jsonl (nor the events.parquet of a sweep run without --logs)`);
  }
  return manifest;
}

function runFolder(base: string, folder: string, design: string, params: Record<string, string>): RunFolder {
  const manifest = readManifest(folder);
  const ingested = manifest.ingested !== undefined;
  const truth = join(folder, 'truth.jsonl');
  const logsWritten = existsSync(join(folder, 'events.jsonl'));
  // A run swept without --logs has a truth.jsonl to regenerate if its manifest records one.
  const hasTruth = logsWritten ? existsSync(truth) : typeof manifest.truth?.sha256 === 'string' && manifest.truth.sha256 !== '';
  return {
    run_id: relative(base, folder) || '.',
    design,
    params,
    seed: ingested ? null : (manifest.seed ?? null),
    scenario: ingested ? `ingested:${manifest.ingested?.path ?? ''}` : (manifest.scenario?.name ?? '(unknown)'),
    source: ingested ? 'ingested' : 'simulated',
    version: manifest.missionbench_version as string,
    events: manifest.events ?? 0,
    fingerprint: manifest.fingerprint as string,
    horizon_s: ingested || manifest.horizon_us === undefined ? null : manifest.horizon_us / 1e6,
    events_path: resolve(folder, 'events.jsonl'),
    logs_written: logsWritten,
    truth_path: hasTruth ? resolve(truth) : null,
    truth_sha256: manifest.truth?.sha256 ?? null,
    events_parquet: existsSync(join(folder, EVENT_COLUMNS_FILE)) ? resolve(folder, EVENT_COLUMNS_FILE) : null,
    truth_parquet: existsSync(join(folder, TRUTH_COLUMNS_FILE)) ? resolve(folder, TRUTH_COLUMNS_FILE) : null,
  };
}

/** Finished run folders below `dir` (a folder of runs such as `runs/demo`), at most `depth` levels down. */
function findRunFolders(dir: string, depth: number): string[] {
  if (existsSync(join(dir, 'manifest.json'))) return [dir];
  if (depth === 0) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'analysis')
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => findRunFolders(join(dir, name), depth - 1));
}

/**
 * What to analyse in `dir`: a sweep (sweep.json: its planned runs, in the
 * sweep's order), one run (manifest.json), or a folder of runs. Refuses a
 * folder that is none of these, a run without its log, and runs made by
 * different missionbench versions (their numbers are not comparable).
 */
export function discoverRuns(dir: string): AnalysisInput {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new AnalysisInputError(`${dir}: no such folder`);
  const sweep = readSweepFile(dir);
  let input: AnalysisInput;
  if (sweep) {
    const runs: RunFolder[] = [];
    const missing: string[] = [];
    for (const planned of planSweep(sweep.grid, sweep.seeds, sweep.overrides)) {
      const folder = join(dir, planned.id);
      if (existsSync(join(folder, 'manifest.json'))) runs.push(runFolder(dir, folder, planned.design, planned.params));
      else missing.push(planned.id);
    }
    input = { dir, kind: 'sweep', axes: sweep.grid.map((axis) => axis.key), runs, missing };
  } else if (existsSync(join(dir, 'manifest.json'))) {
    input = { dir, kind: 'run', axes: [], runs: [runFolder(dir, dir, '(single run)', {})], missing: [] };
  } else {
    const folders = findRunFolders(dir, 3);
    if (folders.length === 0) {
      throw new AnalysisInputError(`${dir} is not a run folder (no manifest.json), a sweep folder (no sweep.json) or a folder of runs`);
    }
    // In a folder of runs each run is its own design, named by its folder.
    input = { dir, kind: 'collection', axes: [], runs: folders.map((folder) => runFolder(dir, folder, relative(dir, folder), {})), missing: [] };
  }
  if (input.runs.length === 0) throw new AnalysisInputError(`${dir}: the sweep has no finished run yet`);
  const versions = [...new Set(input.runs.map((run) => run.version))].sort();
  if (versions.length > 1) {
    const example = (version: string) => input.runs.find((run) => run.version === version)?.run_id;
    throw new AnalysisInputError(
      `${dir} mixes runs made by missionbench ${versions.join(' and ')} (e.g. ${versions.map(example).join(' and ')}); their metrics are not comparable: re-run them with one version`,
    );
  }
  return input;
}
