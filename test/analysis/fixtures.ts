import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { parseGridAxis, planSweep } from '../../sim/sweep/plan.ts';
import { sweepRunColumns } from '../../sim/sweep/run-columns.ts';
import { describeSweep, writeSweepFile } from '../../sim/sweep/sweep-file.ts';

/**
 * Builds a sweep folder in this process, exactly as `missionbench sweep`
 * lays it out (sweep.json, runs/<axis=value>/.../seed=<n>/, each run with
 * its events.parquet and truth.parquet unless `sidecars` is false; its
 * logs unless `logs` is false, as a sweep without --logs), without
 * starting worker threads: the analysis tests need the folder, not the pool.
 */
export function buildSweep(scenarioFile: string, grid: string[], seeds: number[], out: string, { sidecars = true, logs = true } = {}): void {
  const axes = grid.map(parseGridAxis);
  const plan = planSweep(axes, seeds);
  const base = loadScenario(scenarioFile);
  mkdirSync(out, { recursive: true });
  writeSweepFile(out, describeSweep(base, axes, seeds, [], plan.length));
  for (const run of plan) {
    runScenario(loadScenario(scenarioFile, run.overrides), {
      seed: run.seed,
      outDir: join(out, run.id),
      columns: sidecars ? sweepRunColumns(run) : undefined,
      log: logs ? 'write' : 'hash',
    });
  }
}
