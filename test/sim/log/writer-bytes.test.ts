import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditLogWriter, GENESIS_HASH } from '../../../sim/log/writer.ts';
import { tempDir } from '../../helpers.ts';

/**
 * The writer builds lines byte by byte in its chunk (json-bytes.ts); the
 * contract is the line as JSON.stringify and template literals give it.
 * This is that contract, written the plain way, to compare against.
 */
function referenceLog(events: ReadonlyArray<Event>): string {
  let prev = GENESIS_HASH;
  let text = '';
  events.forEach(([t, type, mission, actor, fields], seq) => {
    let body = `{"seq":${seq},"t":${t},"type":${JSON.stringify(type)},"mission":${mission === null ? 'null' : JSON.stringify(mission)},"actor":${JSON.stringify(actor)}`;
    if (fields !== undefined) {
      const json = JSON.stringify(fields);
      if (json.length > 2) body += `,${json.slice(1, -1)}`;
    }
    body += `,"prev":"${prev}"}`;
    prev = createHash('sha256').update(body, 'utf8').digest('hex');
    text += `${body.slice(0, -1)},"hash":"${prev}"}\n`;
  });
  return text;
}

type Event = [t: number, type: string, mission: string | null, actor: string, fields: Record<string, unknown> | undefined];

function written(events: ReadonlyArray<Event>): string {
  const path = join(tempDir(), 'events.jsonl');
  const writer = new AuditLogWriter(path);
  for (const [t, type, mission, actor, fields] of events) writer.emit(t, type, mission, actor, fields);
  writer.close();
  return readFileSync(path, 'utf8');
}

// Strings that reach every path: printable ASCII, the characters JSON escapes, non-ASCII, lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\n', '\u0000', '\u007f', 'é', '✓', '\ud800', '\udc00x', '😀', 'arrivals#12'),
);
const value = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1e21, 1.5e-7, Number.NaN, Number.POSITIVE_INFINITY, -1),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(() => 1),
  fc.jsonValue(),
  fc.date({ noInvalidDate: true }),
);
const event: fc.Arbitrary<Event> = fc.tuple(
  fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 53 - 1, 1.5, -3)),
  text,
  fc.option(text),
  text,
  fc.option(fc.dictionary(fc.oneof(text, fc.constantFrom('10', '2', 'job', 'waited_us')), value), { nil: undefined }),
);

describe('AuditLogWriter bytes', () => {
  it('writes every line exactly as JSON.stringify and UTF-8 would, whatever the strings and values', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        expect(written(events)).toBe(referenceLog(events));
      }),
      { numRuns: 300 },
    );
  });

  it('writes the same bytes when events of one type differ in their fields (the writer learns each type from its first event)', () => {
    // Few types and few names, so the same type comes back with other names, other orders, missing and extra names.
    const name = fc.constantFrom('job', 'waited_us', 'resource', 'reason', '7', 'é');
    const fields = fc.option(fc.dictionary(name, value), { nil: undefined });
    const sameTypes = fc.tuple(fc.nat(), fc.constantFrom('job.start', 'job.done', 'op.queued'), fc.option(text), text, fields);
    fc.assert(
      fc.property(fc.array(sameTypes, { maxLength: 30 }), (events) => {
        expect(written(events)).toBe(referenceLog(events));
      }),
      { numRuns: 300 },
    );
  });

  it('writes fields of class instances and toJSON methods as JSON.stringify does', () => {
    class Fields {
      constructor(readonly job: string) {}
      get hidden(): number {
        return 1;
      }
    }
    const events: Event[] = [
      [1, 'a', null, 'x', new Fields('j') as unknown as Record<string, unknown>],
      [2, 'b', 'm', 'x', { toJSON: () => ({ swapped: true }) }],
      [3, 'c', 'm', 'x', { when: new Date(0), nested: { toJSON: (key: string) => key } }],
    ];
    expect(written(events)).toBe(referenceLog(events));
  });

  it('gives the same bytes for lines of many number and boolean fields that meet a chunk end (the pieces after a failed check are not written)', () => {
    // After a member name does not fit, the values after it still go on (unchecked) until the line is started again:
    // with enough of them they pass the chunk's end, where a native copy or a DataView store would throw.
    for (const count of [20, 35, 59, 90]) {
      const events: Event[] = [];
      for (let i = 0; i < 2_000; i++) {
        const fields: Record<string, unknown> = {};
        for (let k = 0; k < count; k++) fields[`k${k}`] = k % 3 === 2 ? k % 2 === 0 : 1_234_567_890_123_456 + i;
        events.push([i, 'many', i % 5 === 0 ? null : 'm', 'a', fields]);
      }
      const got = written(events).split('\n');
      const want = referenceLog(events).split('\n');
      expect(got.length).toBe(want.length);
      expect(got.findIndex((line, i) => line !== want[i])).toBe(-1);
    }
  });

  it('gives the same bytes when lines cross chunk boundaries or do not fit in a chunk', () => {
    const events: Event[] = [];
    for (let i = 0; i < 40_000; i++) events.push([i, 'tick', null, 'clock', { padding: 'é'.repeat(i % 97), n: i }]);
    events.splice(20_000, 0, [20_000, 'huge', 'm', 'a', { body: '✓'.repeat(2_000_000) }]);
    events.splice(30_000, 0, [30_000, 'huge', 'm', 'a', { body: 'y'.repeat(5_000_000) }]);
    // Compared line by line: a diff of the whole 10 MB would drown the failure.
    const got = written(events).split('\n');
    const want = referenceLog(events).split('\n');
    expect(got.length).toBe(want.length);
    const firstDifference = got.findIndex((line, i) => line !== want[i]);
    expect(firstDifference).toBe(-1);
  });
});
