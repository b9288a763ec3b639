import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestMatch } from './near-match.ts';
import { ScenarioError } from './problems.ts';

/**
 * Where a scenario named on the command line lives. A path that exists is
 * taken as it is; a bare name (`token-lifetime-sizing`, with or without
 * `.yaml`) is looked up in ./scenarios/ and then in missionbench's own
 * scenarios/ folder. Anything else is a problem that suggests the nearest
 * scenario by name, when one is close.
 */
export function findScenarioFile(file: string): string {
  if (existsSync(file)) return file;
  const bare = !file.includes('/') && !file.includes('\\');
  const names = extname(file) === '' ? [`${file}.yaml`, `${file}.yml`] : [file];
  if (bare) {
    for (const folder of scenarioFolders()) {
      for (const name of names) {
        const candidate = join(folder, name);
        if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
      }
    }
  }
  const near = nearestScenario(file, bare);
  const suggestion = near === undefined ? '' : ` (did you mean ${near}?)`;
  throw new ScenarioError([
    {
      file,
      line: 0,
      column: 0,
      path: '',
      expected: bare ? 'a scenario file, or the name of one in scenarios/' : 'a scenario file',
      found: `no such file${suggestion}`,
    },
  ]);
}

/** ./scenarios/ first (the user's own), then the one that ships with missionbench. */
function scenarioFolders(): string[] {
  const own = fileURLToPath(new URL('../../scenarios/', import.meta.url));
  const local = join(process.cwd(), 'scenarios');
  return local === own.replace(/\/$/, '') ? [local] : [local, own];
}

function nearestScenario(file: string, bare: boolean): string | undefined {
  const stem = (name: string) => basename(name, extname(name));
  const folders = bare ? [process.cwd(), ...scenarioFolders()] : [dirname(file)];
  const byStem = new Map<string, string>();
  for (const folder of folders) {
    for (const name of yamlFiles(folder)) {
      if (!byStem.has(stem(name))) byStem.set(stem(name), join(folder, name));
    }
  }
  const near = nearestMatch(stem(file), byStem.keys());
  if (near === undefined) return undefined;
  const path = byStem.get(near) as string;
  const shown = relative(process.cwd(), path);
  return shown.startsWith('..') ? path : shown;
}

function yamlFiles(folder: string): string[] {
  try {
    return readdirSync(folder)
      .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
      .sort();
  } catch {
    return [];
  }
}
