import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOG_FILES_RECORD, readLogFilesRecord, unchangedSinceRecorded } from '../../sim/log-files.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';

const root = mkdtempSync(join(tmpdir(), 'missionbench-run-log-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const SCENARIOS = new URL('../../scenarios/', import.meta.url).pathname;

describe("a swept run's log-files.json", () => {
  // A sweep run without --logs (log: 'hash') and one with them: both record their Parquet files by stat and SHA-256.
  for (const log of ['hash', 'write'] as const) {
    it(`records each Parquet file's SHA-256 as the file's bytes hash (log: ${log})`, () => {
      const outDir = join(root, log);
      // travel-booking has truth records, so truth.parquet has rows too.
      runScenario(loadScenario(join(SCENARIOS, 'travel-booking.yaml')), {
        outDir,
        log,
        columns: { events: [['run', 'r']], truth: [['run', 'r']] },
      });
      const record = readLogFilesRecord(join(outDir, LOG_FILES_RECORD));
      for (const name of ['events.parquet', 'truth.parquet']) {
        const path = join(outDir, name);
        expect(record.get(name)?.sha256).toBe(sha256Of(path));
        expect(unchangedSinceRecorded(record.get(name), path)).toBe(true);
      }
      expect([...record.keys()].sort()).toEqual(
        log === 'write' ? ['events.jsonl', 'events.parquet', 'truth.jsonl', 'truth.parquet'] : ['events.parquet', 'truth.parquet'],
      );
    });
  }
});
