import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../../../sim/log/json-bytes.ts';
import type { DecisionTruth, DisclosureTruth, OpTruth, TruthRecord } from '../../../sim/truth/records.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { DECISION_MEMBERS, encodeDecision, encodeOp, OP_MEMBERS } from '../../../sim/truth/truth-bytes.ts';
import { TruthLogWriter } from '../../../sim/truth/truth-log.ts';
import { tempDir } from '../../helpers.ts';

/**
 * The `op` and `decision` records are encoded member by member
 * (truth-bytes.ts); the contract is JSON.stringify's text of the record, in
 * UTF-8, for whatever strings and numbers the record holds.
 */

// Strings that reach every path: printable ASCII, the characters JSON escapes, non-ASCII, lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\n', '\u0000', '\u007f', 'é', '✓', '\ud800', '\udc00x', 'x\udbff', '😀', 'agent-12'),
);
const nullable = fc.option(text, { nil: null, freq: 2 });
// Every number JSON writes in its own way: -0 as 0, NaN and the infinities as null, 1e21 as 1e+21.
const number = fc.oneof(
  fc.nat(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e9 - 1, 1e9, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21, 1.5e-7, 5e-324, Number.NaN, Number.POSITIVE_INFINITY, -1),
);
// Integer-like keys come first in JSON.stringify's order, ascending; '01', '-1' and 2^32-1 are not array indices.
const argKey = fc.oneof(text, fc.nat().map(String), fc.constantFrom('0', '7', '10', '01', '-1', '1.5', '4294967294', '4294967295', '__proto__', 'amount'));
// Built with Object.fromEntries, so '__proto__' is an own key as JSON.stringify sees it.
// Often none: an op line with no args, stage or outside_reason ends in a literal of its own.
const args = fc.oneof(
  fc.constant({}),
  fc.array(fc.tuple(argKey, number), { maxLength: 8 }).map((entries) => Object.fromEntries(entries) as Record<string, number>),
);

const opRef = { resource: text, op: text, class: text, action: text, args, stage: nullable };

const op: fc.Arbitrary<OpTruth> = fc.record({
  kind: fc.constant('op' as const),
  t: number,
  event_seq: number,
  mission: nullable,
  agent: text,
  depth: number,
  ...opRef,
  intended: fc.boolean(),
  outside_reason: nullable,
  provable_from_log: fc.boolean(),
});

const decision: fc.Arbitrary<DecisionTruth> = fc.record({
  kind: fc.constant('decision' as const),
  t: number,
  event_seq: number,
  mission: nullable,
  request: text,
  agent: text,
  depth: number,
  decider: text,
  domain: text,
  model: text,
  ...opRef,
  allow: fc.boolean(),
  reason: text,
  intended: fc.boolean(),
});

const disclosure: fc.Arbitrary<DisclosureTruth> = fc.record({
  kind: fc.constant('disclosure' as const),
  t: fc.nat(),
  event_seq: fc.nat(),
  mission: nullable,
  from_domain: text,
  to_domain: text,
  what: fc.constantFrom('body' as const, 'projection' as const),
});

function encoded(record: OpTruth | DecisionTruth): Buffer {
  const out = new JsonBytes(Buffer.alloc(1 << 16));
  const done = record.kind === 'op' ? encodeOp(out, record) : encodeDecision(out, record);
  expect(done).toBe(true);
  expect(out.overflowed).toBe(false);
  return out.bytes.subarray(0, out.pos);
}

function writtenLines(records: readonly TruthRecord[]): string {
  const path = join(tempDir(), 'truth.jsonl');
  const writer = new TruthLogWriter(path);
  for (const record of records) writer.write(record);
  writer.close();
  return readFileSync(path, 'utf8');
}

const stringified = (records: readonly TruthRecord[]) => records.map((record) => `${JSON.stringify(record)}\n`).join('');

