import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { parseGridAxis, parseSeeds, parseShard } from '../sim/sweep/plan.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { runSweep } from './sweep/run-sweep.ts';

interface SweepOptions {
  grid: string[];
  seeds: string;
  set: string[];
  workers?: string;
  shard?: string;
  resume?: boolean;
  logs?: boolean;
  out: string;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('run a scenario over a parameter grid x seeds on worker threads, into DIR/runs/<param=value>/.../seed=<n>/')
    .argument('<scenario>', 'scenario YAML file, or the NAME of one in scenarios/')
    .option('--grid <path=v1,v2,...>', 'a scenario path and the values it takes (repeatable; the grid is their product)', collect, [])
    .option('--seeds <range>', 'seeds: 1..30, or a list 1,2,5', '1')
    .option('--set <path=value>', 'override applied to every run (repeatable)', collect, [])
    .option('--workers <n>', 'worker threads (default: the number of cores)')
    .option('--shard <i/n>', 'run only the i-th of n deterministic slices (1-based), e.g. one per batch job')
    .option('--resume', 'finish an interrupted sweep in DIR: runs already complete are kept, the rest are run')
    .option(
      '--logs',
      "also write each run's events.jsonl and truth.jsonl (default: none; a command that needs a run's log regenerates it from the run's manifest)",
    )
    .requiredOption('--out <dir>', 'sweep folder')
    .option('--json', 'print the runs (id, seed, design, events, fingerprint) as JSON')
    .action(async (file: string, options: SweepOptions) => {
      try {
        await sweepCommand(file, options);
      } catch (error) {
        reportAndExit(error);
      }
    });
}

export function parseWorkers(text: string | undefined): number {
  if (text === undefined) return availableParallelism();
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new UsageError(`--workers expects a positive integer, found ${JSON.stringify(text)}`);
  return Number(text);
}

async function sweepCommand(file: string, options: SweepOptions): Promise<void> {
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const outcome = await runSweep({
    scenarioFile: file,
    axes: options.grid.map(parseGridAxis),
    seeds: parseSeeds(options.seeds),
    overrides: options.set,
    outDir: options.out,
    workers: parseWorkers(options.workers),
    shard,
    resume: options.resume === true,
    logs: options.logs === true,
    label: options.out,
  });
  const { plan, mine, done, skipped, events, results } = outcome;
  if (options.json) {
    const runs = mine.map((run) => ({ id: run.id, seed: run.seed, design: run.design, ...results.get(run.index) }));
    process.stdout.write(`${JSON.stringify({ sweep: options.out, runs }, null, 2)}\n`);
    return;
  }
  const share = shard ? ` (shard ${shard.index}/${shard.count}: ${mine.length} of ${plan.length} runs)` : '';
  process.stdout.write(
    `sweep ${outcome.scenarioName}: ${done} runs done${skipped > 0 ? `, ${skipped} already complete` : ''}${share}, ${events} events -> ${options.out}\n` +
      `  analyze with: missionbench analyze ${options.out}\n` +
      (options.logs ? '' : "  logs: not written (a command that needs a run's log regenerates it from the run's manifest; --logs writes them)\n"),
  );
}
