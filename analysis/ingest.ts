import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import { emptyTruthSelect, eventColumns, readJsonColumns, readTruthColumns } from './event-columns.ts';
import { findBadLine } from './find-bad-line.ts';
import type { AnalysisInput, RunFolder } from './run-folders.ts';
import { AnalysisInputError } from './run-folders.ts';
import { sqlIdentifier, sqlString } from './sql-literal.ts';

/** Where a folder's analysis lives: DIR/analysis/{analysis.duckdb, parquet/, ingested.json}. */
export const ANALYSIS_FOLDER = 'analysis';
export const DATABASE_FILE = 'analysis.duckdb';
const INGESTED_FILE = 'ingested.json';

export interface IngestOptions {
  /** DuckDB's memory limit (e.g. `2GB`): beyond it, work spills to disk instead of growing. */
  memoryLimit?: string | undefined;
  /** Events per batch: one COPY per batch bounds memory and lets progress be reported. */
  batchEvents?: number | undefined;
  onProgress?: ((fraction: number, events: number) => void) | undefined;
}

export interface IngestResult {
  runs: number;
  events: number;
  seconds: number;
  /** False when the existing analysis already covered exactly these runs. */
  ingested: boolean;
}

/** What ingested.json records: the runs (by fingerprint) an analysis folder was built from. */
interface IngestedRecord {
  missionbench_version: string;
  kind: AnalysisInput['kind'];
  axes: string[];
  runs: Array<[run_id: string, fingerprint: string]>;
  events: number;
  truth: boolean;
}

function ingestedRecord(input: AnalysisInput): IngestedRecord {
  return {
    missionbench_version: MISSIONBENCH_VERSION,
    kind: input.kind,
    axes: input.axes,
    runs: input.runs.map((run) => [run.run_id, run.fingerprint]),
    events: input.runs.reduce((sum, run) => sum + run.events, 0),
    truth: input.runs.some((run) => run.truth_path !== null),
  };
}

/** True if DIR/analysis was built from exactly these runs (same folders, same fingerprints). */
export function analysisIsCurrent(input: AnalysisInput): boolean {
  const path = join(input.dir, ANALYSIS_FOLDER, INGESTED_FILE);
  if (!existsSync(path) || !existsSync(join(input.dir, ANALYSIS_FOLDER, DATABASE_FILE))) return false;
  try {
    return readFileSync(path, 'utf8') === `${JSON.stringify(ingestedRecord(input))}\n`;
  } catch {
    return false;
  }
}

/**
 * The columns that partition the Parquet: a sweep's grid axes (a sweep
 * without a grid: its seeds; anything else: the run). Not the seed as well:
 * a folder per run makes many small files, which DuckDB writes and reads
 * more slowly than one file per design; `run_seed` is a column in every file.
 */
export function partitionColumns(input: AnalysisInput): string[] {
  if (input.kind !== 'sweep') return ['run_index'];
  return input.axes.length > 0 ? [...input.axes] : ['run_seed'];
}

function runRowsSql(input: AnalysisInput, runs: readonly RunFolder[], firstIndex: number, designIndex: Map<string, number>): string {
  return runs
    .map((run, i) => {
      const values = [
        String(firstIndex + i),
        sqlString(run.run_id),
        sqlString(run.design),
        String(designIndex.get(run.design)),
        run.seed === null ? 'NULL' : String(run.seed),
        sqlString(run.scenario),
        sqlString(run.source),
        sqlString(run.version),
        String(run.events),
        sqlString(run.fingerprint),
        run.horizon_s === null ? 'NULL' : String(run.horizon_s),
        sqlString(run.events_path),
        run.truth_path === null ? 'NULL' : sqlString(run.truth_path),
        `${sqlString(JSON.stringify(run.params))}::JSON`,
        ...input.axes.map((axis) => sqlString(run.params[axis] ?? '')),
      ];
      return `(${values.join(', ')})`;
    })
    .join(',\n');
}

