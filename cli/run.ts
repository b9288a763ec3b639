import type { Command } from 'commander';
import { abandonStagedOutputs } from '../sim/output-dir.ts';
import { runScenarioInterruptibly } from '../sim/run.ts';
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
    .argument('<scenario>', 'scenario YAML file, or the NAME of one in scenarios/')
    .option('--seed <n>', "run seed (default: the scenario's seed, else 1)")
    .option('--out <dir>', 'output folder (default: runs/<scenario>-seed<n>)')
    .option('--set <path=value>', 'override a scenario value, e.g. topology.resources[0].queue.servers=2 (repeatable)', collect, [])
    .option('--json', 'print the manifest as JSON instead of a summary')
    .action(async (file: string, options: { seed?: string; out?: string; set: string[]; json?: boolean }) => {
      // Ctrl-C or a SIGTERM ends the run without leaving its hidden staging folder behind.
      const interrupt = (signal: NodeJS.Signals) => {
        abandonStagedOutputs();
        process.stderr.write(`\nmissionbench: run interrupted (${signal}); nothing was written\n`);
        process.exit(signal === 'SIGINT' ? 130 : 143);
      };
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      try {
        const loaded = loadScenario(file, options.set);
        const seed = options.seed === undefined ? (loaded.spec.seed ?? 1) : parseSeed(options.seed);
        const outDir = options.out ?? `runs/${loaded.spec.name}-seed${seed}`;
        const progress = new Progress(`run ${loaded.spec.name}`);
        const manifest = await runScenarioInterruptibly(loaded, {
          seed,
          outDir,
          onProgress: (fraction, events) => progress.update(fraction, `${events} events`),
        });
        progress.done(`${manifest.events} events`);
        process.stdout.write(options.json ? `${JSON.stringify(manifest, null, 2)}\n` : `${formatRunSummary(manifest, outDir)}\n`);
      } catch (error) {
        reportAndExit(error);
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });
}
