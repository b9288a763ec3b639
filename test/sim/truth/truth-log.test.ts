import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisclosureTruth, MissionTruth, TruthRecord } from '../../../sim/truth/records.ts';
import { TRUTH_COLUMNS_FILE, TruthColumnsSink } from '../../../sim/truth/truth-columns-sink.ts';
import { TRUTH_COLUMNS } from '../../../sim/truth/truth-columns.ts';
import { TruthLogWriter } from '../../../sim/truth/truth-log.ts';
import { TestDuckDB } from '../log/parquet/duckdb.ts';

let root: string;
let duckdb: TestDuckDB;
let dirs = 0;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'missionbench-truth-'));
  duckdb = await TestDuckDB.open();
});

afterAll(() => {
  duckdb?.close();
  rmSync(root, { recursive: true, force: true });
});

const disclosure = (seq: number, what: 'body' | 'projection', mission: string | null): DisclosureTruth => ({
  kind: 'disclosure',
  t: seq * 1000,
  event_seq: seq,
  mission,
  from_domain: 'home',
  to_domain: 'bank',
  what,
});

const mission = (seq: number, description: string): MissionTruth => ({
  kind: 'mission',
  t: seq,
  event_seq: seq,
  mission: `m-${seq}`,
  agent: 'root',
  intent_source: 'declared',
  intent: { grants: [{ class: 'payments', actions: ['write'] }] },
  renderings: { description, scope: ['payments:write'], approved_tools: [], r3_granted: [], r3_per_call: [] },
});

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('TruthLogWriter', () => {
  it('writes one JSON line per record, in order, and returns the count and the SHA-256 of the file, also past its 1 MiB chunk', () => {
    const path = join(root, 'truth.jsonl');
    const writer = new TruthLogWriter(path);
    const records: TruthRecord[] = [];
    // Many records (several chunks), and one longer than a chunk by itself.
    for (let i = 0; i < 20_000; i++)
      records.push(i === 7_000 ? mission(i, 'é'.repeat(700_000)) : disclosure(i, i % 3 ? 'body' : 'projection', i % 5 ? `m-${i % 4}` : null));
    for (const record of records) writer.write(record);
    const closed = writer.close();
    expect(closed.records).toBe(records.length);
    expect(closed.sha256).toBe(sha256(path));
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual(records);
    expect(writer.close()).toEqual(closed); // closing again changes nothing
  });
});

describe('TruthColumnsSink', () => {
  it('any disclosure records: truth.jsonl as the writer alone gives it, and truth.parquet read back through DuckDB equal to the lines', async () => {
    const record = fc.record({
      seq: fc.nat(1_000_000),
      what: fc.constantFrom<'body' | 'projection'>('body', 'projection'),
      mission: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(record, { maxLength: 50 }), async (drawn) => {
        const dir = join(root, `sink-${dirs++}`);
        const alone = join(root, `alone-${dirs}.jsonl`);
        const records = drawn.map(({ seq, what, mission: m }) => disclosure(seq, what, m));
        mkdirSync(dir);
        const sink = new TruthColumnsSink(new TruthLogWriter(join(dir, 'truth.jsonl')), join(dir, TRUTH_COLUMNS_FILE), [['run_id', 'r-1']]);
        const plain = new TruthLogWriter(alone);
        for (const r of records) {
          sink.write(r);
          plain.write(r);
        }
        const closed = sink.close();
        expect(closed).toEqual(plain.close());
        expect(sha256(join(dir, 'truth.jsonl'))).toBe(closed.sha256);
        const read = await duckdb.rows(
          `SELECT run_id, kind, t::DOUBLE, event_seq::DOUBLE, mission, from_domain, to_domain, what, agent FROM read_parquet('${join(dir, TRUTH_COLUMNS_FILE)}')`,
        );
        expect(read).toEqual(records.map((r) => ['r-1', r.kind, r.t, r.event_seq, r.mission, r.from_domain, r.to_domain, r.what, null]));
      }),
      { numRuns: 30 },
    );
  });

  it('the Parquet file has every truth column with its type, the run id first', async () => {
    const dir = join(root, 'columns');
    mkdirSync(dir);
    const sink = new TruthColumnsSink(new TruthLogWriter(join(dir, 'truth.jsonl')), join(dir, TRUTH_COLUMNS_FILE), [['run_id', 'r']]);
    sink.write(mission(1, 'pay the invoice'));
    sink.close();
    const types = await duckdb.rows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${join(dir, TRUTH_COLUMNS_FILE)}'))`);
    expect(types).toEqual([['run_id', 'VARCHAR'], ...TRUTH_COLUMNS]);
    const [[intent]] = (await duckdb.rows(`SELECT intent::VARCHAR FROM read_parquet('${join(dir, TRUTH_COLUMNS_FILE)}')`)) as [[string]];
    expect(JSON.parse(intent)).toEqual(mission(1, '').intent);
    expect(existsSync(join(dir, 'truth.jsonl'))).toBe(true);
  });
});
