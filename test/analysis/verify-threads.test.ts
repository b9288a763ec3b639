import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokenLogError, checkLogs } from '../../analysis/check-logs.ts';
import { Analysis } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { VERIFY_WORKER_SCRIPT } from '../../analysis/verify-logs.ts';
import { DIST } from '../../scripts/build.mjs';
import { buildSweep, DAMAGEABLE } from './fixtures.ts';

/**
 * A copied sweep (a regulator's copy: new files, so no log is trusted from
 * its log-files.json) has every log verified in full, on worker threads
 * (analysis/verify-logs.ts). The answer must not depend on how many: the
 * same check (counts, broken logs in run order, statements), the same
 * error, the same tables, with one thread as with two.
 */
let root: string;
let sweep: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'missionbench-verify-threads-'));
  sweep = join(root, 'sweep');
  buildSweep(DAMAGEABLE.scenario, DAMAGEABLE.grid, [1, 2], sweep);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The sweep copied to `name` without its analysis; `damage` gets the copy's run folders in run order. */
function copied(name: string, damage?: (runs: string[]) => void): string {
  const copy = join(root, name);
  cpSync(sweep, copy, { recursive: true });
  rmSync(join(copy, 'analysis'), { recursive: true, force: true });
  damage?.(discoverRuns(copy).runs.map((run) => dirname(run.events_path)));
  return copy;
}

/** The copy ingested with `threads` verifying threads: the log check, and two tables of the analysis. */
async function analysed(copy: string, threads: number, allowBroken = false) {
  const { check } = await ingestAnalysis(discoverRuns(copy), viewDefinitions(), { verifyThreads: threads, allowBroken });
  const analysis = await Analysis.open(copy);
  try {
    return { check, load: await analysis.query('load'), revocation: await analysis.query('revocation_window') };
  } finally {
    analysis.close();
  }
}

/** One byte of a log's middle line changed; the last line of another dropped. */
function damageTwo(runs: string[]): void {
  const edited = join(runs[1] as string, 'events.jsonl');
  const bytes = readFileSync(edited);
  const middle = bytes.indexOf('"type":"', bytes.length >> 1) + 8;
  bytes[middle] = 0x5a;
  writeFileSync(edited, bytes);
  const cut = join(runs[3] as string, 'events.jsonl');
  const lines = readFileSync(cut, 'utf8').split('\n');
  writeFileSync(cut, `${lines.slice(0, -2).join('\n')}\n`);
}

describe('logs verified on worker threads', () => {
  it('run the worker built into dist/ (the sources name it; the built CLI resolves the same file, test/cli/dist-build)', () => {
    expect(fileURLToPath(VERIFY_WORKER_SCRIPT)).toBe(join(DIST, 'verify-worker.js'));
  });

  it('an error that is not about the log (a folder where the log should be) keeps its name and code on a worker', async () => {
    const copy = copied('folder-log');
    const input = discoverRuns(copy);
    const log = input.runs[1]?.events_path as string;
    rmSync(log);
    mkdirSync(log);
    const errors: Array<[string, unknown, string]> = [];
    for (const threads of [1, 2]) {
      const error = (await checkLogs(input, { threads }).catch((caught: Error) => caught)) as Error & { code?: unknown };
      errors.push([error.name, error.code, error.message]);
    }
    expect(errors[0]?.[1]).toBe('EISDIR');
    expect(errors[1]).toEqual(errors[0]);
  });

  it('a progress callback that throws rejects the check, on a worker as here (no uncaught exception)', async () => {
    const input = discoverRuns(copied('throwing-progress'));
    for (const threads of [1, 2]) {
      const error = await checkLogs(input, {
        threads,
        onProgress: () => {
          throw new Error('progress callback threw');
        },
      }).catch((caught: Error) => caught);
      expect((error as Error).message).toBe('progress callback threw');
    }
  });

  it('a clean copy: every log verified, the same check and tables with one thread and with two', async () => {
    const one = await analysed(copied('clean-1'), 1);
    const two = await analysed(copied('clean-2'), 2);
    expect(one.check).toMatchObject({ verified: 4, trusted: 0, broken: [] });
    expect(one.load.length).toBeGreaterThan(0);
    expect(two).toEqual(one);
  });

  it('a copy with two damaged logs: the same broken list, in run order, and the same refusal', async () => {
    const one = await analysed(copied('damaged-1', damageTwo), 1, true);
    const two = await analysed(copied('damaged-2', damageTwo), 2, true);
    const runIds = discoverRuns(sweep).runs.map((run) => run.run_id);
    expect(one.check.broken.map((broken) => [broken.run_id, broken.kind])).toEqual([
      [runIds[1], 'edited'],
      [runIds[3], 'truncated'],
    ]);
    expect(two).toEqual(one);
    const refusal = async (threads: number) =>
      ingestAnalysis(discoverRuns(copied(`refused-${threads}`, damageTwo)), viewDefinitions(), { verifyThreads: threads }).catch((error: Error) => error);
    const [refusedOne, refusedTwo] = [await refusal(1), await refusal(2)];
    expect(refusedOne).toBeInstanceOf(BrokenLogError);
    expect((refusedOne as Error).message).toContain(`run ${runIds[1]}:`);
    expect((refusedTwo as Error).message.replace('refused-2', 'refused-1')).toBe((refusedOne as Error).message);
  });

  it('logs that cannot be read at all: BrokenLogError for the first of them in run order, whatever the threads', async () => {
    const copy = copied('unreadable');
    const input = discoverRuns(copy);
    for (const run of input.runs.slice(2)) rmSync(run.events_path);
    const messages: string[] = [];
    for (const threads of [1, 2]) {
      const error = await checkLogs(input, { threads }).catch((caught: Error) => caught);
      expect(error).toBeInstanceOf(BrokenLogError);
      messages.push((error as Error).message);
    }
    expect(messages[0]).toBe(`${dirname(input.runs[2]?.events_path as string)} has no events.jsonl: it is not a run folder`);
    expect(messages[1]).toBe(messages[0]);
  });

  it('reports progress as each run is checked', async () => {
    const progress: Array<[number, number]> = [];
    const check = await checkLogs(discoverRuns(copied('progress')), { threads: 2, onProgress: (done, total) => progress.push([done, total]) });
    expect(check.verified).toBe(4);
    expect(progress).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
  });
});
