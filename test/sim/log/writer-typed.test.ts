import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JobName } from '../../../sim/log/job-events.ts';
import { AuditLogWriter } from '../../../sim/log/writer.ts';
import { tempDir } from '../../helpers.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/**
 * The job events' typed methods (job-events.ts) write their lines from the
 * arguments; the contract is the line emit writes for the field object.
 * Each case writes one log through the typed methods and one through emit
 * with the field objects spelled out here, and compares the files.
 */
type JobEvent =
  | ['arrive', t: number, resource: string, job: JobName]
  | ['start' | 'done', t: number, resource: string, job: JobName, micros: number]
  | ['other', t: number, type: string, actor: string, value: string];

function throughTypedMethods(writer: AuditLogWriter, event: JobEvent): void {
  if (event[0] === 'arrive') writer.jobArrived(event[1], event[2], event[3]);
  else if (event[0] === 'start') writer.jobStarted(event[1], event[2], event[3], event[4]);
  else if (event[0] === 'done') writer.jobFinished(event[1], event[2], event[3], event[4]);
  else if (event[0] === 'other') writer.emit(event[1], event[2], null, event[3], { job: event[4] });
}

/** The job's name as the log's contract spells it. */
function name(job: JobName): string {
  return `${job.source}#${job.number}`;
}

function throughEmit(writer: AuditLogWriter, event: JobEvent): void {
  if (event[0] === 'arrive') writer.emit(event[1], 'job.arrive', null, event[3].source, { resource: event[2], job: name(event[3]) });
  else if (event[0] === 'start') writer.emit(event[1], 'job.start', null, event[2], { job: name(event[3]), waited_us: event[4] });
  else if (event[0] === 'done') writer.emit(event[1], 'job.done', null, event[2], { job: name(event[3]), sojourn_us: event[4] });
  else if (event[0] === 'other') writer.emit(event[1], event[2], null, event[3], { job: event[4] });
}

function written(events: ReadonlyArray<JobEvent>, write: (writer: AuditLogWriter, event: JobEvent) => void): string {
  const path = join(tempDir(), 'events.jsonl');
  const writer = new AuditLogWriter(path);
  for (const event of events) write(writer, event);
  writer.close();
  return readFileSync(path, 'utf8');
}

// Strings that reach every path: printable ASCII, the characters JSON escapes, non-ASCII, lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\n', '\u0000', '\u007f', 'é', '✓', '\ud800', '\udc00x', '😀', 'arrivals#12', 'server'),
);
// A few actors, so that lines by the first actor of a type (its learned prefix) and by others both occur.
const actor = fc.oneof(fc.constantFrom('server', 'arrivals', 'other'), text);
const micros = fc.oneof(
  fc.nat(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 1e21, 1.5e-7, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.NaN, Number.NEGATIVE_INFINITY),
);
const job: fc.Arbitrary<JobName> = fc.record({ source: actor, number: fc.oneof(fc.nat(), micros) });
const time = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 53 - 1, 1.5, -3));
const event: fc.Arbitrary<JobEvent> = fc.oneof(
  fc.tuple(fc.constant('arrive' as const), time, text, job),
  fc.tuple(fc.constantFrom('start' as const, 'done' as const), time, actor, job, micros),
  fc.tuple(fc.constant('other' as const), time, fc.constantFrom('job.start', 'job.reject', 'op.queued'), actor, text),
);

describe('AuditLogWriter typed job events', () => {
  it('write the same bytes as emit with the field object, whatever the strings and numbers', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 25 }), (events) => {
        expect(written(events, throughTypedMethods)).toBe(written(events, throughEmit));
      }),
      { numRuns: 400 },
    );
  });

  it("write the same bytes when most lines repeat the strings of their type's first line (the lead, job-line-lead.ts)", () => {
    // One actor, source and resource for most lines (as in an mm1 run), others now and then, whatever their characters.
    const strings = fc.record({ resource: text, source: actor, long: fc.boolean() });
    const repeated = strings.chain(({ resource, source, long }) => {
      // A source long enough makes the lead too long to keep (MAX_JOB_LEAD_BYTES): every line then takes the general path.
      const usual = long ? `${source}${'x'.repeat(200)}` : source;
      const jobOf = fc.record({
        source: fc.oneof({ weight: 6, arbitrary: fc.constant(usual) }, { weight: 1, arbitrary: actor }),
        number: fc.oneof(fc.nat(), micros),
      });
      const at = fc.oneof({ weight: 6, arbitrary: fc.constant(resource) }, { weight: 1, arbitrary: text });
      const line: fc.Arbitrary<JobEvent> = fc.oneof(
        fc.tuple(fc.constant('arrive' as const), time, at, jobOf),
        fc.tuple(fc.constantFrom('start' as const, 'done' as const), time, at, jobOf, micros),
      );
      return fc.array(line, { maxLength: 30 });
    });
    fc.assert(
      fc.property(repeated, (events) => {
        expect(written(events, throughTypedMethods)).toBe(written(events, throughEmit));
      }),
      { numRuns: 300 },
    );
  });

  it('write the same bytes when lines cross chunk boundaries or do not fit in a chunk', () => {
    const events: JobEvent[] = [];
    for (let i = 0; i < 30_000; i++) {
      const job = { source: i % 3 === 0 ? `arrivals${'é'.repeat(i % 89)}` : 'arrivals', number: i };
      events.push(['arrive', i, 'server', job], ['start', i, 'server', job, i * 7], ['done', i + 1, 'server', job, i / 3]);
    }
    events.splice(20_000, 0, ['start', 20_000, 'server', { source: '✓'.repeat(2_000_000), number: 1 }, 1]);
    events.splice(40_000, 0, ['arrive', 40_000, 'server', { source: 'y'.repeat(5_000_000), number: 2 }]);
    const got = written(events, throughTypedMethods).split('\n');
    const want = written(events, throughEmit).split('\n');
    expect(got.length).toBe(want.length);
    expect(got.findIndex((line, i) => line !== want[i])).toBe(-1);
  });

  it('write the same bytes across chunk boundaries when the first lines are too long for a kept lead', () => {
    // The lead is kept only when the room checked at a line's start holds it (MAX_JOB_LEAD_BYTES).
    for (const repeat of [20, 40, 100]) {
      const events: JobEvent[] = [];
      for (let i = 0; i < 3_000; i++) {
        const job = { source: 'long'.repeat(repeat), number: i };
        events.push(['arrive', i, 'server', job], ['start', i, 'server', job, i * 7], ['done', i + 1, 'server', job, i / 3]);
      }
      const got = written(events, throughTypedMethods).split('\n');
      const want = written(events, throughEmit).split('\n');
      expect(got.findIndex((line, i) => line !== want[i])).toBe(-1);
    }
  });

  it('reach a sink without a typed path as emit with the catalogue fields', () => {
    const sink = new RecordingSink();
    const job = { source: 'arrivals', number: 0 };
    sink.jobArrived(1, 'server', job);
    sink.jobStarted(2, 'server', job, 1);
    sink.jobFinished(3, 'server', job, 5);
    expect(sink.events).toEqual([
      { t: 1, type: 'job.arrive', mission: null, actor: 'arrivals', fields: { resource: 'server', job: 'arrivals#0' } },
      { t: 2, type: 'job.start', mission: null, actor: 'server', fields: { job: 'arrivals#0', waited_us: 1 } },
      { t: 3, type: 'job.done', mission: null, actor: 'server', fields: { job: 'arrivals#0', sojourn_us: 5 } },
    ]);
  });
});
