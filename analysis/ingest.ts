import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { checkLogs, regenerateLogs, type LogCheck } from './check-logs.ts';
import { duckdbThreads } from './duckdb-threads.ts';
import { emptyTruthSelect, eventColumns, readJsonColumns, readTruthColumns } from './event-columns.ts';
import { hashLogsWithSidecars, logUnchanged, type LogDigests, sidecarAsWritten, sidecarsDescribingRuns, takeSidecar, type Sidecar } from './column-files.ts';
import type { CheckedDigests, ParquetAsWritten } from './log-findings.ts';
import { findBadLine } from './find-bad-line.ts';
import { ANALYSIS_FOLDER, DATABASE_FILE, INGESTED_FILE, ingestedRecord, type IngestedRecord, logStats } from './ingested-record.ts';
import { loggedRunsParquet, parquetIdentities, type ParquetIdentity } from './parquet-identity.ts';
import type { RefusalReason, RefusedParquet } from './refused-parquet.ts';
import { type AnalysisInput, eventCount, type RunFolder, truthRunCount } from './run-folders.ts';
import { AnalysisInputError } from './run-folders.ts';
import { sqlIdentifier, sqlString } from './sql-literal.ts';

/** COPY statements run at once (the project machines have two cores). */
const COPY_LANES = 2;

export interface IngestOptions {
  /** DuckDB's memory limit (e.g. `2GB`): beyond it, work spills to disk instead of growing. */
  memoryLimit?: string | undefined;
  /** Events per batch: one COPY per batch bounds memory and lets progress be reported. */
  batchEvents?: number | undefined;
  onProgress?: ((fraction: number, events: number) => void) | undefined;
  /** Analyse logs that do not verify too (each is listed in the result's check, with its banner). */
  allowBroken?: boolean | undefined;
  /** Threads verifying logs in full (check-logs.ts; default one per core, at most four); 1 verifies them on the main thread. */
  verifyThreads?: number | undefined;
}

export interface IngestResult {
  runs: number;
  events: number;
  seconds: number;
  /** False when the existing analysis already covered exactly these runs. */
  ingested: boolean;
  /** Runs whose events were taken from their events.parquet rather than parsed from events.jsonl. */
  from_parquet: number;
  /** Runs whose truth was taken from their truth.parquet rather than parsed from truth.jsonl (of `truth_runs`). */
  truth_from_parquet: number;
  /** Runs with a truth table at all. */
  truth_runs: number;
  /**
   * Logs read and hashed to check that their Parquet files still stand for
   * them; the others were known unchanged from their log-files.json.
   */
  logs_hashed: number;
  /** What was checked before the analysis was built (check-logs.ts). */
  check: LogCheck;
}

