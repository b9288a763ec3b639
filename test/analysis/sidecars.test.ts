import { appendFileSync, closeSync, cpSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokenLogError } from '../../analysis/check-logs.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { EventColumnsSink } from '../../sim/log/event-columns-sink.ts';
import { AuditLogWriter } from '../../sim/log/writer.ts';
import { ParquetColumnsFile, type ColumnSpec } from '../../sim/log/parquet/columns-file.ts';
import { LOG_FILES_RECORD, writeLogFilesRecord } from '../../sim/log-files.ts';
import { SCENARIOS } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

const SIZING = join(SCENARIOS, 'token-lifetime-sizing.yaml');
const GRID = ['tokens.auth_ttl=2m,20m', 'topology.resources[ledger].revocation.mode=none,push'];

let root: string;
let instance: DuckDBInstance;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'missionbench-sidecars-'));
  instance = await DuckDBInstance.create();
});

afterAll(() => {
  instance?.closeSync();
  rmSync(root, { recursive: true, force: true });
});

async function rows(sql: string): Promise<unknown[][]> {
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowsJson() as unknown[][];
  } finally {
    connection.closeSync();
  }
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('the Parquet writer the simulator uses', () => {
  const SPECS: ColumnSpec[] = [
    { name: 'run_id', kind: 'string', constant: 'runs/a=1/seed=2' },
    { name: 'n', kind: 'int64' },
    { name: 's', kind: 'string' },
    { name: 'b', kind: 'bool' },
    { name: 'j', kind: 'json' },
  ];
  type Row = { n: number | null; s: string | null; b: boolean | null; j: unknown };
  const row = fc.record({
    n: fc.option(
      fc.maxSafeInteger().map((v) => v - Math.floor(Number.MAX_SAFE_INTEGER / 2)),
      { nil: null },
    ),
    s: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: null }),
    b: fc.option(fc.boolean(), { nil: null }),
    j: fc.option(fc.dictionary(fc.string({ maxLength: 5 }), fc.integer()), { nil: null }),
  });

  it('writes what DuckDB reads back exactly: integers to 2^53, any text, booleans, JSON, nulls, across row groups', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 60 }), fc.integer({ min: 1, max: 9 }), async (written: Row[], rowGroupRows) => {
        const path = join(root, `p${file++}.parquet`);
        const parquet = new ParquetColumnsFile(path, SPECS, rowGroupRows);
        for (const r of written) {
          if (r.n !== null) parquet.setInteger(1, r.n);
          if (r.s !== null) parquet.setText(2, r.s);
          if (r.b !== null) parquet.setBoolean(3, r.b);
          if (r.j !== null) parquet.setText(4, JSON.stringify(r.j));
          parquet.endRow();
        }
        parquet.close({ 'missionbench.test': 'yes' });
        const read = await rows(`SELECT run_id, n::VARCHAR, s, b, j::VARCHAR FROM read_parquet('${path}')`);
        expect(read).toEqual(written.map((r) => ['runs/a=1/seed=2', r.n === null ? null : String(r.n), r.s, r.b, r.j === null ? null : JSON.stringify(r.j)]));
      }),
      { numRuns: 40 },
    );
    const types = await rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${join(root, 'p0.parquet')}'))`);
    expect(types).toEqual([
      ['run_id', 'VARCHAR'],
      ['n', 'BIGINT'],
      ['s', 'VARCHAR'],
      ['b', 'BOOLEAN'],
      ['j', 'JSON'],
    ]);
  });

  it('drops events.parquet, and keeps the log whole, when an event has a value its column cannot hold', () => {
    const dir = mkdtempSync(join(root, 'drop-'));
    const sink = new EventColumnsSink(new AuditLogWriter(join(dir, 'events.jsonl')), join(dir, 'events.parquet'));
    sink.emit(0, 'run.started', null, 'missionbench', { agent: 'a' });
    sink.emit(5, 'agent.odd', null, 'x', { agent: 7 });
    expect(sink.close().events).toBe(2);
    expect(sink.droppedBecause).toBe('agent.odd.agent is 7, not string');
    expect(existsSync(join(dir, 'events.parquet'))).toBe(false);
    expect(readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });
});

