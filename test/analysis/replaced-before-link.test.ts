import { copyFileSync, cpSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkLines } from '../../analysis/check-logs.ts';
import { ingestSummary } from '../../cli/analysis-summary.ts';
import { analyzeLoad, DAMAGEABLE, damageableSweeps } from './fixtures.ts';

// The ingest checks a run's Parquet file (log-files.json) and then hard-links it into the
// analysis: two steps. A file replaced between them must not be taken (takeSidecar compares
// the link with the identity taken before the check). The race is made deterministic here:
// node:fs's linkSync, which the ingest links with, is wrapped so that just before the link
// of one chosen file, that file is replaced (or removed) by a rename, as rsync or mv would.

/** What to do to a file just before the ingest links it (once), and whether it was done. */
const race = vi.hoisted(() => ({ file: '', change: undefined as ((file: string) => void) | undefined, done: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const linkSync: typeof real.linkSync = (existing, target) => {
    if (race.change !== undefined && String(existing) === race.file) {
      const change = race.change;
      race.change = undefined;
      change(race.file);
      race.done++;
    }
    real.linkSync(existing, target);
  };
  return { ...real, default: { ...real, linkSync }, linkSync };
});

const DAMAGED_RUN = DAMAGEABLE.damagedRun;
const OTHER_RUN = DAMAGEABLE.otherRun;
const REPLACED_LINE = `Parquet files not used, replaced or changed between their check and their link into the analysis: 1 (${DAMAGED_RUN}/events.parquet); that table was parsed from its run's logs instead`;
const REPLACED_CLAUSE = `; 1 table parsed from its run's logs: ${DAMAGED_RUN}/events.parquet changed between its check and its link into the analysis)`;

let root: string;
let logged: string;
let unlogged: string;
let expected: unknown;

beforeAll(async () => {
  ({ root, logged, unlogged } = damageableSweeps('missionbench-replaced-'));
  const reference = join(root, 'reference');
  cpSync(logged, reference, { recursive: true });
  const undamaged = await analyzeLoad(reference);
  expect(undamaged.ingest).toMatchObject({ ingested: true, from_parquet: 4, truth_from_parquet: 4 });
  expected = undamaged.load;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A fresh copy of `sweep`, analysed once with `change` done to the damaged run's events.parquet just before its link. */
async function analyzeRacing(sweep: string, name: string, change: (file: string) => void) {
  const copy = join(root, name);
  cpSync(sweep, copy, { recursive: true });
  const file = resolve(copy, DAMAGED_RUN, 'events.parquet');
  Object.assign(race, { file, change, done: 0 });
  try {
    const first = await analyzeLoad(copy);
    // The change was made, once, between the check and the link: the race this test is about took place.
    expect(race.done).toBe(1);
    return { copy, file, first };
  } finally {
    race.change = undefined;
  }
}

/** The file replaced by a byte-identical copy (rsync, cp + mv): a new inode, the same rows. */
function identicalCopy(file: string): void {
  copyFileSync(file, `${file}.new`);
  renameSync(`${file}.new`, file);
}

/** The file replaced by a copy of another run's events.parquet (its rows, its footer). */
function otherRunsFile(file: string): void {
  copyFileSync(join(file, '..', '..', '..', '..', OTHER_RUN, 'events.parquet'), `${file}.new`);
  renameSync(`${file}.new`, file);
}

/** The file moved away: nothing left at its name to link. */
function movedAway(file: string): void {
  renameSync(file, `${file}.aside`);
}

describe("a run's events.parquet replaced between its check and its link into the analysis", () => {
  const cases = [
    { swept: 'with --logs', sweep: () => logged, firstCheck: { regenerated: 0, broken: [] } },
    // A run without logs whose file is refused has its logs regenerated from its manifest, and is parsed from them.
    { swept: 'without --logs', sweep: () => unlogged, firstCheck: { regenerated: 1, unlogged: 3, broken: [] } },
  ];
  for (const { swept, sweep, firstCheck } of cases) {
    /** The first analysis: the file refused as replaced, that table parsed from the run's logs, the undamaged sweep's answer. */
    function expectRefusedAsReplaced(first: Awaited<ReturnType<typeof analyzeLoad>>): void {
      expect(first.ingest).toMatchObject({ ingested: true, from_parquet: 3, truth_from_parquet: 4 });
      expect(first.ingest.check.parquet_not_as_written).toEqual([[DAMAGED_RUN, 'events.parquet', 'replaced']]);
      expect(first.ingest.check).toMatchObject(firstCheck);
      expect(checkLines(first.ingest.check)).toContain(REPLACED_LINE);
      expect(ingestSummary(first.ingest)).toContain(REPLACED_CLAUSE);
      expect(first.load).toEqual(expected);
    }

    it(`swept ${swept}: by a byte-identical copy: refused as replaced; the next analyze finds the analysis stale and takes the copy (as written, by its SHA-256)`, async () => {
      const { copy, file, first } = await analyzeRacing(sweep(), `${swept}-identical`.replace(/\W+/g, '-'), identicalCopy);
      expectRefusedAsReplaced(first);
      // The link was removed again: the analysis holds no link to the file it did not check.
      expect(statSync(file).nlink).toBe(1);
      const second = await analyzeLoad(copy);
      expect(second.ingest).toMatchObject({ ingested: true, from_parquet: 4, truth_from_parquet: 4 });
      expect(second.ingest.check.parquet_not_as_written).toBeUndefined();
      expect(second.load).toEqual(expected);
      expect(statSync(file).nlink).toBe(2);
      const third = await analyzeLoad(copy);
      expect(third.ingest.ingested).toBe(false);
      expect(third.load).toEqual(expected);
    });

    it(`swept ${swept}: by another run's file: refused as replaced, and the answer is not that run's rows; the next analyze refuses it as not the file the run wrote`, async () => {
      const { copy, first } = await analyzeRacing(sweep(), `${swept}-other`.replace(/\W+/g, '-'), otherRunsFile);
      expectRefusedAsReplaced(first);
      const second = await analyzeLoad(copy);
      expect(second.ingest).toMatchObject({ ingested: true, from_parquet: 3 });
      expect(second.ingest.check.parquet_not_as_written).toEqual([[DAMAGED_RUN, 'events.parquet', 'differs']]);
      expect(second.load).toEqual(expected);
    });

    it(`swept ${swept}: moved away: refused as replaced rather than failing the ingest; the next analyze parses that run (no file to take)`, async () => {
      const { copy, file, first } = await analyzeRacing(sweep(), `${swept}-moved`.replace(/\W+/g, '-'), movedAway);
      expectRefusedAsReplaced(first);
      expect(existsSync(file)).toBe(false);
      const second = await analyzeLoad(copy);
      expect(second.ingest).toMatchObject({ ingested: true, from_parquet: 3 });
      expect(second.ingest.check.parquet_not_as_written).toBeUndefined();
      expect(second.load).toEqual(expected);
    });
  }
});
