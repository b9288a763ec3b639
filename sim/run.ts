import { resolve } from 'node:path';
import { EVENT_COLUMNS_FILE, EventColumnsSink } from './log/event-columns-sink.ts';
import { RUN_SIGNER, sealLog } from './log/seal.ts';
import { deriveSigningKey } from './log/session-block.ts';
import { AuditLogWriter, FieldObjectSink, GENESIS_HASH } from './log/writer.ts';
import { parseDuration } from './engine/duration.ts';
import { Simulation } from './engine/simulation.ts';
import { setV8Flags } from './v8-flags.ts';
import { type HashedFile, LOG_FILES_RECORD, writeLogFilesRecord } from './log-files.ts';
import { EventBudget } from './event-budget.ts';
import { type StagedOutputDir, writeRunFolder, writeRunFolderAsync } from './output-dir.ts';
import type { LoadedScenario } from './scenario/load.ts';
import { DEFAULT_MAX_EVENTS } from './scenario/schema.ts';
import { MISSIONBENCH_VERSION } from './version.ts';
import { TRUTH_COLUMNS_FILE, TruthColumnsSink } from './truth/truth-columns-sink.ts';
import { TruthLogWriter } from './truth/truth-log.ts';
import { WorldContext } from './world/context.ts';
import { trueIntents, World, type WorldSummary } from './world/world.ts';
import './events.ts'; // the complete event catalogue (the analysed columns written beside the log)

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
  /**
   * 'write' (default): events.jsonl and truth.jsonl. 'hash': the lines are
   * built and hashed as if written, so the manifest has the same
   * fingerprint and truth SHA-256, but neither file is written (a sweep
   * without --logs; sim/regenerate-logs.ts writes them again on demand).
   * 'count': write no events.jsonl or truth.jsonl; events are only counted
   * (benchmarks measure the simulation apart from the log writer). The
   * manifest's fingerprint, last_hash and truth sha256 are then empty, and
   * session blocks do not chain (there are no hashes).
   */
  log?: 'write' | 'hash' | 'count' | undefined;
}

/** manifest.json: what identifies a run and what it produced. */
export interface RunManifest {
  missionbench_version: string;
  scenario: { name: string; path: string; sha256: string };
  seed: number;
  overrides: string[];
  horizon_us: number;
  events: number;
  /**
   * The hash chain's last hash (the seal's line's `hash`): it commits to
   * every line, so equal fingerprints mean byte-identical logs. Equal to
   * last_hash.
   */
  fingerprint: string;
  last_hash: string;
  /** truth.jsonl, the oracle's records (docs/truth-records.md): count and SHA-256. */
  truth: { file: 'truth.jsonl'; records: number; sha256: string };
  summary: WorldSummary;
}

const PROGRESS_STEPS = 100;

/** Runs a loaded scenario to its horizon and writes events.jsonl, truth.jsonl and manifest.json atomically. */
export function runScenario(loaded: LoadedScenario, options: RunOptions): RunManifest {
  // Large runs stay in bounded memory without a heap cap (heap-growth.ts); set with the others (v8-flags.ts).
  setV8Flags();
  return writeRunFolder(options.outDir, (output) => {
    const steps = simulate(loaded, options, output);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  });
}

/**
 * As runScenario, but gives the event loop a turn after every slice of
 * simulated time and every 100,000 events, so that a signal (Ctrl-C) is
 * handled while the run goes on; the log is the same byte for byte.
 */
export async function runScenarioInterruptibly(loaded: LoadedScenario, options: RunOptions): Promise<RunManifest> {
  setV8Flags();
  return writeRunFolderAsync(options.outDir, async (output) => {
    const steps = simulate(loaded, options, output);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await new Promise((resolve) => setImmediate(resolve));
    }
  });
}