async function createRunsTable(connection: DuckDBConnection, input: AnalysisInput): Promise<void> {
  const taken = new Set(eventColumns().map(([name]) => name));
  for (const axis of input.axes) {
    if (taken.has(axis) || ['run_id', 'run_seed', 'run_index'].includes(axis)) {
      throw new AnalysisInputError(`the sweep's grid axis ${axis} has the name of an event field; it cannot be a column`);
    }
  }
  await connection.run(`CREATE TABLE runs (
    run_index INTEGER, run_id VARCHAR, design VARCHAR, design_index INTEGER, seed BIGINT, scenario VARCHAR,
    source VARCHAR, version VARCHAR, events BIGINT, fingerprint VARCHAR, horizon_s DOUBLE,
    events_path VARCHAR, truth_path VARCHAR, params JSON
    ${input.axes.map((axis) => `, ${sqlIdentifier(axis)} VARCHAR`).join('')})`);
  const designIndex = new Map<string, number>();
  for (const run of input.runs) if (!designIndex.has(run.design)) designIndex.set(run.design, designIndex.size);
  const BATCH = 500;
  for (let i = 0; i < input.runs.length; i += BATCH) {
    await connection.run(`INSERT INTO runs VALUES ${runRowsSql(input, input.runs.slice(i, i + BATCH), i, designIndex)}`);
  }
  await connection.run(`CREATE TABLE run_params AS
    SELECT run_id, j.key AS axis, j.value ->> '$' AS value FROM runs, json_each(runs.params) AS j`);
}

/** Splits runs into batches of about `batchEvents` events each (a run is never split). */
function batches(runs: readonly RunFolder[], batchEvents: number): RunFolder[][] {
  const result: RunFolder[][] = [];
  let current: RunFolder[] = [];
  let events = 0;
  for (const run of runs) {
    current.push(run);
    events += run.events;
    if (events >= batchEvents) {
      result.push(current);
      current = [];
      events = 0;
    }
  }
  if (current.length > 0) result.push(current);
  return result;
}

async function copyEvents(connection: DuckDBConnection, input: AnalysisInput, target: string, options: IngestOptions): Promise<void> {
  const partitions = partitionColumns(input);
  const partitionSelect = [...input.axes.map((axis) => `r.${sqlIdentifier(axis)}`), 'r.seed AS run_seed', 'r.run_index'];
  const total = input.runs.reduce((sum, run) => sum + run.events, 0);
  let done = 0;
  for (const batch of batches(input.runs, options.batchEvents ?? 5_000_000)) {
    const files = `[${batch.map((run) => sqlString(run.events_path)).join(', ')}]`;
    const sql = `COPY (
        SELECT r.run_id, ${partitionSelect.join(', ')}, e.* EXCLUDE (filename)
        FROM read_json(${files}, format = 'newline_delimited', columns = ${readJsonColumns()}, filename = true, hive_partitioning = false) e
        JOIN runs r ON r.events_path = e.filename
      ) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (${partitions.map(sqlIdentifier).join(', ')}),
        WRITE_PARTITION_COLUMNS true, APPEND true)`;
    try {
      await connection.run(sql);
    } catch (error) {
      throw await explainReadError(error as Error, batch.map((run) => run.events_path));
    }
    done += batch.reduce((sum, run) => sum + run.events, 0);
    options.onProgress?.(total === 0 ? 1 : done / total, done);
  }
}

async function copyTruth(connection: DuckDBConnection, input: AnalysisInput, target: string): Promise<boolean> {
  const runs = input.runs.filter((run) => run.truth_path !== null);
  if (runs.length === 0) return false;
  const files = `[${runs.map((run) => sqlString(run.truth_path as string)).join(', ')}]`;
  try {
    await connection.run(`COPY (
        SELECT r.run_id, t.* EXCLUDE (filename)
        FROM read_json(${files}, format = 'newline_delimited', columns = ${readTruthColumns()}, filename = true, hive_partitioning = false) t
        JOIN runs r ON r.truth_path = t.filename
      ) TO ${sqlString(join(target, 'truth.parquet'))} (FORMAT parquet, COMPRESSION zstd)`);
  } catch (error) {
    throw await explainReadError(error as Error, runs.map((run) => run.truth_path as string));
  }
  return true;
}

