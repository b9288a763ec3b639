import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SWEEP_FILE } from '../sim/sweep/sweep-file.ts';

/**
 * For a command that reads one run: when `target` is a sweep folder rather
 * than a run, a sentence that says so and names its first run (in sorted
 * order) as an example; undefined for anything else.
 */
export function sweepFolderHint(target: string): string | undefined {
  if (!isDirectory(target) || !existsSync(join(target, SWEEP_FILE))) return undefined;
  const first = firstRun(join(target, 'runs'));
  return first === undefined
    ? `${target} is a sweep folder with no finished run yet; pick a run folder below ${join(target, 'runs')} once one is done`
    : `${target} is a sweep folder; pick a run, e.g. ${first}`;
}

/** The first folder below `dir`, depth first in name order, that holds a finished run (manifest.json). */
function firstRun(dir: string): string | undefined {
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  let entries: string[];
  try {
    entries = readdirSync(dir)
      .filter((name) => !name.startsWith('.'))
      .sort();
  } catch {
    return undefined;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (!isDirectory(path)) continue;
    const found = firstRun(path);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