function runRowsSql(input: AnalysisInput, runs: readonly RunFolder[], firstIndex: number, designIndex: Map<string, number>): string {
  const analysisDir = resolve(input.dir, ANALYSIS_FOLDER);
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
        // Relative to the analysis folder (../<run>/events.jsonl), so the table holds no machine's absolute path.
        sqlString(relative(analysisDir, run.events_path)),
        run.truth_path === null ? 'NULL' : sqlString(relative(analysisDir, run.truth_path)),
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

/** A run-folder or value text as a Parquet folder name: only characters that would change the path are escaped. */
function folderSafe(value: string): string {
  return value.replace(/[%/\\=\0]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * The Parquet files events are written to, each with the runs it holds: one
 * file per design of a sweep, in hive-style folders named by the grid values
 * (`tokens_auth_ttl=5m/.../data.parquet`); otherwise batches of about
 * `batchEvents` events (`part-<k>.parquet`).
 */
function eventFiles(input: AnalysisInput, runs: readonly RunFolder[], target: string, batchEvents: number): Array<{ file: string; runs: RunFolder[] }> {
  if (input.kind === 'sweep') {
    const byDesign = new Map<string, RunFolder[]>();
    for (const run of runs) byDesign.set(run.design, [...(byDesign.get(run.design) ?? []), run]);
    return [...byDesign.values()].map((designRuns) => ({
      file: join(designFolder(input, designRuns[0] as RunFolder, target), 'data.parquet'),
      runs: designRuns,
    }));
  }
  return batches(runs, batchEvents).map((batch, k) => ({ file: join(target, `part-${k}.parquet`), runs: batch }));
}

/** A sweep design's Parquet folder, named by its grid values (hive style). */
function designFolder(input: AnalysisInput, run: RunFolder, target: string): string {
  const folders = input.axes.map((axis) => `${axis}=${folderSafe(run.params[axis] ?? '')}`);
  return join(target, ...(folders.length > 0 ? folders : ['all']));
}

/** What takeSidecars leaves to the COPYs, and what it took: events, and runs whose events (and whose truth) came from their Parquet. */
interface LeftToParse {
  events: RunFolder[];
  truth: RunFolder[];
  taken: number;
  runs: number;
  truthRuns: number;
  /** Logs read and hashed to check them (the rest were known unchanged from their log-files.json). */
  hashed: number;
}

/**
 * Takes each run's own events.parquet and truth.parquet where they can
 * stand in for its JSON Lines (column-files.ts), beside the files the
 * COPYs write: same columns, so each view reads them all as one table.
 * Sidecars whose metadata fits are linked in while the logs are still
 * being hashed, and the database is checkpointed, so little is left to do
 * once the hashes are in; a sidecar whose log has changed, or that is not
 * the file its run wrote (`asWritten`: a file changed in place or replaced
 * keeps a footer that fits), is removed again and its run parsed, each such
 * file named in the check. So is one whose link is not the file that was
 * checked (`seen`: its identity taken before the check; takeSidecar). Returns
 * the runs whose events, and whose truth, are left to parse.
 */
async function takeSidecars(
  connection: DuckDBConnection,
  input: AnalysisInput,
  parquetDir: string,
  digests: Promise<LogDigests>,
  asWritten: ParquetAsWritten,
  seen: ReadonlyMap<string, ParquetIdentity | null>,
  check: LogCheck,
): Promise<LeftToParse> {
  const indexOf = new Map(input.runs.map((run, index) => [run, index]));
  const target = ({ run, table }: Sidecar): string => {
    const file = `run-${indexOf.get(run)}.parquet`;
    if (table === 'truth') return join(parquetDir, 'truth', file);
    return input.kind === 'sweep' ? join(designFolder(input, run, join(parquetDir, 'events')), file) : join(parquetDir, 'events', file);
  };
  const described = await sidecarsDescribingRuns(connection, input);
  const linkedAsSeen = new Map(described.map((sidecar) => [sidecar, takeSidecar(sidecar.parquet, target(sidecar), seen.get(sidecar.parquet) ?? null)]));
  await connection.run('CHECKPOINT');
  const hashes = await digests;
  // Found as written, but what was linked is not the file that was checked (replaced or rewritten in between): not taken.
  for (const [sidecar, same] of linkedAsSeen) if (!same && asWritten.get(sidecar.parquet) === 'as-written') asWritten.set(sidecar.parquet, 'replaced');
  const usable = { events: new Set<RunFolder>(), truth: new Set<RunFolder>() };
  for (const sidecar of described) {
    // Its footer names this run and its log's fingerprint, but only the file the run wrote holds the rows it wrote.
    if (logUnchanged(sidecar, hashes) && sidecarAsWritten(sidecar, asWritten)) {
      usable[sidecar.table].add(sidecar.run);
    } else {
      // force: a file gone before its link left nothing to remove (takeSidecar).
      rmSync(target(sidecar), { force: true });
    }
  }
  const notAsWritten = [...asWritten].filter((entry): entry is [string, RefusalReason] => entry[1] !== 'as-written');
  if (notAsWritten.length > 0) {
    const runOf = new Map(input.runs.map((run) => [dirname(run.events_path), run.run_id]));
    check.parquet_not_as_written = notAsWritten
      .map(([parquet, reason]): RefusedParquet => [runOf.get(dirname(parquet)) ?? dirname(parquet), basename(parquet), reason])
      .sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
  }
  // A run without logs whose Parquet files were written for another analysis
  // (say, one run of a sweep analysed on its own: another run id) is parsed
  // from its logs, written again from its manifest first.
  for (const run of input.runs) {
    const needsLog = !usable.events.has(run) || (run.truth_path !== null && !usable.truth.has(run));
    if (!run.logs_written && needsLog) {
      // The check counted it as answered from its Parquet files; it is not.
      check.unlogged = Math.max(0, (check.unlogged ?? 0) - 1);
      regenerateLogs(run, check, hashes.checked);
    }
  }
  return {
    events: input.runs.filter((run) => !usable.events.has(run)),
    truth: input.runs.filter((run) => run.truth_path !== null && !usable.truth.has(run)),
    taken: eventCount(usable.events),
    runs: usable.events.size,
    truthRuns: usable.truth.size,
    hashed: hashes.hashed,
  };
}

/**
 * The COPY statements converting events.jsonl to Parquet, one per output
 * file. Each row gets its run's id (from the file it came from) and its grid
 * values as columns. Constants and a string replace rather than a join with
 * the runs table: the join on file names cost more than parsing the JSON.
 */
function eventCopies(input: AnalysisInput, runs: readonly RunFolder[], target: string, batchEvents: number): CopyTask[] {
  const base = `${resolve(input.dir)}/`;
  return eventFiles(input, runs, target, batchEvents).map(({ file, runs }) => {
    const first = runs[0] as RunFolder;
    const files = `[${runs.map((run) => sqlString(run.events_path)).join(', ')}]`;
    // events_path is <dir>/<run_id>/events.jsonl (or <dir>/events.jsonl for a single run, run_id '.').
    const runId = input.kind === 'run' ? sqlString(first.run_id) : `replace(replace(e.filename, ${sqlString(base)}, ''), '/events.jsonl', '')`;
    // Only the run id and the grid values are added: the seed and the rest
    // of the run's identity are in the runs table, joined when a query needs them.
    const sql = `COPY (
        SELECT ${runId} AS run_id, ${input.axes.map((axis) => `${sqlString(first.params[axis] ?? '')} AS ${sqlIdentifier(axis)}, `).join('')}e.* EXCLUDE (filename)
        FROM read_json(${files}, format = 'newline_delimited', columns = ${readJsonColumns()}, filename = true, hive_partitioning = false) e
      ) TO ${sqlString(file)} (FORMAT parquet, COMPRESSION snappy)`;
    return { sql, folder: dirname(file), sources: runs.map((run) => run.events_path), events: eventCount(runs) };
  });
}

/** One COPY of the ingest: its SQL, the folder it writes into, the logs it reads and how many events they hold. */
interface CopyTask {
  sql: string;
  folder: string;
  sources: string[];
  events: number;
}

/**
 * Runs the COPY statements on `lanes` connections at once. One COPY of a
 * design's few runs leaves a core idle for much of its time (a single
 * Parquet row group is written by one thread); two at a time keep both busy.
 * On a failure the other lanes finish their statement before it is
 * reported, so nothing is still writing when the staging folder is removed.
 */
async function runCopies(instance: DuckDBInstance, tasks: readonly CopyTask[], lanes: number, options: IngestOptions, alreadyDone = 0): Promise<void> {
  const total = alreadyDone + tasks.reduce((sum, task) => sum + task.events, 0);
  let next = 0;
  let done = alreadyDone;
  let failed = false;
  const lane = async (): Promise<void> => {
    const connection = await instance.connect();
    try {
      while (!failed && next < tasks.length) {
        const task = tasks[next++] as CopyTask;
        mkdirSync(task.folder, { recursive: true });
        try {
          await connection.run(task.sql);
        } catch (error) {
          failed = true;
          throw await explainReadError(error as Error, task.sources, options.allowBroken === true);
        }
        done += task.events;
        if (task.events > 0) options.onProgress?.(total === 0 ? 1 : done / total, done);
      }
    } finally {
      connection.closeSync();
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.max(1, lanes) }, lane));
  const rejected = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (rejected) throw rejected.reason;
}

/** The COPY of every run's truth.jsonl into one Parquet file (none when no run has one). */
function truthCopy(input: AnalysisInput, runs: readonly RunFolder[], target: string): CopyTask | undefined {
  if (runs.length === 0) return undefined;
  const files = `[${runs.map((run) => sqlString(run.truth_path as string)).join(', ')}]`;
  const runId =
    input.kind === 'run'
      ? sqlString((runs[0] as RunFolder).run_id)
      : `replace(replace(t.filename, ${sqlString(`${resolve(input.dir)}/`)}, ''), '/truth.jsonl', '')`;
  const sql = `COPY (
        SELECT ${runId} AS run_id, t.* EXCLUDE (filename)
        FROM read_json(${files}, format = 'newline_delimited', columns = ${readTruthColumns()}, filename = true, hive_partitioning = false) t
      ) TO ${sqlString(join(target, 'truth.parquet'))} (FORMAT parquet, COMPRESSION snappy)`;
  return { sql, folder: target, sources: runs.map((run) => run.truth_path as string), events: 0 };
}

/**
 * Turns DuckDB's complaint about a JSON line into the file and line a user
 * can open. DuckDB's own line number can be off by one for a truncated last
 * line, so the file it names is scanned for the first line that is not a
 * well-formed event.
 */
async function explainReadError(error: Error, files: readonly string[], allowBroken: boolean): Promise<Error> {
  const named = /in file "([^"]+)"/.exec(error.message)?.[1];
  const candidates = named ? [named] : files;
  for (const file of candidates) {
    const bad = await findBadLine(file);
    if (!bad) continue;
    const where = `${file}:${bad.line}: expected ${bad.expected}, found ${bad.found}`;
    if (!allowBroken) return new AnalysisInputError(where);
    // Refused rather than answered from the lines before the break: such an
    // answer would silently leave out the rest of the run (its termination,
    // its operations after it, its seal), while --allow-broken promises
    // answers from the whole log with the unverified part marked.
    const salvage =
      bad.line > 1
        ? ` To analyse what is there, copy the run folder, keep only lines 1..${bad.line - 1} of its ${basename(file)} (head -n ${bad.line - 1}) and analyse the copy with --allow-broken: it is answered as truncated there`
        : '';
    return new AnalysisInputError(
      `${where}; cannot answer even with --allow-broken: the lines from ${bad.line} on cannot be read, and an answer from the lines before would silently leave out the rest of the run.${salvage}`,
    );
  }
  return new AnalysisInputError(`cannot read the logs: ${error.message.split('\n')[0]}`);
}

