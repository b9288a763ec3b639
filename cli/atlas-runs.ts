import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MissionStop, RunValue } from '../analysis/atlas-summary.ts';
import { type GridAxis, planSweep } from '../sim/sweep/plan.ts';
import { readSweepFile, SWEEP_FILE, writeSweepFile } from '../sim/sweep/sweep-file.ts';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import { ensureRunLogs } from '../sim/regenerate-logs.ts';

/** What the atlas runs one sweep with: the shared pieces every gap, curve and table row use. */
export interface AtlasRunner {
  workers: number;
  /** How the atlas folder is named in messages. */
  label: string;
}

/**
 * Makes `dir` ready to hold the sweep (scenario, grid, overrides) over
 * `seeds`, keeping every finished run it can: a folder of the same sweep
 * with other seeds gets its seed list rewritten (runs of seeds no longer
 * listed stay on disk, unanalysed, for a later, longer round); a folder of
 * another sweep, scenario or version is removed (the atlas owns its folders).
 */
export function prepareSweepFolder(dir: string, scenarioFile: string, axes: readonly GridAxis[], overrides: readonly string[], seeds: readonly number[]): void {
  const previous = readSweepFile(dir);
  if (!previous) {
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    return;
  }
  if (!sameSweep(dir, scenarioFile, axes, overrides)) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  if (JSON.stringify(previous.seeds) !== JSON.stringify(seeds)) {
    const designs = previous.runs / Math.max(1, previous.seeds.length);
    writeSweepFile(dir, { ...previous, seeds: [...seeds], runs: designs * seeds.length });
  }
}

/** Whether `dir` holds this sweep (same version, scenario bytes, grid and overrides), whatever its seeds. */
export function sameSweep(dir: string, scenarioFile: string, axes: readonly GridAxis[], overrides: readonly string[]): boolean {
  const previous = readSweepFile(dir);
  if (!previous) return false;
  const sha256 = createHash('sha256').update(readFileSync(scenarioFile)).digest('hex');
  return (
    previous.missionbench_version === MISSIONBENCH_VERSION &&
    previous.scenario.sha256 === sha256 &&
    JSON.stringify([previous.grid, previous.overrides]) === JSON.stringify([axes, overrides])
  );
}

/** Whether every run of this sweep over `seeds` is finished in `dir`. */
export function allFinished(dir: string, scenarioFile: string, axes: readonly GridAxis[], overrides: readonly string[], seeds: readonly number[]): boolean {
  return sameSweep(dir, scenarioFile, axes, overrides) && planSweep(axes, seeds, overrides).every((run) => existsSync(join(dir, run.id, 'manifest.json')));
}

/** Runs one sweep into `dir` (resuming finished runs) and returns its per-run metrics and mission stops. */
export async function sweepAndMeasure(
  runner: AtlasRunner,
  request: { scenarioFile: string; axes: GridAxis[]; seeds: number[]; overrides: string[]; dir: string; label: string },
): Promise<{ runs: RunValue[]; stops: MissionStop[] }> {
  const [{ runSweep }, { prepareAnalysis }] = await Promise.all([import('./sweep/run-sweep.ts'), import('./analysis-session.ts')]);
  prepareSweepFolder(request.dir, request.scenarioFile, request.axes, request.overrides, request.seeds);
  // Finished runs are reused: a sweep with nothing left to run does not start the workers at all.
  const finished =
    existsSync(join(request.dir, SWEEP_FILE)) &&
    planSweep(request.axes, request.seeds, request.overrides).every((run) => existsSync(join(request.dir, run.id, 'manifest.json')));
  if (!finished)
    await runSweep({
      scenarioFile: request.scenarioFile,
      axes: request.axes,
      seeds: request.seeds,
      overrides: request.overrides,
      outDir: request.dir,
      workers: runner.workers,
      resume: true,
      label: request.label,
    });
  const { analysis } = await prepareAnalysis(request.dir, {});
  try {
    const [runs, stops] = await Promise.all([analysis.query('atlas_runs'), analysis.query('atlas_stops')]);
    return {
      runs: runs.map((row) => ({ design: String(row.design), seed: Number(row.seed), metric: String(row.metric), value: Number(row.value) })),
      stops: stops.map((row) => ({ design: String(row.design), seed: Number(row.seed), revocation_window_s: Number(row.revocation_window_s) })),
    };
  } finally {
    analysis.close();
  }
}

/** Fields that differ by seed alone: the seed, the hash chain, and the session blocks' and closing seal's keys and signatures over it. */
const SEED_ONLY = ['seed', 'hash', 'prev', 'root', 'last_hash', 'public_key', 'signature'];

function normalised(line: string): string {
  const event = JSON.parse(line) as Record<string, unknown>;
  for (const field of SEED_ONLY) delete event[field];
  return JSON.stringify(event);
}

/**
 * Whether two runs' logs tell the same story event for event once the seed
 * and the hash chain are set aside: then the scenario draws nothing random
 * (every time, delay and choice is fixed) and one run is the whole answer.
 */
export function sameStory(runDirA: string, runDirB: string): boolean {
  // Atlas sweeps write no logs (sweep without --logs): these two are regenerated from their manifests.
  ensureRunLogs(runDirA);
  ensureRunLogs(runDirB);
  const a = readFileSync(join(runDirA, 'events.jsonl'), 'utf8').trimEnd().split('\n');
  const b = readFileSync(join(runDirB, 'events.jsonl'), 'utf8').trimEnd().split('\n');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (normalised(a[i] as string) !== normalised(b[i] as string)) return false;
  return true;
}
