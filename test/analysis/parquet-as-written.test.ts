import { cpSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLines } from '../../analysis/check-logs.ts';
import { Analysis } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { currentAnalysisCheck } from '../../analysis/ingested-record.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { sqlString } from '../../analysis/sql-literal.ts';
import { ingestSummary } from '../../cli/analysis-summary.ts';
import { flipMiddleByte } from '../helpers.ts';
import { analyzeLoad, DAMAGEABLE, damageableSweeps } from './fixtures.ts';

// A run's Parquet file is taken into an analysis only while it is the file the run wrote
// (log-files.json: its stat, or its SHA-256): a footer that names the right run and
// fingerprint says nothing about the rows under it.

const DAMAGED_RUN = DAMAGEABLE.damagedRun;
const OTHER_RUN = DAMAGEABLE.otherRun;

let root: string;
let logged: string;
let unlogged: string;
let expected: unknown;

beforeAll(async () => {
  ({ root, logged, unlogged } = damageableSweeps('missionbench-as-written-'));
  expected = await loadAnswer(join(root, 'reference'), logged);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A copy of `sweep` without its analysis, analysed: the `load` table, the metric the damage below changes. */
async function loadAnswer(copy: string, sweep: string, damage?: (run: string) => Promise<void> | void) {
  cpSync(sweep, copy, { recursive: true });
  rmSync(join(copy, 'analysis'), { recursive: true, force: true });
  await damage?.(join(copy, DAMAGED_RUN));
  const result = await ingestAnalysis(discoverRuns(copy), viewDefinitions());
  const analysis = await Analysis.open(copy);
  try {
    return { result, load: await analysis.query('load') };
  } finally {
    analysis.close();
  }
}

/** The token grants of one events.parquet, read directly: what the damage changes. */
async function grantsIn(parquet: string): Promise<number> {
  const instance = await DuckDBInstance.create();
  try {
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(`SELECT count(*)::DOUBLE FROM read_parquet(${sqlString(parquet)}) WHERE type = 'token.auth_granted'`);
    connection.closeSync();
    return (reader.getRowsJson() as [[number]])[0][0];
  } finally {
    instance.closeSync();
  }
}

/** One event type renamed in the file's dictionary page, in place: the same inode, size and footer, other rows. */
async function renameGrantsInPlace(run: string): Promise<void> {
  const parquet = join(run, 'events.parquet');
  const before = { size: statSync(parquet).size, grants: await grantsIn(parquet) };
  const bytes = readFileSync(parquet);
  const at = bytes.indexOf('token.auth_granted');
  expect(at).toBeGreaterThan(0);
  bytes.write('token.auth_grantex', at);
  writeFileSync(parquet, bytes);
  expect(statSync(parquet).size).toBe(before.size);
  // The file still reads, with fewer grants: taken, it would change the answer.
  expect(before.grants).toBeGreaterThan(0);
  expect(await grantsIn(parquet)).toBe(0);
}

/** Another run's rows written as this run's events.parquet, with this run's id and this file's footer (columns, fingerprint). */
async function replaceWithOtherRun(run: string): Promise<void> {
  const parquet = join(run, 'events.parquet');
  const other = join(run, '..', '..', '..', OTHER_RUN, 'events.parquet');
  const instance = await DuckDBInstance.create();
  try {
    const connection = await instance.connect();
    const metadata = (
      (await connection.runAndReadAll(`SELECT decode(key), decode(value) FROM parquet_kv_metadata(${sqlString(parquet)})`)).getRowsJson() as Array<
        [string, string]
      >
    )
      .map(([key, value]) => `${sqlString(key)}: ${sqlString(value)}`)
      .join(', ');
    const replacement = join(run, 'replacement.parquet');
    await connection.run(
      `COPY (SELECT * REPLACE (${sqlString(DAMAGED_RUN)} AS run_id) FROM read_parquet(${sqlString(other)})) TO ${sqlString(replacement)} (FORMAT parquet, KV_METADATA {${metadata}})`,
    );
    connection.closeSync();
    writeFileSync(parquet, readFileSync(replacement));
    rmSync(replacement);
  } finally {
    instance.closeSync();
  }
  expect(await grantsIn(parquet)).toBe(await grantsIn(other));
  expect(await grantsIn(parquet)).not.toBe(await grantsIn(join(logged, DAMAGED_RUN, 'events.parquet')));
}

describe("a run's Parquet file that is not the one the run wrote is not taken", () => {
  const cases = [
    { swept: 'with --logs', sweep: () => logged, regenerated: 0 },
    { swept: 'without --logs', sweep: () => unlogged, regenerated: 1 },
  ];
  const damages = [
    { what: 'changed in place (same size)', damage: renameGrantsInPlace },
    { what: "replaced by another run's rows under this run's footer", damage: replaceWithOtherRun },
  ];
  for (const { swept, sweep, regenerated } of cases) {
    for (const { what, damage } of damages) {
      it(`swept ${swept}: events.parquet ${what}: the run is parsed from its logs, and the answer is the undamaged sweep's`, async () => {
        const copy = join(root, `${swept}-${what}`.replace(/\W+/g, '-'));
        const { result, load } = await loadAnswer(copy, sweep(), damage);
        expect(result.from_parquet).toBe(3);
        expect(result.check.parquet_not_as_written).toEqual([[DAMAGED_RUN, 'events.parquet', 'differs']]);
        expect(result.check).toMatchObject({ regenerated, broken: [] });
        expect(checkLines(result.check).join('\n')).toContain(
          `not the files their runs wrote (neither stat nor SHA-256 matches log-files.json): 1 (${DAMAGED_RUN}/events.parquet); that table was parsed from its run's logs instead`,
        );
        expect(load).toEqual((expected as { load: unknown }).load);
      });
    }
  }

  it('a copied sweep (every file new, none changed) still takes every Parquet file, known by its SHA-256', async () => {
    const { result, load } = await loadAnswer(join(root, 'copied-unlogged'), unlogged);
    expect(result.from_parquet).toBe(4);
    expect(result.check.parquet_not_as_written).toBeUndefined();
    expect(result.check).toMatchObject({ unlogged: 4, regenerated: 0 });
    expect(load).toEqual((expected as { load: unknown }).load);
    expect((expected as { result: { from_parquet: number } }).result.from_parquet).toBe(4);
  });
});

describe('the summary and the check count the tables parsed from logs, not runs', () => {
  it("a refused truth.parquet alone: the run's events still come from events.parquet, only its truth is parsed from its logs, and both lines say so", async () => {
    const { result, load } = await loadAnswer(join(root, 'truth-refused'), logged, (run) => flipMiddleByte(join(run, 'truth.parquet')));
    expect(result).toMatchObject({ from_parquet: 4, truth_from_parquet: 3, truth_runs: 4 });
    expect(result.check.parquet_not_as_written).toEqual([[DAMAGED_RUN, 'truth.parquet', 'differs']]);
    // (The copy's logs are new files: hashed, and said so between the two.)
    expect(ingestSummary(result)).toContain("; 4 of 4 runs' events and 3 of 4 runs' truth from their Parquet files, ");
    expect(ingestSummary(result)).toContain(`; 1 table parsed from its run's logs: ${DAMAGED_RUN}/truth.parquet is not the file the run wrote)`);
    expect(checkLines(result.check)).toContain(
      `Parquet files not used, not the files their runs wrote (neither stat nor SHA-256 matches log-files.json): 1 (${DAMAGED_RUN}/truth.parquet); that table was parsed from its run's logs instead`,
    );
    expect(load).toEqual((expected as { load: unknown }).load);
    // As built, the analysis is current; recorded without the refusal's reason (as before reasons were kept), it
    // could not say why that table came from the logs, so it is stale and built again.
    const copy = join(root, 'truth-refused');
    expect(currentAnalysisCheck(discoverRuns(copy))?.parquet_not_as_written).toEqual([[DAMAGED_RUN, 'truth.parquet', 'differs']]);
    const record = join(copy, 'analysis', 'ingested.json');
    const ingested = JSON.parse(readFileSync(record, 'utf8'));
    ingested.check.parquet_not_as_written = [[DAMAGED_RUN, 'truth.parquet']];
    writeFileSync(record, `${JSON.stringify(ingested)}\n`);
    expect(currentAnalysisCheck(discoverRuns(copy))).toBeUndefined();
  });

  it('two refused files of two runs: two tables, in both lines', async () => {
    const { result, load } = await loadAnswer(join(root, 'two-refused'), logged, (run) => {
      flipMiddleByte(join(run, 'events.parquet'));
      flipMiddleByte(join(run, '..', '..', '..', OTHER_RUN, 'truth.parquet'));
    });
    expect(result).toMatchObject({ from_parquet: 3, truth_from_parquet: 3 });
    expect(ingestSummary(result)).toContain("; 3 of 4 runs' events and 3 of 4 runs' truth from their Parquet files, ");
    expect(ingestSummary(result)).toContain("; 2 tables parsed from their runs' logs: 2 Parquet files are not the files their runs wrote)");
    expect(checkLines(result.check)).toContain(
      `Parquet files not used, not the files their runs wrote (neither stat nor SHA-256 matches log-files.json): 2 (${OTHER_RUN}/truth.parquet, ${DAMAGED_RUN}/events.parquet); those 2 tables were parsed from their runs' logs instead`,
    );
    expect(load).toEqual((expected as { load: unknown }).load);
  });
});

describe('a sweep whose log-files.json files are gone', () => {
  it('takes no Parquet file, says there is no record to check them against (not that they differ), and answers as the intact sweep', async () => {
    const { result, load } = await loadAnswer(join(root, 'no-record'), logged, (run) => {
      const runs = join(run, '..', '..');
      for (const design of readdirSync(runs)) for (const seed of readdirSync(join(runs, design))) rmSync(join(runs, design, seed, 'log-files.json'));
    });
    expect(result).toMatchObject({ from_parquet: 0, truth_from_parquet: 0 });
    expect(result.check.parquet_not_as_written).toHaveLength(8);
    expect(result.check.parquet_not_as_written?.every(([, , reason]) => reason === 'unrecorded')).toBe(true);
    const lines = checkLines(result.check).join('\n');
    expect(lines).toContain('Parquet files not used, no record in log-files.json to check them against: 8 (');
    expect(lines).toContain("those 8 tables were parsed from their runs' logs instead");
    expect(lines).not.toContain('neither stat nor SHA-256 matches');
    expect(ingestSummary(result)).toContain("8 tables parsed from their runs' logs: 8 Parquet files have no record in log-files.json to check them against)");
    expect(load).toEqual((expected as { load: unknown }).load);
  });
});

describe('a reused analysis of a sweep with --logs checks the Parquet files it took in', () => {
  it('is reused while nothing changed, though the ingest hard-linked every Parquet file (their change time and link count moved)', async () => {
    const copy = join(root, 'logged-reused');
    cpSync(logged, copy, { recursive: true });
    rmSync(join(copy, 'analysis'), { recursive: true, force: true });
    const first = await analyzeLoad(copy);
    expect(first.ingest).toMatchObject({ ingested: true, from_parquet: 4 });
    expect(statSync(join(copy, DAMAGED_RUN, 'events.parquet')).nlink).toBe(2);
    const second = await analyzeLoad(copy);
    expect(second.ingest.ingested).toBe(false);
    expect(second.load).toEqual((expected as { load: unknown }).load);
  });

  it("an events.parquet changed in place after the analysis took it makes it stale: that run is parsed from its logs, the answer is the undamaged sweep's, and then it is reused", async () => {
    const copy = join(root, 'logged-changed-after');
    cpSync(logged, copy, { recursive: true });
    rmSync(join(copy, 'analysis'), { recursive: true, force: true });
    expect((await analyzeLoad(copy)).ingest).toMatchObject({ ingested: true, from_parquet: 4 });
    // The analysis's hard link is this very file: reused, it would answer from the changed rows.
    await renameGrantsInPlace(join(copy, DAMAGED_RUN));
    const stale = await analyzeLoad(copy);
    expect(stale.ingest).toMatchObject({ ingested: true, from_parquet: 3 });
    expect(stale.ingest.check.parquet_not_as_written).toEqual([[DAMAGED_RUN, 'events.parquet', 'differs']]);
    expect(stale.load).toEqual((expected as { load: unknown }).load);
    // The changed file was not taken, so it is not recorded: the next call reuses the analysis.
    const again = await analyzeLoad(copy);
    expect(again.ingest.ingested).toBe(false);
    expect(again.load).toEqual((expected as { load: unknown }).load);
  });
});
