import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { loadScenario } from '../sim/scenario/load.ts';
import { ScenarioError, type ScenarioProblem } from '../sim/scenario/problems.ts';

const made: string[] = [];

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'missionbench-test-'));
  made.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes a scenario file into a temp folder and returns its path. */
export function writeScenario(text: string, name = 'scenario.yaml'): string {
  const path = join(tempDir(), name);
  writeFileSync(path, text);
  return path;
}

export function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '');
}

export const SCENARIOS = new URL('../scenarios/', import.meta.url).pathname;

/** The problems loading this scenario text reports; fails the test if it loads. */
export function scenarioProblems(text: string, overrides: string[] = []): ScenarioProblem[] {
  try {
    loadScenario(writeScenario(text), overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

/**
 * A forger's edit: the lines from `from` on re-hashed and re-chained from
 * `events` (the parsed, edited lines), the lines before it kept as they are,
 * session-block signatures left as they were (so `verify` must catch them).
 */
export function rechain(lines: readonly string[], events: Record<string, unknown>[], from: number): string[] {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const out = lines.slice(0, from);
  for (let i = from; i < events.length; i++) {
    const { hash: _hash, ...rest } = events[i] as Record<string, unknown>;
    if (i > 0) rest.prev = (JSON.parse(out[i - 1] as string) as { hash: string }).hash;
    const body = JSON.stringify(rest);
    out.push(`${body.slice(0, -1)},"hash":"${sha256(body)}"}`);
  }
  return out;
}

/** One byte in the middle of a file changed in place (its bits inverted): the same inode and size, a new modification time. Twice puts it back. */
export function flipMiddleByte(file: string): void {
  const size = statSync(file).size;
  const middle = Math.floor(size / 2);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from([(readFileSync(file)[middle] as number) ^ 0xff]), 0, 1, middle);
  closeSync(fd);
}