describe('truth records encoded member by member', () => {
  it('an op record: exactly the bytes of JSON.stringify in UTF-8', () => {
    fc.assert(
      fc.property(op, (record) => {
        expect(encoded(record).equals(Buffer.from(JSON.stringify(record), 'utf8'))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('a decision record: exactly the bytes of JSON.stringify in UTF-8', () => {
    fc.assert(
      fc.property(decision, (record) => {
        expect(encoded(record).equals(Buffer.from(JSON.stringify(record), 'utf8'))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('the truth file of any mix of records is their JSON.stringify lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(op, decision, disclosure), { maxLength: 30 }), (records) => {
        expect(writtenLines(records)).toBe(stringified(records));
      }),
      { numRuns: 200 },
    );
  });

  it('an argument that is not a number (outside its type) is still written as JSON.stringify writes it', () => {
    const base = fc.sample(op, { numRuns: 1, seed: 7 })[0] as OpTruth;
    const odd = [
      { ...base, args: { amount: '12' } as unknown as Record<string, number> },
      { ...base, args: { gone: undefined, kept: 1 } as unknown as Record<string, number> },
      { ...base, args: { nested: { n: 1 } } as unknown as Record<string, number> },
      // Keys JSON.stringify does not write: inherited, and own but not enumerable.
      { ...base, stage: null, outside_reason: null, args: Object.create({ inherited: 1 }) },
      { ...base, stage: null, outside_reason: null, args: Object.defineProperty({}, 'hidden', { value: 1, enumerable: false }) },
    ];
    expect(writtenLines(odd)).toBe(stringified(odd));
  });

  it('gives the same bytes when records cross chunk boundaries or do not fit in a chunk', () => {
    const [sample] = fc.sample(op, { numRuns: 1, seed: 3 }) as [OpTruth];
    const records: TruthRecord[] = [];
    for (let i = 0; i < 30_000; i++) {
      const agent = `agent-${i}${'é'.repeat(i % 37)}`;
      records.push(i % 3 ? { ...sample, t: i, event_seq: i, agent, args: { amount: i } } : { ...sample, kind: 'op', agent, args: {} });
    }
    // Longer than a chunk at worst (3 bytes per character) and in fact.
    records.splice(10_000, 0, { ...sample, agent: '✓'.repeat(400_000) });
    records.splice(20_000, 0, { ...sample, outside_reason: 'y'.repeat(2_000_000) });
    const got = writtenLines(records).split('\n');
    const want = stringified(records).split('\n');
    expect(got.length).toBe(want.length);
    expect(got.findIndex((line, i) => line !== want[i])).toBe(-1);
  });

  it('gives the same bytes whichever offset a record meets the chunk end at (the pieces after a failed check are not written)', () => {
    // Op records are encoded member by member from where the chunk's last record ended, with no room checked first;
    // after a short stringified record, one of them starts so near the chunk's end that the pieces following its
    // first failed check pass the end (a native copy or DataView store there threw). Each padding below met that
    // within its pairs (found by search on the code before the fix); the record is shorter than any the oracle writes.
    const op: OpTruth = {
      kind: 'op',
      t: 123_456_789,
      event_seq: 1_234_567,
      mission: 'm-1',
      agent: 'agent-1',
      depth: 1,
      resource: 'bank',
      op: 'pay',
      class: 'money',
      action: 'write',
      args: { amount: 5 },
      stage: null,
      intended: true,
      outside_reason: null,
      provable_from_log: false,
    };
    for (const pad of [0, 11, 16, 49]) {
      const short = { kind: 'attack', t: 1, reason: 'y'.repeat(pad) } as unknown as TruthRecord;
      const records: TruthRecord[] = [];
      for (let i = 0; i < 7_400; i++) records.push(short, op);
      expect(writtenLines(records)).toBe(stringified(records));
    }
  });

  it('every op and decision record of every committed scenario: its members in the encoders’ order, and the bytes of JSON.stringify', () => {
    // The property tests build records themselves; this holds the encoders to what the oracle and the world actually produce.
    const seen = { op: 0, decision: 0 };
    const mismatches: string[] = [];
    const write = TruthLogWriter.prototype.write;
    TruthLogWriter.prototype.write = function (this: TruthLogWriter, record: TruthRecord) {
      if (record.kind === 'op' || record.kind === 'decision') {
        seen[record.kind]++;
        const members = record.kind === 'op' ? OP_MEMBERS : DECISION_MEMBERS;
        const text = JSON.stringify(record);
        if (Object.keys(record).join() !== members.join() || !encoded(record).equals(Buffer.from(text, 'utf8'))) mismatches.push(text);
      }
      write.call(this, record);
    };
    try {
      const dir = join(import.meta.dirname, '../../../scenarios');
      for (const file of readdirSync(dir).filter((name) => name.endsWith('.yaml'))) {
        runScenario(loadScenario(join(dir, file)), { outDir: join(tempDir(), 'run'), log: 'hash' });
      }
    } finally {
      TruthLogWriter.prototype.write = write;
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    expect(seen.op).toBeGreaterThan(1000);
    expect(seen.decision).toBeGreaterThan(100);
  });
});
