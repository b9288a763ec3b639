import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { prepareAnalysis } from '../../cli/analysis-session.ts';
import { parseGridAxis, planSweep } from '../../sim/sweep/plan.ts';
import { sweepRunColumns } from '../../sim/sweep/run-columns.ts';
import { describeSweep, writeSweepFile } from '../../sim/sweep/sweep-file.ts';
import { SCENARIOS } from '../helpers.ts';

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

/**
 * The sweeps the tests of damaged Parquet files start from: a 4-run sizing
 * sweep (two designs x two seeds) with its logs and the same sweep without
 * them (--logs absent), in a new folder under the system's temp folder;
 * `damagedRun` is the run they damage and `otherRun` one whose files they
 * put in its place.
 */
export function damageableSweeps(prefix: string): { root: string; logged: string; unlogged: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const logged = join(root, 'logged');
  const unlogged = join(root, 'unlogged');
  buildSweep(DAMAGEABLE.scenario, DAMAGEABLE.grid, [1, 2], logged);
  buildSweep(DAMAGEABLE.scenario, DAMAGEABLE.grid, [1, 2], unlogged, { logs: false });
  return { root, logged, unlogged };
}

export const DAMAGEABLE = {
  scenario: join(SCENARIOS, 'token-lifetime-sizing.yaml'),
  grid: ['tokens.auth_ttl=2m,20m'],
  damagedRun: 'runs/tokens_auth_ttl=20m/seed=2',
  otherRun: 'runs/tokens_auth_ttl=20m/seed=1',
};

/** What `analyze` does (cli/analysis-session.ts): reuse the analysis if it is up to date, else ingest; the `load` table it answers. */
export async function analyzeLoad(sweep: string) {
  const { analysis, ingest } = await prepareAnalysis(sweep, {});
  try {
    return { ingest, load: await analysis.query('load') };
  } finally {
    analysis.close();
  }
}
