import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIDECAR_METADATA, TypedRows } from '../../../../sim/log/parquet/typed-rows.ts';
import { TestDuckDB } from './duckdb.ts';

let root: string;
let duckdb: TestDuckDB;
let files = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'missionbench-typed-rows-'));
  duckdb = await TestDuckDB.open();
});

afterAll(() => {
  duckdb?.close();
  rmSync(root, { recursive: true, force: true });
});

const COLUMNS: Array<[string, string]> = [
  ['n', 'BIGINT'],
  ['s', 'VARCHAR'],
  ['b', 'BOOLEAN'],
  ['j', 'JSON'],
];

// A record as an actor would emit it: any subset of the fields, others ignored, nulls and undefined left null.
const record = fc.record(
  {
    n: fc.oneof(fc.maxSafeInteger(), fc.integer({ min: -5, max: 5 }), fc.constant(null)),
    s: fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('mission-1', 'mission-2'), fc.constant(undefined)),
    b: fc.option(fc.boolean(), { nil: null }),
    j: fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).filter((v) => v !== null),
      fc.constant(undefined),
    ),
    ignored: fc.string(),
  },
  { requiredKeys: [] },
);

function expectedRow(r: Record<string, unknown>): unknown[] {
  const nullable = (v: unknown) => (v === undefined || v === null ? null : v);
  return [
    'run-7',
    r.n === undefined || r.n === null ? null : String(r.n),
    nullable(r.s),
    nullable(r.b),
    r.j === undefined || r.j === null ? null : JSON.stringify(r.j),
  ];
}

describe('TypedRows', () => {
  it('any records, written by name with their DuckDB types, read back through DuckDB equal (constants first)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 80, size: 'medium' }), async (records) => {
        const path = join(root, `rows-${files++}.parquet`);
        const rows = new TypedRows(path, COLUMNS, [['run_id', 'run-7']]);
        for (const r of records) {
          rows.setFields(r, 'test');
          rows.endRow();
        }
        expect(rows.close('f'.repeat(64))).toBe(true);
        // JSON is compared as the text the writer stored (DuckDB's JSON type keeps it verbatim).
        const read = await duckdb.rows(`SELECT run_id, n::VARCHAR, s, b, j::VARCHAR FROM read_parquet('${path}')`);
        expect(read).toEqual(records.map(expectedRow));
      }),
      { numRuns: 50 },
    );
  });

  it('declares its columns, constants and source hash in the footer, with the DuckDB types it was given', async () => {
    const path = join(root, 'footer.parquet');
    const rows = new TypedRows(path, COLUMNS, [
      ['run_id', 'r'],
      ['grid', 'ttl=2m'],
    ]);
    rows.setFields({ n: 1 }, 'x');
    rows.endRow();
    rows.close('a'.repeat(64));
    const metadata = Object.fromEntries(
      (await duckdb.rows(`SELECT decode(key), decode(value) FROM parquet_kv_metadata('${path}')`)) as Array<[string, string]>,
    );
    expect(JSON.parse(metadata[SIDECAR_METADATA.columns] as string)).toEqual([['run_id', 'VARCHAR'], ['grid', 'VARCHAR'], ...COLUMNS]);
    expect(JSON.parse(metadata[SIDECAR_METADATA.constants] as string)).toEqual({ run_id: 'r', grid: 'ttl=2m' });
    expect(metadata[SIDECAR_METADATA.sha256]).toBe('a'.repeat(64));
    const types = await duckdb.rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path}'))`);
    expect(types).toEqual([['run_id', 'VARCHAR'], ['grid', 'VARCHAR'], ...COLUMNS]);
  });

  it('drops the file, never writes it wrong, when a value does not fit its column (and says which)', () => {
    const path = join(root, 'unfit.parquet');
    const rows = new TypedRows(path, COLUMNS, []);
    rows.setFields({ n: 3, s: 'ok' }, 'job.done');
    rows.endRow();
    rows.setFields({ n: 1.5 }, 'job.odd');
    rows.endRow();
    expect(rows.droppedBecause).toBe('job.odd.n is 1.5, not int64');
    expect(rows.close('0'.repeat(64))).toBe(false);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a column type it cannot store, and an unknown column name', () => {
    expect(() => new TypedRows(join(root, 'bad-type.parquet'), [['x', 'DOUBLE']], [])).toThrow(/DOUBLE; a sidecar holds only BIGINT, VARCHAR, JSON, BOOLEAN/);
    const rows = new TypedRows(join(root, 'names.parquet'), COLUMNS, [['run_id', 'r']]);
    expect(rows.indexOf('s')).toBe(2); // after the one constant
    expect(() => rows.indexOf('nope')).toThrow('no column nope');
    rows.close('0'.repeat(64));
  });
});
