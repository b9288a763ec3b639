import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir, writeScenario } from '../helpers.ts';

/** One line of a run's events.jsonl, parsed. */
export type Event = Record<string, unknown> & { type: string; t: number; actor: string; mission: string | null };

/** Runs a committed scenario with --set overrides (and a seed, if given) and returns its log lines. */
export function runEvents(name: string, overrides: string[], seed?: number): Event[] {
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, ...(seed === undefined ? {} : { seed }) });
  return readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event);
}

/** Runs a scenario given as YAML text (with a seed, if given) and returns its events.jsonl, byte for byte. */
export function runLog(text: string, seed?: number): Buffer {
  const dir = join(tempDir(), 'run');
  runScenario(loadScenario(writeScenario(text)), { outDir: dir, ...(seed === undefined ? {} : { seed }) });
  return readFileSync(join(dir, 'events.jsonl'));
}
