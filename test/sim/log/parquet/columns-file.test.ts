import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParquetColumnsFile, type ColumnSpec } from '../../../../sim/log/parquet/columns-file.ts';
import { TestDuckDB } from './duckdb.ts';

let root: string;
let duckdb: TestDuckDB;
let files = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'missionbench-columns-file-'));
  duckdb = await TestDuckDB.open();
});

afterAll(() => {
  duckdb?.close();
  rmSync(root, { recursive: true, force: true });
});

const SPECS: ColumnSpec[] = [
  { name: 'n', kind: 'int64' },
  { name: 's', kind: 'string' },
  { name: 'b', kind: 'bool' },
];

type Row = { n: number | null; s: string | null; b: boolean | null };

/** The rows into `file`, each field that is not null. */
function setRows(file: ParquetColumnsFile, rows: readonly Row[]): void {
  for (const r of rows) {
    if (r.n !== null) file.setInteger(0, r.n);
    if (r.s !== null) file.setText(1, r.s);
    if (r.b !== null) file.setBoolean(2, r.b);
    file.endRow();
  }
}

function write(path: string, rows: readonly Row[], rowGroupRows: number): void {
  const file = new ParquetColumnsFile(path, SPECS, rowGroupRows);
  setRows(file, rows);
  file.close({});
}

async function readBack(path: string): Promise<unknown[][]> {
  return duckdb.rows(`SELECT n::VARCHAR, s, b FROM read_parquet('${path}')`);
}

const asRead = (rows: readonly Row[]) => rows.map((r) => [r.n === null ? null : String(r.n), r.s, r.b]);

describe('ParquetColumnsFile', () => {
  // The encodings' edges: dictionaries wider than 8 bits (> 256 distinct texts in a row group),
  // texts longer than the 64 KiB starting buffer, negative and 2^53-sized integers, booleans
  // across byte boundaries, and row groups cut at any size.
  it('round-trips through DuckDB at the encodings’ edges: wide dictionaries, long texts, extreme integers, any row-group size', async () => {
    const text = fc.oneof(
      { arbitrary: fc.nat(2000).map((i) => `actor-${i}`), weight: 12 }, // many distinct values: index widths past 8 bits
      { arbitrary: fc.constantFrom('', 'é', '日本', '\u{1F600}'), weight: 2 },
      { arbitrary: fc.nat(3).map((i) => `${'x'.repeat(70_000)}${i}`), weight: 1 }, // longer than the initial value buffer
    );
    const row = fc.record({
      n: fc.option(fc.oneof(fc.constantFrom(0, -1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 32, -(2 ** 32)), fc.maxSafeInteger()), { nil: null }),
      s: fc.option(text, { nil: null }),
      b: fc.option(fc.boolean(), { nil: null }),
    });
    let widest = 0;
    // One case always has a dictionary past 8-bit indices (300 distinct texts in one row group),
    // so the claim below does not depend on what the random cases happened to draw.
    const wide: Row[] = Array.from({ length: 300 }, (_, i) => ({ n: i, s: `actor-${i}`, b: i % 2 === 0 }));
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 700, size: 'max' }), fc.integer({ min: 1, max: 800 }), async (rows, rowGroupRows) => {
        const path = join(root, `edges-${files++}.parquet`);
        write(path, rows, rowGroupRows);
        expect(await readBack(path)).toEqual(asRead(rows));
        widest = Math.max(widest, new Set(rows.slice(0, rowGroupRows).map((r) => r.s)).size);
      }),
      { numRuns: 25, examples: [[wide, 800]] },
    );
    expect(widest).toBeGreaterThan(256); // some row group did need index widths past 8 bits
  });

  it('writes the same bytes for the same rows (deterministic)', () => {
    const rows: Row[] = Array.from({ length: 300 }, (_, i) => ({ n: i * 7 - 100, s: i % 3 === 0 ? null : `v${i % 11}`, b: i % 5 === 0 ? null : i % 2 === 0 }));
    write(join(root, 'a.parquet'), rows, 128);
    write(join(root, 'b.parquet'), rows, 128);
    expect(readFileSync(join(root, 'a.parquet')).equals(readFileSync(join(root, 'b.parquet')))).toBe(true);
  });

  it('writes a readable file with no rows', async () => {
    const path = join(root, 'empty.parquet');
    write(path, [], 16);
    expect(await duckdb.rows(`SELECT count(*)::DOUBLE FROM read_parquet('${path}')`)).toEqual([[0]]);
  });
});

describe('the SHA-256 a Parquet file is recorded with', () => {
  const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
  const row = fc.record({ n: fc.option(fc.integer(), { nil: null }), s: fc.option(fc.string(), { nil: null }), b: fc.option(fc.boolean(), { nil: null }) });

  it('is the hash of the bytes on disk, taken as they were written (no read back)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (rows, rowGroupRows) => {
        const path = join(root, `hashed-${files++}.parquet`);
        const file = new ParquetColumnsFile(path, SPECS, rowGroupRows);
        setRows(file, rows);
        expect(file.sha256).toBeUndefined(); // not before close
        file.close({ key: 'value' });
        expect(file.sha256).toBe(sha256Of(path));
      }),
      { numRuns: 40 },
    );
  });

  it('is undefined for a discarded file', () => {
    const path = join(root, `discarded-${files++}.parquet`);
    const file = new ParquetColumnsFile(path, SPECS, 4);
    file.setInteger(0, 1);
    file.endRow();
    file.discard();
    expect(existsSync(path)).toBe(false);
    expect(file.sha256).toBeUndefined();
  });
});
