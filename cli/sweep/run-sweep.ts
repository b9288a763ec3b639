import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScenario, type LoadedScenario } from '../../sim/scenario/load.ts';
import { planSweep, shardOf, type GridAxis, type PlannedRun } from '../../sim/sweep/plan.ts';
import { sweepRunColumns } from '../../sim/sweep/run-columns.ts';
import { describeSweep, readSweepFile, sweepMismatch, writeSweepFile, type SweepFile } from '../../sim/sweep/sweep-file.ts';
import { UsageError } from '../exit.ts';
import { Progress } from '../progress.ts';
import { RunPool } from './pool.ts';

export interface SweepRequest {
  scenarioFile: string;
  axes: GridAxis[];
  seeds: number[];
  /** `--set` overrides applied to every run. */
  overrides: string[];
  outDir: string;
  workers: number;
  shard?: { index: number; count: number } | undefined;
  /** Keep complete runs of an interrupted sweep and run the rest. */
  resume: boolean;
  /** Write each run's events.jsonl and truth.jsonl (default false: Parquet files, manifest and fingerprint only). */
  logs?: boolean | undefined;
  /** How the folder is named in messages (the user's spelling of it). */
  label?: string | undefined;
}

export interface SweepOutcome {
  plan: PlannedRun[];
  /** The runs this invocation was responsible for (the shard, or all). */
  mine: PlannedRun[];
  done: number;
  skipped: number;
  events: number;
  results: Map<number, { events: number; fingerprint: string }>;
  scenarioName: string;
}

/**
 * Runs a sweep (grid x seeds) into `outDir` on worker threads: validates
 * every grid point first, writes sweep.json, skips complete runs when
 * resuming, reports progress on stderr, and on Ctrl-C stops the workers,
 * removes their staging folders and says how to resume (exit 130).
 */
export async function runSweep(request: SweepRequest): Promise<SweepOutcome> {
  const { scenarioFile: file, axes, seeds, overrides } = request;
  const label = request.label ?? request.outDir;
  const plan = planSweep(axes, seeds, overrides);

  const mine = request.shard ? shardOf(plan, request.shard) : plan;
  // Started first, so the workers start up while the grid is validated.
  const pool = new RunPool(Math.min(request.workers, Math.max(1, mine.length)));
  let done = 0;
  let events = 0;
  let todo: PlannedRun[] = [];
  const results = new Map<number, { events: number; fingerprint: string }>();
  const outDir = resolve(request.outDir);
  const isComplete = (run: PlannedRun) => existsSync(join(outDir, run.id, 'manifest.json'));
  const interrupt = () => {
    void pool.stop().then(() => {
      removeStaging(join(outDir, 'runs'));
      const complete = plan.filter(isComplete).length;
      process.stderr.write(
        `\nmissionbench: interrupted: ${complete} of ${plan.length} runs complete in ${label}; finish it with the same command and --resume\n`,
      );
      process.exit(130);
    });
  };
  let scenarioName = '';
  try {
    // Every grid point is loaded once up front, so a bad path or value is
    // reported (file, line, path) before anything is written; the workers
    // get the loaded scenarios rather than loading them again.
    const baseScenario = loadScenario(file, overrides);
    scenarioName = baseScenario.spec.name;
    const designs = new Map<string, LoadedScenario>();
    // A run's overrides are the --set ones, then its grid values: errors name the option.
    const fromGrid = (text: string, i: number) => (i < overrides.length ? text : { text, flag: '--grid' as const });
    for (const run of plan) if (!designs.has(run.design)) designs.set(run.design, loadScenario(file, run.overrides.map(fromGrid)));

    const sweep = describeSweep(baseScenario, axes, seeds, overrides, plan.length);
    prepareFolder(outDir, sweep, request, label);
    todo = request.resume ? mine.filter((run) => !isComplete(run)) : mine;
    const progress = new Progress(`sweep ${scenarioName}`);

    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    await pool.run(
      todo.map((run) => ({
        index: run.index,
        scenario: designs.get(run.design) as LoadedScenario,
        seed: run.seed,
        outDir: join(outDir, run.id),
        columns: sweepRunColumns(run),
        logs: request.logs === true,
      })),
      {
        onDone(reply) {
          done++;
          events += reply.events;
          results.set(reply.index, { events: reply.events, fingerprint: reply.fingerprint });
          progress.update(done / todo.length, `${done}/${todo.length} runs, ${events} events`);
        },
      },
    );
    progress.done(`${done} runs, ${events} events`);
  } catch (error) {
    await pool.stop();
    // A failed run stops the others mid-run: their staging folders go too (todo is set once the folder is ours).
    if (todo.length > 0) removeStaging(join(outDir, 'runs'));
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  return { plan, mine, done, skipped: mine.length - todo.length, events, results, scenarioName };
}

/** Creates the sweep folder, or checks that an existing one is this sweep and may be continued. */
function prepareFolder(outDir: string, sweep: SweepFile, request: SweepRequest, label: string): void {
  const existing = existsSync(outDir) ? readdirSync(outDir) : [];
  if (existing.length > 0) {
    const previous = readSweepFile(outDir);
    if (!previous) throw new UsageError(`${label} exists and is not a sweep folder (no sweep.json); refusing to write into it`);
    const mismatch = sweepMismatch(previous, sweep);
    if (mismatch) throw new UsageError(`${label} holds another sweep: ${mismatch}; choose another --out`);
    if (!request.resume && !request.shard) {
      throw new UsageError(`${label} already holds this sweep; add --resume to finish it, or choose another --out`);
    }
    removeStaging(join(outDir, 'runs'));
  }
  mkdirSync(outDir, { recursive: true });
  writeSweepFile(outDir, sweep);
}

/** Removes the hidden staging folders that runs cut short leave behind. */
function removeStaging(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.') && entry.name.includes('.partial-')) rmSync(path, { recursive: true, force: true });
    else removeStaging(path);
  }
}