/**
 * Views in the database file itself, so `duckdb analysis.duckdb` (run in
 * DIR/analysis) can query it directly. Their Parquet paths are relative to
 * the analysis folder, never absolute: a copied, moved or mounted analysis
 * still opens. DuckDB resolves a relative path against its working
 * directory or, failing that, against `file_search_path`, which is set
 * here (the view is bound when created) and by whoever opens it elsewhere.
 */
async function createStoredViews(analysisDir: string, hasTruth: boolean, views: ReadonlyArray<{ sql: string }>): Promise<void> {
  const instance = await DuckDBInstance.create(join(analysisDir, DATABASE_FILE));
  const connection = await instance.connect();
  try {
    await connection.run(`SET file_search_path = ${sqlString(analysisDir)}`);
    await connection.run(`CREATE OR REPLACE VIEW events AS SELECT * FROM read_parquet(${sqlString(STORED_EVENTS_GLOB)}, hive_partitioning = false)`);
    await connection.run(
      hasTruth
        ? `CREATE OR REPLACE VIEW truth AS SELECT * FROM read_parquet(${sqlString(STORED_TRUTH_GLOB)})`
        : `CREATE OR REPLACE VIEW truth AS ${emptyTruthSelect()}`,
    );
    for (const view of views) await connection.run(view.sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The stored views' Parquet, relative to the analysis folder. */
export const STORED_EVENTS_GLOB = 'parquet/events/**/*.parquet';
export const STORED_TRUTH_GLOB = 'parquet/truth/*.parquet';

/**
 * Ingests the runs into DIR/analysis: the events (and truth records) into
 * Parquet partitioned by the sweep's parameters and seed, and the manifests
 * into DIR/analysis/analysis.duckdb (the `runs` and `run_params` tables,
 * plus views over the Parquet and every metric view). Everything is built
 * in a hidden folder and moved into place at the end, so a bad line or a
 * crash leaves the previous analysis (or nothing) behind, never half of one.
 */
export async function ingestAnalysis(input: AnalysisInput, views: ReadonlyArray<{ sql: string }>, options: IngestOptions = {}): Promise<IngestResult> {
  const started = performance.now();
  // The logs' stat, and the Parquet files' identity, before they are checked: a file changed after this point makes the analysis stale.
  const stats = logStats(input);
  const identities = parquetIdentities(input);
  // Hashing (worker threads) starts first, so it runs while the logs are verified.
  const checked: CheckedDigests = new Map();
  // Which Parquet files are the ones their runs wrote: runs with logs here (hashed with the logs), runs without in the check.
  const asWritten: ParquetAsWritten = new Map();
  const digests = hashLogsWithSidecars(input, checked, asWritten);
  // Settled even if the ingest fails first, so a failed hash is never an unhandled rejection.
  digests.catch(() => undefined);
  const check = await checkLogs(input, { allowBroken: options.allowBroken, digests: checked, asWritten, threads: options.verifyThreads });
  const finalDir = resolve(input.dir, ANALYSIS_FOLDER);
  const staging = resolve(input.dir, `.${ANALYSIS_FOLDER}.partial-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'parquet', 'truth'), { recursive: true });
  const hasTruth = input.runs.some((run) => run.truth_path !== null);
  let fromParquet = 0;
  let truthFromParquet = 0;
  let logsHashed = 0;
  try {
    const instance = await DuckDBInstance.create(join(staging, DATABASE_FILE), {
      memory_limit: options.memoryLimit ?? '2GB',
      temp_directory: join(staging, 'spill'),
      // Row order inside the Parquet carries no meaning (every event keeps its
      // run_id and seq); not preserving it lets DuckDB stream with less memory.
      preserve_insertion_order: 'false',
      ...duckdbThreads(),
    });
    try {
      const connection = await instance.connect();
      const left = await createRunsTable(connection, input)
        .then(() => takeSidecars(connection, input, join(staging, 'parquet'), digests, asWritten, identities, check))
        .finally(() => connection.closeSync());
      fromParquet = left.runs;
      truthFromParquet = left.truthRuns;
      logsHashed = left.hashed;
      if (left.taken > 0) options.onProgress?.(left.taken / Math.max(1, eventCount(input.runs)), left.taken);
      // The truth COPY, the largest single statement, goes first so the event COPYs fill in around it.
      const truth = truthCopy(input, left.truth, join(staging, 'parquet', 'truth'));
      const events = eventCopies(input, left.events, join(staging, 'parquet', 'events'), options.batchEvents ?? 5_000_000);
      await runCopies(instance, truth ? [truth, ...events] : events, COPY_LANES, options, left.taken);
    } finally {
      instance.closeSync();
    }
    rmSync(join(staging, 'spill'), { recursive: true, force: true });
    // A run whose logs this ingest regenerated is recorded with them, as written: the next call finds it with its logs.
    const recorded = stats.map((entry, i): IngestedRecord['logs'][number] => {
      const regenerated = input.runs[i]?.regenerated_logs;
      return regenerated === undefined ? entry : [entry[0], ...regenerated];
    });
    // Runs recorded by their logs (regenerated ones included) also record their Parquet files, as they were before the check.
    const parquet = loggedRunsParquet(input.runs, (file) => identities.get(file) ?? null);
    writeFileSync(join(staging, INGESTED_FILE), `${JSON.stringify({ ...ingestedRecord(input, recorded, parquet), check })}\n`);
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
  await createStoredViews(finalDir, hasTruth, views);
  return {
    runs: input.runs.length,
    events: eventCount(input.runs),
    seconds: (performance.now() - started) / 1000,
    ingested: true,
    from_parquet: fromParquet,
    truth_from_parquet: truthFromParquet,
    truth_runs: truthRunCount(input.runs),
    logs_hashed: logsHashed,
    check,
  };
}
