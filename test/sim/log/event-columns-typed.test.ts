import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import '../../../sim/events.ts'; // the whole event catalogue, as a run has it
import { EventColumnsSink } from '../../../sim/log/event-columns-sink.ts';
import { jobFields, type JobName } from '../../../sim/log/job-events.ts';
import { opFields } from '../../../sim/log/op-events.ts';
import { AuditLogWriter } from '../../../sim/log/writer.ts';

const root = mkdtempSync(join(tmpdir(), 'missionbench-typed-rows-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Text as a run may have it: ids, and now and then a character JSON escapes or that is not ASCII.
const text = fc.oneof(fc.constantFrom('crm', 'agent:a-1', 'read', 'jti-7', 'arrivals'), fc.string({ maxLength: 6 }), fc.constant('é"\\'));
const job = fc.record({ source: text, number: fc.nat(10_000) });
const event = fc.oneof(
  fc.record({ kind: fc.constant('arrive' as const), resource: text, job }),
  fc.record({ kind: fc.constant('start' as const), resource: text, job, us: fc.nat(10 ** 9) }),
  fc.record({ kind: fc.constant('done' as const), resource: text, job, us: fc.nat(10 ** 9) }),
  fc.record({
    kind: fc.constant('queued' as const),
    mission: fc.option(text, { nil: null }),
    resource: text,
    agent: text,
    op: text,
    jti: text,
    n: fc.nat(500),
  }),
  fc.record({ kind: fc.constant('started' as const), mission: fc.option(text, { nil: null }), resource: text, agent: text, op: text, jti: text }),
  fc.record({
    kind: fc.constant('executed' as const),
    mission: fc.option(text, { nil: null }),
    resource: text,
    agent: text,
    op: text,
    jti: text,
    irreversible: fc.boolean(),
  }),
);
type Event = typeof event extends fc.Arbitrary<infer E> ? E : never;

/** events.parquet written through the typed methods, or through emit with each event's field object. */
function write(events: readonly Event[], typed: boolean, name: string): Buffer {
  const dir = join(root, name);
  mkdirSync(dir);
  const sink = new EventColumnsSink(new AuditLogWriter(null), join(dir, 'events.parquet'), [['run', 'r']]);
  let t = 0;
  for (const e of events) {
    t += 7;
    const j = 'job' in e ? (e.job as JobName) : undefined;
    if (e.kind === 'arrive')
      typed
        ? sink.jobArrived(t, e.resource, j as JobName)
        : sink.emit(t, 'job.arrive', null, (j as JobName).source, jobFields.arrived(e.resource, j as JobName));
    else if (e.kind === 'start')
      typed ? sink.jobStarted(t, e.resource, j as JobName, e.us) : sink.emit(t, 'job.start', null, e.resource, jobFields.started(j as JobName, e.us));
    else if (e.kind === 'done')
      typed ? sink.jobFinished(t, e.resource, j as JobName, e.us) : sink.emit(t, 'job.done', null, e.resource, jobFields.finished(j as JobName, e.us));
    else if (e.kind === 'queued')
      typed
        ? sink.opQueued(t, e.mission, e.resource, e.agent, e.op, e.jti, e.n)
        : sink.emit(t, 'op.queued', e.mission, e.resource, opFields.queued(e.agent, e.op, e.jti, e.n));
    else if (e.kind === 'started')
      typed
        ? sink.opStarted(t, e.mission, e.resource, e.agent, e.op, e.jti)
        : sink.emit(t, 'op.started', e.mission, e.resource, opFields.started(e.agent, e.op, e.jti));
    else
      typed
        ? sink.opExecuted(t, e.mission, e.resource, e.agent, e.op, e.jti, e.irreversible)
        : sink.emit(t, 'op.executed', e.mission, e.resource, opFields.executed(e.agent, e.op, e.jti, e.irreversible));
  }
  sink.close();
  return readFileSync(join(dir, 'events.parquet'));
}

let files = 0;

describe("events.parquet's rows of the typed job and op events", () => {
  it('are the bytes the same events give through emit and their field objects', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 80 }), (events) => {
        const n = files++;
        expect(write(events, true, `typed-${n}`).equals(write(events, false, `fields-${n}`))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