describe('analysis from the Parquet files the sweep wrote', () => {
  let withFiles: string;
  let withoutFiles: string;

  beforeAll(() => {
    withFiles = join(root, 'with');
    withoutFiles = join(root, 'without');
    buildSweep(SIZING, GRID, [1, 2], withFiles);
    buildSweep(SIZING, GRID, [1, 2], withoutFiles, { sidecars: false });
  });

  it('the logs are the same whether or not the Parquet files are written, and the files are deterministic', () => {
    const again = join(root, 'again');
    buildSweep(SIZING, GRID, [1, 2], again);
    for (const run of discoverRuns(withFiles).runs) {
      expect(sha256(run.events_path)).toBe(sha256(join(withoutFiles, run.run_id, 'events.jsonl')));
      expect(sha256(run.events_parquet as string)).toBe(sha256(join(again, run.run_id, 'events.parquet')));
      expect(sha256(run.truth_parquet as string)).toBe(sha256(join(again, run.run_id, 'truth.parquet')));
    }
    rmSync(again, { recursive: true, force: true });
  });

  it('gives exactly the tables that parsing the logs gives', async () => {
    const taken = await ingestAnalysis(discoverRuns(withFiles), viewDefinitions());
    const parsed = await ingestAnalysis(discoverRuns(withoutFiles), viewDefinitions());
    expect(taken.from_parquet).toBe(8);
    // Every log is as the simulator closed it: known from log-files.json, none read again.
    expect(taken.logs_hashed).toBe(0);
    expect(parsed.from_parquet).toBe(0);
    expect(taken.events).toBe(parsed.events);
    for (const table of ['events', 'truth']) {
      const files = (dir: string) => `read_parquet('${dir}/analysis/parquet/${table}/**/*.parquet', hive_partitioning = false)`;
      const [[count]] = (await rows(`SELECT count(*)::DOUBLE FROM ${files(withFiles)}`)) as [[number]];
      expect(count).toBeGreaterThan(1000);
      // Every column, every value, in both directions (JSON compared as text).
      const difference = await rows(`
        SELECT count(*)::DOUBLE FROM ((SELECT * FROM ${files(withFiles)} EXCEPT ALL SELECT * FROM ${files(withoutFiles)})
        UNION ALL (SELECT * FROM ${files(withoutFiles)} EXCEPT ALL SELECT * FROM ${files(withFiles)}))`);
      expect(difference).toEqual([[0]]);
      const describe = (dir: string) => rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${files(dir)})`);
      expect(await describe(withFiles)).toEqual(await describe(withoutFiles));
    }
  });

  it('parses a log that no longer has its manifest fingerprint, and names a bad line in it', async () => {
    const copy = join(root, 'edited');
    cpSync(withFiles, copy, { recursive: true });
    rmSync(join(copy, 'analysis'), { recursive: true, force: true });
    const input = discoverRuns(copy);
    const edited = input.runs[1]!;
    appendFileSync(edited.events_path, '{"seq": 99999, "t": ');
    // Refused by the check first; with allowBroken, the parse names the bad line.
    await expect(ingestAnalysis(input, viewDefinitions())).rejects.toThrow(BrokenLogError);
    await expect(ingestAnalysis(input, viewDefinitions(), { allowBroken: true })).rejects.toThrow(
      `${edited.events_path}:${edited.events + 1}: expected one JSON object per line`,
    );
    expect(existsSync(join(copy, 'analysis'))).toBe(false);
  });

  it('verifies the event logs of a copied sweep (their files are new) and hashes its truth logs, and still takes every Parquet file', async () => {
    const copy = join(root, 'copied');
    cpSync(withFiles, copy, { recursive: true });
    rmSync(join(copy, 'analysis'), { recursive: true, force: true });
    const result = await ingestAnalysis(discoverRuns(copy), viewDefinitions());
    // events.jsonl: verified in full, which gives its last hash (the fingerprint); truth.jsonl: hashed.
    expect(result.check).toMatchObject({ verified: 8, trusted: 0 });
    expect(result.logs_hashed).toBe(8);
    expect(result.from_parquet).toBe(8);
  });

  it('parses a log edited in place, even when the edit keeps its size', async () => {
    const copy = join(root, 'edited-in-place');
    cpSync(withFiles, copy, { recursive: true });
    rmSync(join(copy, 'analysis'), { recursive: true, force: true });
    const input = discoverRuns(copy);
    // The copy's logs are new files: ingesting once rewrites nothing, so re-record them (and the Parquet files) as the simulator would.
    for (const run of input.runs) {
      writeLogFilesRecord(
        join(copy, run.run_id, LOG_FILES_RECORD),
        { 'events.jsonl': run.events_path, 'truth.jsonl': run.truth_path as string },
        { 'events.parquet': run.events_parquet as string, 'truth.parquet': run.truth_parquet as string },
      );
    }
    const edited = input.runs[3]!;
    // Past the file system's timestamp tick, so the edit gets a change time of its own (the documented limit).
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fd = openSync(edited.events_path, 'r+');
    const actor = readFileSync(edited.events_path, 'utf8').indexOf('"actor":"missionbench"') + '"actor":"missionbenc'.length;
    writeSync(fd, 'X', actor);
    closeSync(fd);
    await expect(ingestAnalysis(input, viewDefinitions())).rejects.toThrow(/seq \d+ \(line \d+\): edited/);
    const result = await ingestAnalysis(input, viewDefinitions(), { allowBroken: true });
    expect(result.check).toMatchObject({ verified: 0, trusted: 7, broken: [{ run_id: edited.run_id, kind: 'edited' }] });
    // The broken log has no verified last hash, so its Parquet file is not taken; nothing needed hashing.
    expect(result.logs_hashed).toBe(0);
    expect(result.from_parquet).toBe(7);
    const [[found]] = (await rows(
      `SELECT count(*)::DOUBLE FROM read_parquet('${copy}/analysis/parquet/events/**/*.parquet', hive_partitioning = false) WHERE actor = 'missionbencX' AND run_id = '${edited.run_id}'`,
    )) as [[number]];
    expect(found).toBe(1);
  });

  it('parses only the runs whose Parquet file is damaged', async () => {
    const copy = join(root, 'damaged');
    cpSync(withFiles, copy, { recursive: true });
    rmSync(join(copy, 'analysis'), { recursive: true, force: true });
    const input = discoverRuns(copy);
    const damaged = input.runs[2]!.events_parquet as string;
    writeFileSync(damaged, readFileSync(damaged).subarray(0, 1000));
    const result = await ingestAnalysis(input, viewDefinitions());
    expect(result.from_parquet).toBe(7);
    const [[events]] = (await rows(`SELECT count(*)::DOUBLE FROM read_parquet('${copy}/analysis/parquet/events/**/*.parquet', hive_partitioning = false)`)) as [
      [number],
    ];
    expect(events).toBe(result.events);
  });

  it('takes every Parquet file of a sweep without logs, checked against log-files.json, giving the same tables', async () => {
    const unlogged = join(root, 'unlogged');
    buildSweep(SIZING, GRID, [1, 2], unlogged, { logs: false });
    const input = discoverRuns(unlogged);
    expect(input.runs.every((run) => !run.logs_written && !existsSync(run.events_path))).toBe(true);
    const result = await ingestAnalysis(input, viewDefinitions());
    expect(result.from_parquet).toBe(8);
    expect(result.check).toMatchObject({ verified: 0, trusted: 0, unlogged: 8, regenerated: 0 });
    // Nothing regenerated: the sweep still has no logs.
    expect(input.runs.some((run) => existsSync(run.events_path))).toBe(false);
    for (const table of ['events', 'truth']) {
      const files = (dir: string) => `read_parquet('${dir}/analysis/parquet/${table}/**/*.parquet', hive_partitioning = false)`;
      const difference = await rows(`
        SELECT count(*)::DOUBLE FROM ((SELECT * FROM ${files(unlogged)} EXCEPT ALL SELECT * FROM ${files(withFiles)})
        UNION ALL (SELECT * FROM ${files(withFiles)} EXCEPT ALL SELECT * FROM ${files(unlogged)}))`);
      expect(difference).toEqual([[0]]);
    }
  });

  it('regenerates the logs of a run without logs whose Parquet file changed, and parses them', async () => {
    const unlogged = join(root, 'unlogged-damaged');
    buildSweep(SIZING, GRID, [1, 2], unlogged, { logs: false });
    const input = discoverRuns(unlogged);
    const damaged = input.runs[5]!;
    appendFileSync(damaged.events_parquet as string, 'x');
    const result = await ingestAnalysis(input, viewDefinitions());
    expect(result.check).toMatchObject({ verified: 1, unlogged: 7, regenerated: 1 });
    expect(result.from_parquet).toBe(7);
    expect(sha256(damaged.events_path)).toBe(sha256(join(withFiles, damaged.run_id, 'events.jsonl')));
    const [[events]] = (await rows(
      `SELECT count(*)::DOUBLE FROM read_parquet('${unlogged}/analysis/parquet/events/**/*.parquet', hive_partitioning = false)`,
    )) as [[number]];
    expect(events).toBe(result.events);
  });

  it('regenerates and parses the logs of runs without logs analysed as a folder of runs (their Parquet files name other run ids)', async () => {
    const unlogged = join(root, 'unlogged-collection');
    buildSweep(SIZING, GRID, [1], unlogged, { logs: false });
    const collection = join(root, 'unlogged-runs');
    cpSync(join(unlogged, 'runs'), collection, { recursive: true });
    const result = await ingestAnalysis(discoverRuns(collection), viewDefinitions());
    expect(result.from_parquet).toBe(0);
    expect(result.runs).toBe(4);
    expect(result.check).toMatchObject({ unlogged: 0, regenerated: 4 });
    for (const run of discoverRuns(collection).runs) expect(sha256(run.events_path)).toBe(sha256(join(withFiles, 'runs', run.run_id, 'events.jsonl')));
  });

  it('parses a run whose Parquet file was written for another analysis (a run id that does not match)', async () => {
    const copy = join(root, 'collection');
    cpSync(join(withFiles, 'runs'), copy, { recursive: true });
    // Analysed as a folder of runs, run ids are relative to `copy`, not to the sweep: the files do not fit.
    const result = await ingestAnalysis(discoverRuns(copy), viewDefinitions());
    expect(result.from_parquet).toBe(0);
    expect(result.runs).toBe(8);
  });
});