/** The run itself, into the staging folder; it yields wherever the caller may give the event loop a turn. */
function* simulate(loaded: LoadedScenario, options: RunOptions, output: StagedOutputDir): Generator<void, RunManifest> {
  const seed = options.seed ?? loaded.spec.seed ?? 1;
  const horizon = parseDuration(loaded.spec.duration);
  if (options.log === 'count' && options.columns !== undefined) throw new Error("a run with log: 'count' writes no logs, so no columns of them either");
  const sim = new Simulation();
  const written = options.log !== 'hash';
  const log = options.log === 'count' ? new CountingSink() : new AuditLogWriter(written ? output.file('events.jsonl') : null);
  const eventColumns = options.columns === undefined ? undefined : new EventColumnsSink(log, output.file(EVENT_COLUMNS_FILE), options.columns.events);
  const audit = eventColumns ?? log;
  const truthLog = options.log === 'count' ? new CountingTruthSink() : new TruthLogWriter(written ? output.file('truth.jsonl') : null);
  const truthColumns =
    options.columns === undefined || !(truthLog instanceof TruthLogWriter)
      ? undefined
      : new TruthColumnsSink(truthLog, output.file(TRUTH_COLUMNS_FILE), options.columns.truth);
  const truth = truthColumns ?? truthLog;
  const budget = new EventBudget(audit, sim, loaded.spec.limits?.events ?? DEFAULT_MAX_EVENTS);
  try {
    const world = new World(new WorldContext(sim, seed, budget, truth, trueIntents(loaded.spec)), loaded.spec);
    // Run in slices of simulated time only to report progress; slicing does not change the order of events.
    const slice = Math.max(1, Math.ceil(horizon / PROGRESS_STEPS));
    for (let until = slice; ; ) {
      sim.run(until);
      budget.check(horizon);
      yield;
      if (budget.paused) {
        budget.paused = false;
        continue; // the same slice, on from the event after the pause
      }
      options.onProgress?.(until / horizon, audit.count);
      if (until >= horizon) break;
      until = Math.min(horizon, until + slice);
    }
    world.finish();
    budget.check(horizon);
    // The log's closing record: its end is then part of what verify checks (seal.ts).
    sealLog(audit, sim.now, RUN_SIGNER, deriveSigningKey(seed, RUN_SIGNER));
    const closed = audit.close();
    const oracle = truth.close();
    // With the Parquet files, the logs' stat too: analyze then need not hash them again; and
    // the Parquet files' stat and SHA-256, what analyze checks of a run without logs (log-files.ts).
    if (options.columns !== undefined) {
      const files: Record<string, string> = written ? { 'events.jsonl': output.file('events.jsonl'), 'truth.jsonl': output.file('truth.jsonl') } : {};
      // Each Parquet file with the SHA-256 its writer took of the bytes it wrote; none for a file it dropped.
      const parquet: Record<string, HashedFile> = {};
      for (const [name, sink] of [
        [EVENT_COLUMNS_FILE, eventColumns],
        [TRUTH_COLUMNS_FILE, truthColumns],
      ] as const) {
        const sha256 = sink?.fileSha256;
        if (sha256 !== undefined) parquet[name] = { path: output.file(name), sha256 };
      }
      writeLogFilesRecord(output.file(LOG_FILES_RECORD), files, parquet);
    }
    return {
      missionbench_version: MISSIONBENCH_VERSION,
      scenario: { name: loaded.spec.name, path: resolve(loaded.file), sha256: loaded.sha256 },
      seed,
      overrides: loaded.overrides,
      horizon_us: horizon,
      events: closed.events,
      fingerprint: closed.fingerprint,
      last_hash: closed.lastHash,
      truth: { file: 'truth.jsonl', records: oracle.records, sha256: oracle.sha256 },
      summary: world.summary(),
    };
  } catch (error) {
    // The staging folder is about to be removed: close its files first.
    for (const writer of [log, truthLog]) {
      try {
        writer.close();
      } catch {
        // the error being thrown is the one to report
      }
    }
    throw error;
  }
}

/** The audit sink of a run with `log: 'count'`: counts events, writes and hashes nothing. */
class CountingSink extends FieldObjectSink {
  count = 0;
  readonly lastHash = GENESIS_HASH;

  emit(): void {
    this.count++;
  }

  // Counted as emit counts them, without the field objects FieldObjectSink would build.
  override jobArrived(): void {
    this.count++;
  }

  override jobStarted(): void {
    this.count++;
  }

  override jobFinished(): void {
    this.count++;
  }

  override opQueued(): void {
    this.count++;
  }

  override opStarted(): void {
    this.count++;
  }

  override opExecuted(): void {
    this.count++;
  }

  close(): { events: number; fingerprint: string; lastHash: string } {
    return { events: this.count, fingerprint: '', lastHash: '' };
  }
}

/** The truth sink of a run with `log: 'count'`. */
class CountingTruthSink {
  private records = 0;

  write(): void {
    this.records++;
  }

  close(): { records: number; sha256: string } {
    return { records: this.records, sha256: '' };
  }
}
