import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadScenario } from '../sim/scenario/load.ts';
import { parseGridAxis, parseSeeds, parseShard, planSweep, shardOf, SweepSpecError, type PlannedRun } from '../sim/sweep/plan.ts';
import { readSweepFile, sweepMismatch, writeSweepFile, type SweepFile } from '../sim/sweep/sweep-file.ts';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { Progress } from './progress.ts';
import { RunPool } from './sweep/pool.ts';

interface SweepOptions {
  grid: string[];
  seeds: string;
  set: string[];
  workers?: string;
  shard?: string;
  resume?: boolean;
  out: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('run a scenario over a parameter grid x seeds on worker threads, into DIR/runs/<param=value>/.../seed=<n>/')
    .argument('<scenario>', 'scenario YAML file')
    .option('--grid <path=v1,v2,...>', 'a scenario path and the values it takes (repeatable; the grid is their product)', collect, [])
    .option('--seeds <range>', 'seeds: 1..30, or a list 1,2,5', '1')
    .option('--set <path=value>', 'override applied to every run (repeatable)', collect, [])
    .option('--workers <n>', 'worker threads (default: the number of cores)')
    .option('--shard <i/n>', 'run only the i-th of n deterministic slices (1-based), e.g. one per batch job')
    .option('--resume', 'finish an interrupted sweep in DIR: runs already complete are kept, the rest are run')
    .requiredOption('--out <dir>', 'sweep folder')
    .option('--json', 'print the runs (id, seed, design, events, fingerprint) as JSON')
    .action(async (file: string, options: SweepOptions) => {
      try {
        await sweepCommand(file, options);
      } catch (error) {
        if (error instanceof SweepSpecError) reportAndExit(new UsageError(error.message));
        reportAndExit(error);
      }
    });
}

function parseWorkers(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--workers expects a positive integer, found ${JSON.stringify(text)}`);
  return Number(text);
}

async function sweepCommand(file: string, options: SweepOptions): Promise<void> {
  const axes = options.grid.map(parseGridAxis);
  const seeds = parseSeeds(options.seeds);
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const workers = parseWorkers(options.workers);
  const plan = planSweep(axes, seeds, options.set);

  // Every grid point is loaded once up front, so a bad path or value is
  // reported (file, line, path) before anything is written.
  const base = loadScenario(file, options.set);
  const checked = new Set<string>();
  for (const run of plan) {
    if (checked.has(run.design)) continue;
    checked.add(run.design);
    loadScenario(file, run.overrides);
  }

  const outDir = resolve(options.out);
  const sweep: SweepFile = {
    missionbench_version: MISSIONBENCH_VERSION,
    scenario: { name: base.spec.name, path: resolve(file), sha256: base.sha256 },
    grid: axes,
    seeds,
    overrides: options.set,
    runs: plan.length,
  };
  prepareFolder(outDir, sweep, options);

  const mine = shard ? shardOf(plan, shard) : plan;
  const isComplete = (run: PlannedRun) => existsSync(join(outDir, run.id, 'manifest.json'));
  const todo = options.resume ? mine.filter((run) => !isComplete(run)) : mine;
  const skipped = mine.length - todo.length;

  const progress = new Progress(`sweep ${base.spec.name}`);
  const pool = new RunPool(workers);
  let done = 0;
  let events = 0;
  const results = new Map<number, { events: number; fingerprint: string }>();
  const interrupt = () => {
    void pool.stop().then(() => {
      removeStaging(join(outDir, 'runs'));
      const complete = plan.filter(isComplete).length;
      process.stderr.write(`\nmissionbench: interrupted: ${complete} of ${plan.length} runs complete in ${options.out}; finish it with the same command and --resume\n`);
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await pool.run(
      todo.map((run) => ({ index: run.index, scenarioFile: file, overrides: run.overrides, seed: run.seed, outDir: join(outDir, run.id) })),
      {
        onDone(reply) {
          done++;
          events += reply.events;
          results.set(reply.index, { events: reply.events, fingerprint: reply.fingerprint });
          progress.update(done / todo.length, `${done}/${todo.length} runs, ${events} events`);
        },
      },
    );
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
  progress.done(`${done} runs, ${events} events`);

  if (options.json) {
    const runs = mine.map((run) => ({ id: run.id, seed: run.seed, design: run.design, ...results.get(run.index) }));
    process.stdout.write(`${JSON.stringify({ sweep: options.out, runs }, null, 2)}\n`);
    return;
  }
  const share = shard ? ` (shard ${shard.index}/${shard.count}: ${mine.length} of ${plan.length} runs)` : '';
  process.stdout.write(
    `sweep ${base.spec.name}: ${done} runs done${skipped > 0 ? `, ${skipped} already complete` : ''}${share}, ${events} events -> ${options.out}\n` +
      `  analyze with: missionbench analyze ${options.out}\n`,
  );
}

/** Creates the sweep folder, or checks that an existing one is this sweep and may be continued. */
function prepareFolder(outDir: string, sweep: SweepFile, options: SweepOptions): void {
  const existing = existsSync(outDir) ? readdirSync(outDir) : [];
  if (existing.length > 0) {
    const previous = readSweepFile(outDir);
    if (!previous) throw new UsageError(`${options.out} exists and is not a sweep folder (no sweep.json); refusing to write into it`);
    const mismatch = sweepMismatch(previous, sweep);
    if (mismatch) throw new UsageError(`${options.out} holds another sweep: ${mismatch}; choose another --out`);
    if (!options.resume && !options.shard) {
      throw new UsageError(`${options.out} already holds this sweep; add --resume to finish it, or choose another --out`);
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
