import type { Command } from 'commander';
import { runScenario } from '../sim/run.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { Progress } from './progress.ts';
import { formatRunSummary } from './summary.ts';

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--seed expects a non-negative integer, found ${JSON.stringify(text)}`);
  }
  return Number(text);
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run one scenario and write DIR/events.jsonl and DIR/manifest.json')
    .argument('<scenario>', 'scenario YAML file')
    .option('--seed <n>', 'run seed (default: the scenario\'s seed, else 1)')
    .option('--out <dir>', 'output folder (default: runs/<scenario>-seed<n>)')
    .option('--set <path=value>', 'override a scenario value, e.g. topology.resources[0].queue.servers=2 (repeatable)', collect, [])
    .option('--json', 'print the manifest as JSON instead of a summary')
    .action((file: string, options: { seed?: string; out?: string; set: string[]; json?: boolean }) => {
      try {
        const loaded = loadScenario(file, options.set);
        const seed = options.seed === undefined ? (loaded.spec.seed ?? 1) : parseSeed(options.seed);
        const outDir = options.out ?? `runs/${loaded.spec.name}-seed${seed}`;
        const progress = new Progress(`run ${loaded.spec.name}`);
        const manifest = runScenario(loaded, {
          seed,
          outDir,
          onProgress: (fraction, events) => progress.update(fraction, `${events} events`),
        });
        progress.done(`${manifest.events} events`);
        process.stdout.write(options.json ? `${JSON.stringify(manifest, null, 2)}\n` : `${formatRunSummary(manifest, outDir)}\n`);
      } catch (error) {
        reportAndExit(error);
      }
    });
}
