import { resolve } from 'node:path';
import { EVENT_COLUMNS_FILE, EventColumnsSink } from './audit/event-columns-sink.ts';
import { RUN_SIGNER, sealLog } from './audit/seal.ts';
import { deriveSigningKey } from './audit/session-block.ts';
import { AuditLogWriter } from './audit/writer.ts';
import { parseDuration } from './engine/duration.ts';
import { Simulation } from './engine/simulation.ts';
import { boundHeapGrowth } from './heap-growth.ts';
import { LOG_FILES_RECORD, writeLogFilesRecord } from './log-files.ts';
import { writeRunFolder } from './output-dir.ts';
import type { LoadedScenario } from './scenario/load.ts';
import { MISSIONBENCH_VERSION } from './version.ts';
import { TRUTH_COLUMNS_FILE, TruthColumnsSink } from './truth/truth-columns-sink.ts';
import { TruthLogWriter } from './truth/truth-log.ts';
import { WorldContext } from './world/context.ts';
import { World, type WorldSummary } from './world/world.ts';

export interface RunOptions {
  seed?: number | undefined;
  outDir: string;
  /**
   * Also write events.parquet and truth.parquet, the analysed columns of
   * events.jsonl and truth.jsonl, each with its constant columns first (a
   * sweep passes the run's id, and for events its grid values too), so
   * `analyze` need not parse the logs, and log-files.json, so that it need
   * not hash them either. Undefined: none of these files.
   */
  columns?: { events: ReadonlyArray<[name: string, value: string]>; truth: ReadonlyArray<[name: string, value: string]> } | undefined;
  /** Called as simulated time advances, with the fraction of the horizon done. */
  onProgress?: ((fraction: number, events: number) => void) | undefined;
}

/** manifest.json: what identifies a run and what it produced. */
export interface RunManifest {
  missionbench_version: string;
  scenario: { name: string; path: string; sha256: string };
  seed: number;
  overrides: string[];
  horizon_us: number;
  events: number;
  /** SHA-256 of events.jsonl: equal fingerprints mean byte-identical logs. */
  fingerprint: string;
  last_hash: string;
  /** truth.jsonl, the oracle's records (docs/truth-records.md): count and SHA-256. */
  truth: { file: 'truth.jsonl'; records: number; sha256: string };
  summary: WorldSummary;
}

const PROGRESS_STEPS = 100;

/** Runs a loaded scenario to its horizon and writes events.jsonl, truth.jsonl and manifest.json atomically. */
export function runScenario(loaded: LoadedScenario, options: RunOptions): RunManifest {
  // Large runs stay in bounded memory without a heap cap (see heap-growth.ts).
  boundHeapGrowth();
  const seed = options.seed ?? loaded.spec.seed ?? 1;
  const horizon = parseDuration(loaded.spec.duration);
  return writeRunFolder(options.outDir, (output): RunManifest => {
    const sim = new Simulation();
    const log = new AuditLogWriter(output.file('events.jsonl'));
    const audit = options.columns === undefined ? log : new EventColumnsSink(log, output.file(EVENT_COLUMNS_FILE), options.columns.events);
    const truthLog = new TruthLogWriter(output.file('truth.jsonl'));
    const truth = options.columns === undefined ? truthLog : new TruthColumnsSink(truthLog, output.file(TRUTH_COLUMNS_FILE), options.columns.truth);
    const world = new World(new WorldContext(sim, seed, audit, truth), loaded.spec);
    // Run in slices of simulated time only to report progress; slicing does not change the order of events.
    const slice = Math.max(1, Math.ceil(horizon / PROGRESS_STEPS));
    for (let until = slice; ; until = Math.min(horizon, until + slice)) {
      sim.run(until);
      options.onProgress?.(until / horizon, audit.count);
      if (until >= horizon) break;
    }
    world.finish();
    // The log's closing record: its end is then part of what verify checks (seal.ts).
    sealLog(audit, sim.now, RUN_SIGNER, deriveSigningKey(seed, RUN_SIGNER));
    const written = audit.close();
    const oracle = truth.close();
    // With the Parquet files, the logs' stat too: analyze then need not hash them again (log-files.ts).
    if (options.columns !== undefined) {
      writeLogFilesRecord(output.file(LOG_FILES_RECORD), { 'events.jsonl': output.file('events.jsonl'), 'truth.jsonl': output.file('truth.jsonl') });
    }
    return {
      missionbench_version: MISSIONBENCH_VERSION,
      scenario: { name: loaded.spec.name, path: resolve(loaded.file), sha256: loaded.sha256 },
      seed,
      overrides: loaded.overrides,
      horizon_us: horizon,
      events: written.events,
      fingerprint: written.fingerprint,
      last_hash: written.lastHash,
      truth: { file: 'truth.jsonl', records: oracle.records, sha256: oracle.sha256 },
      summary: world.summary(),
    };
  });
}
