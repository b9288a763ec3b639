import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

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
  return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
}

export const SCENARIOS = new URL('../scenarios/', import.meta.url).pathname;
