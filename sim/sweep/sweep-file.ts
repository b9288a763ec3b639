import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoadedScenario } from '../scenario/load.ts';
import { MISSIONBENCH_VERSION } from '../version.ts';
import type { GridAxis } from './plan.ts';

/** sweep.json: what a sweep folder holds, enough to re-plan it and to check a resume. */
export interface SweepFile {
  missionbench_version: string;
  scenario: { name: string; path: string; sha256: string };
  grid: GridAxis[];
  seeds: number[];
  /** `--set` overrides applied to every run, before the grid's. */
  overrides: string[];
  runs: number;
}

export const SWEEP_FILE = 'sweep.json';

export function readSweepFile(dir: string): SweepFile | undefined {
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as SweepFile;
}

/** Written under a temporary name and renamed, so a reader never sees half a file. */
export function writeSweepFile(dir: string, sweep: SweepFile): void {
  const path = join(dir, SWEEP_FILE);
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, `${JSON.stringify(sweep, null, 2)}\n`);
  renameSync(temporary, path);
}

/**
 * Why an existing sweep folder cannot be continued with this sweep, or
 * undefined if it can: same version, scenario bytes, grid, seeds and
 * overrides. (The scenario may have moved; its hash is what counts.)
 */
export function sweepMismatch(existing: SweepFile, planned: SweepFile): string | undefined {
  if (existing.missionbench_version !== planned.missionbench_version) {
    return `it was made by missionbench ${existing.missionbench_version}, this is ${planned.missionbench_version}`;
  }
  if (existing.scenario.sha256 !== planned.scenario.sha256)
    return `its scenario ${existing.scenario.path} had other contents (sha256 ${existing.scenario.sha256.slice(0, 12)}...)`;
  const shape = (sweep: SweepFile) => JSON.stringify([sweep.grid, sweep.seeds, sweep.overrides]);
  if (shape(existing) !== shape(planned)) return 'its grid, seeds or --set overrides differ';
  return undefined;
}

/** The sweep.json of a sweep of `loaded` (the scenario as read, with the `--set` overrides) over a grid and seeds. */
export function describeSweep(loaded: LoadedScenario, axes: GridAxis[], seeds: number[], overrides: string[], runs: number): SweepFile {
  return {
    missionbench_version: MISSIONBENCH_VERSION,
    scenario: { name: loaded.spec.name, path: resolve(loaded.file), sha256: loaded.sha256 },
    grid: axes,
    seeds,
    overrides,
    runs,
  };
}
