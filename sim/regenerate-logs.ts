import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { runScenario, type RunManifest } from './run.ts';
import { loadScenario } from './scenario/load.ts';
import { MISSIONBENCH_VERSION } from './version.ts';

/**
 * A sweep run without --logs has its manifest, its Parquet files and its
 * log's fingerprint, but no events.jsonl or truth.jsonl. Runs are
 * deterministic, so a command that needs the log writes it again from the
 * manifest (scenario file, seed, overrides, version) into the run folder,
 * and refuses when it cannot be the same log: another missionbench
 * version, a scenario file that changed (its SHA-256), or a regenerated
 * fingerprint or truth SHA-256 that differs from the manifest's.
 */
export class RegenerateError extends Error {
  override name = 'RegenerateError';
}

/** The run folder a command's target names (a folder, or its events.jsonl), if it is a run folder with a manifest. */
export function runFolderOf(target: string): string | undefined {
  const isDir = existsSync(target) && statSync(target).isDirectory();
  const folder = isDir ? target : basename(target) === 'events.jsonl' ? dirname(target) : undefined;
  return folder !== undefined && existsSync(join(folder, 'manifest.json')) ? folder : undefined;
}

/** True if the run folder's logs were not written (a sweep without --logs) and must be regenerated to be read. */
export function logsMissing(folder: string): boolean {
  return existsSync(join(folder, 'manifest.json')) && !existsSync(join(folder, 'events.jsonl'));
}

/**
 * Writes a run's events.jsonl and truth.jsonl again if they are missing,
 * and returns a one-line note saying so (undefined if they were there).
 * Each file is moved into the run folder whole (rename) only after the
 * regenerated run's fingerprint and truth SHA-256 matched the manifest's.
 */
export function ensureRunLogs(target: string): string | undefined {
  const folder = runFolderOf(target);
  if (folder === undefined || !logsMissing(folder)) return undefined;
  const manifest = readManifest(folder);
  const refuse = (why: string) => new RegenerateError(`cannot regenerate the log of ${folder} (swept without --logs): ${why}`);
  if (manifest.ingested !== undefined) throw refuse('it is an ingested log, which only its source can give again');
  if (manifest.missionbench_version !== MISSIONBENCH_VERSION) {
    throw refuse(`it was made by missionbench ${manifest.missionbench_version} and this is ${MISSIONBENCH_VERSION}: regenerate it with that version`);
  }
  const scenario = manifest.scenario;
  if (!existsSync(scenario.path)) throw refuse(`its scenario file ${scenario.path} no longer exists`);
  const sha256 = createHash('sha256').update(readFileSync(scenario.path)).digest('hex');
  if (sha256 !== scenario.sha256)
    throw refuse(`its scenario file ${scenario.path} changed since the run (SHA-256 ${sha256}, the manifest says ${scenario.sha256})`);
  const staging = join(folder, `.regenerate.partial-${process.pid}`);
  try {
    const again = runScenario(loadScenario(scenario.path, manifest.overrides), { seed: manifest.seed, outDir: staging });
    if (again.fingerprint !== manifest.fingerprint || again.events !== manifest.events) {
      throw refuse(
        `the regenerated log (${again.events} events, fingerprint ${again.fingerprint}) differs from the manifest's (${manifest.events} events, fingerprint ${manifest.fingerprint})`,
      );
    }
    if (manifest.truth !== undefined && again.truth.sha256 !== manifest.truth.sha256) {
      throw refuse(`the regenerated truth.jsonl's SHA-256 ${again.truth.sha256} differs from the manifest's ${manifest.truth.sha256}`);
    }
    // truth.jsonl first: a run folder with events.jsonl counts as having its logs.
    renameSync(join(staging, 'truth.jsonl'), join(folder, 'truth.jsonl'));
    renameSync(join(staging, 'events.jsonl'), join(folder, 'events.jsonl'));
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return `missionbench: ${folder} was swept without --logs: regenerated events.jsonl and truth.jsonl from its manifest (seed ${manifest.seed}${manifest.overrides.length > 0 ? `, ${manifest.overrides.join(' ')}` : ''}); fingerprint matches the manifest's`;
}

type Manifest = Pick<RunManifest, 'missionbench_version' | 'scenario' | 'seed' | 'overrides' | 'events' | 'fingerprint'> & {
  truth?: { sha256: string };
  ingested?: unknown;
};

function readManifest(folder: string): Manifest {
  const path = join(folder, 'manifest.json');
  let manifest: Partial<Manifest>;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
  } catch (error) {
    throw new RegenerateError(`${path}: not a valid manifest (${(error as Error).message})`);
  }
  if (manifest.ingested !== undefined) return manifest as Manifest;
  const complete =
    typeof manifest.missionbench_version === 'string' &&
    typeof manifest.scenario?.path === 'string' &&
    typeof manifest.scenario.sha256 === 'string' &&
    typeof manifest.seed === 'number' &&
    Array.isArray(manifest.overrides) &&
    typeof manifest.events === 'number' &&
    typeof manifest.fingerprint === 'string';
  if (!complete) throw new RegenerateError(`${path}: expected a run's manifest (version, scenario path and sha256, seed, overrides, events, fingerprint)`);
  return manifest as Manifest;
}