/**
 * Turns DuckDB's complaint about a JSON line into the file and line a user
 * can open. DuckDB's own line number can be off by one for a truncated last
 * line, so the file it names is scanned for the first line that is not a
 * well-formed event.
 */
async function explainReadError(error: Error, files: readonly string[]): Promise<Error> {
  const named = /in file "([^"]+)"/.exec(error.message)?.[1];
  const candidates = named ? [named] : files;
  for (const file of candidates) {
    const bad = await findBadLine(file);
    if (bad) return new AnalysisInputError(`${file}:${bad.line}: expected ${bad.expected}, found ${bad.found}`);
  }
  return new AnalysisInputError(`cannot read the logs: ${error.message.split('\n')[0]}`);
}

/** Views in the database file itself, so `duckdb DIR/analysis/analysis.duckdb` can query it directly. */
async function createStoredViews(databasePath: string, parquetDir: string, hasTruth: boolean, views: ReadonlyArray<{ sql: string }>): Promise<void> {
  const instance = await DuckDBInstance.create(databasePath);
  const connection = await instance.connect();
  try {
    await connection.run(`CREATE OR REPLACE VIEW events AS SELECT * FROM read_parquet(${sqlString(join(parquetDir, 'events', '**', '*.parquet'))}, hive_partitioning = false)`);
    await connection.run(hasTruth
      ? `CREATE OR REPLACE VIEW truth AS SELECT * FROM read_parquet(${sqlString(join(parquetDir, 'truth', '*.parquet'))})`
      : `CREATE OR REPLACE VIEW truth AS ${emptyTruthSelect()}`);
    for (const view of views) await connection.run(view.sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * Ingests the runs into DIR/analysis: the events (and truth records) into
 * Parquet partitioned by the sweep's parameters and seed, and the manifests
 * into DIR/analysis/analysis.duckdb (the `runs` and `run_params` tables,
 * plus views over the Parquet and every metric view). Everything is built
 * in a hidden folder and moved into place at the end, so a bad line or a
 * crash leaves the previous analysis (or nothing) behind, never half of one.
 */
export async function ingestAnalysis(
  input: AnalysisInput,
  views: ReadonlyArray<{ sql: string }>,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const started = performance.now();
  const finalDir = resolve(input.dir, ANALYSIS_FOLDER);
  const staging = resolve(input.dir, `.${ANALYSIS_FOLDER}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'parquet', 'truth'), { recursive: true });
  let hasTruth = false;
  try {
    const instance = await DuckDBInstance.create(join(staging, DATABASE_FILE), {
      memory_limit: options.memoryLimit ?? '2GB',
      temp_directory: join(staging, 'spill'),
      // Row order inside the Parquet carries no meaning (every event keeps its
      // run_id and seq); not preserving it lets DuckDB stream with less memory.
      preserve_insertion_order: 'false',
    });
    const connection = await instance.connect();
    try {
      await createRunsTable(connection, input);
      await copyEvents(connection, input, join(staging, 'parquet', 'events'), options);
      hasTruth = await copyTruth(connection, input, join(staging, 'parquet', 'truth'));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    rmSync(join(staging, 'spill'), { recursive: true, force: true });
    writeFileSync(join(staging, INGESTED_FILE), `${JSON.stringify(ingestedRecord(input))}\n`);
    if (existsSync(finalDir)) {
      const retired = `${staging}.old`;
      renameSync(finalDir, retired);
      renameSync(staging, finalDir);
      rmSync(retired, { recursive: true, force: true });
    } else {
      renameSync(staging, finalDir);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  await createStoredViews(join(finalDir, DATABASE_FILE), join(finalDir, 'parquet'), hasTruth, views);
  return {
    runs: input.runs.length,
    events: input.runs.reduce((sum, run) => sum + run.events, 0),
    seconds: (performance.now() - started) / 1000,
    ingested: true,
  };
}
