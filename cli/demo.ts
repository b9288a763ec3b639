import type { Command } from 'commander';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../sim/run.ts';
import { loadScenario } from '../sim/scenario/load.ts';
import { reportAndExit } from './exit.ts';
import { Progress } from './progress.ts';
import { formatRunSummary } from './summary.ts';

const SCENARIOS = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** The scenarios `npm start` runs, in order. */
export const DEMO_SCENARIOS = [
  'travel-booking.yaml',
  'bulk-export-after-terminate.yaml',
  'ttl-only-window.yaml',
  'vendor-onboarding-chain.yaml',
  'law-firm-cross-domain.yaml',
  'after-hours-concierge.yaml',
  'emergency-three-tier.yaml',
  'procurement-hem-gate.yaml',
  'failover-resume.yaml',
];

/**
 * The queueing checks (the simulator against M/M/1 and M/M/c theory): long
 * runs (about 47 s of a 67 s first start), so they are not on `npm start`'s
 * way to the dashboard; `demo --queueing` adds them.
 */
export const QUEUEING_SCENARIOS = ['mm1.yaml', 'mmc.yaml'];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the demo scenarios and print their summaries (what `npm start` does)')
    .option('--out <dir>', 'where the runs go', 'runs/demo')
    .option('--queueing', 'also run the queueing checks against M/M/1 and M/M/c theory (mm1, mmc: about 45 s more)')
    .action((options: { out: string; queueing?: boolean }) => {
      try {
        for (const name of options.queueing ? [...DEMO_SCENARIOS, ...QUEUEING_SCENARIOS] : DEMO_SCENARIOS) {
          const loaded = loadScenario(join(SCENARIOS, name));
          const outDir = join(options.out, loaded.spec.name);
          const progress = new Progress(`run ${loaded.spec.name}`);
          const manifest = runScenario(loaded, { outDir, onProgress: (f, events) => progress.update(f, `${events} events`) });
          progress.done();
          process.stdout.write(`${formatRunSummary(manifest, outDir)}\n\n`);
        }
      } catch (error) {
        reportAndExit(error);
      }
    });
}
