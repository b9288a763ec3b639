import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionBlockRoot, SessionBlockTracker } from '../../../sim/log/session-block.ts';
import { AuditLogWriter } from '../../../sim/log/writer.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { tempDir } from '../../helpers.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/**
 * The op events' typed methods (op-events.ts) write their lines from the
 * arguments, and the writer adds the last line's hash to a session block
 * from its chunk (lastHashInto); the contract is the line emit writes for
 * the field object, and the root `add(lastHash)` gives. Each case writes
 * one log through the typed path and one through emit with the field
 * objects spelled out here, following every mission's block both ways, and
 * compares the files and the roots.
 */
type OpEvent =
  | ['queued', t: number, mission: string | null, actor: string, agent: string, op: string, jti: string, queueLength: number]
  | ['started', t: number, mission: string | null, actor: string, agent: string, op: string, jti: string]
  | ['executed', t: number, mission: string | null, actor: string, agent: string, op: string, jti: string, irreversible: boolean]
  | ['other', t: number, mission: string | null, actor: string, type: string, value: string];

function throughTypedMethods(writer: AuditLogWriter, event: OpEvent): void {
  if (event[0] === 'queued') writer.opQueued(event[1], event[2], event[3], event[4], event[5], event[6], event[7]);
  else if (event[0] === 'started') writer.opStarted(event[1], event[2], event[3], event[4], event[5], event[6]);
  else if (event[0] === 'executed') writer.opExecuted(event[1], event[2], event[3], event[4], event[5], event[6], event[7]);
  else writer.emit(event[1], event[4], event[2], event[3], { agent: event[5] });
}

function throughEmit(writer: AuditLogWriter, event: OpEvent): void {
  const [kind, t, mission, actor] = event;
  if (kind === 'queued') writer.emit(t, 'op.queued', mission, actor, { agent: event[4], op: event[5], jti: event[6], queue_length: event[7] });
  else if (kind === 'started') writer.emit(t, 'op.started', mission, actor, { agent: event[4], op: event[5], jti: event[6] });
  else if (kind === 'executed') writer.emit(t, 'op.executed', mission, actor, { agent: event[4], op: event[5], jti: event[6], irreversible: event[7] });
  else writer.emit(t, event[4], mission, actor, { agent: event[5] });
}

interface Written {
  log: string;
  /** Each mission's block, closed after the last event. */
  roots: Array<[mission: string, count: number, root: string]>;
}

/**
 * Writes the events, following each mission's block as the world does:
 * `typed` through the typed methods and the writer's own copy of the hash,
 * else through emit and `add(lastHash)`. Blocks are closed every
 * `closeEvery` events too, so that closed blocks open again.
 */
function written(events: ReadonlyArray<OpEvent>, typed: boolean, closeEvery = 7): Written {
  const path = join(tempDir(), 'events.jsonl');
  const writer = new AuditLogWriter(path);
  const tracker = new SessionBlockTracker();
  const roots: Written['roots'] = [];
  const missions = new Set<string>();
  events.forEach((event, i) => {
    const mission = event[2];
    if (typed) {
      throughTypedMethods(writer, event);
      if (mission !== null) tracker.observeLast(tracker.block(mission), writer);
    } else {
      throughEmit(writer, event);
      tracker.observe(mission, writer.lastHash);
    }
    if (mission !== null) missions.add(mission);
    if (mission !== null && i % closeEvery === closeEvery - 1) {
      const { count, root } = tracker.close(mission);
      roots.push([mission, count, root]);
    }
  });
  for (const mission of missions) {
    const { count, root } = tracker.close(mission);
    roots.push([mission, count, root]);
  }
  writer.close();
  return { log: readFileSync(path, 'utf8'), roots };
}

// Strings that reach every path: printable ASCII, the characters JSON escapes, non-ASCII, lone surrogates.
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '"', '\\', '\n', '\u0000', '\u007f', 'é', '✓', '\ud800', '\udc00x', '😀', 'agent:a', 'read'),
);
// A few missions and actors, so that lines by the first mission and actor of a type (its learned prefix) and others both occur.
const mission = fc.oneof(fc.constantFrom(null, 'm-1', 'm-2'), text);
const actor = fc.oneof(fc.constantFrom('resource:files', 'resource:mail'), text);
const number = fc.oneof(
  fc.nat(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, -1, 0.5, 1e21, 1.5e-7, 2 ** 53, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.NaN, Number.NEGATIVE_INFINITY),
);
const time = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 53 - 1, 1.5, -3));
const event: fc.Arbitrary<OpEvent> = fc.oneof(
  fc.tuple(fc.constant('queued' as const), time, mission, actor, text, text, text, number),
  fc.tuple(fc.constant('started' as const), time, mission, actor, text, text, text),
  fc.tuple(fc.constant('executed' as const), time, mission, actor, text, text, text, fc.boolean()),
  fc.tuple(fc.constant('other' as const), time, mission, actor, fc.constantFrom('op.started', 'op.recalled', 'request.rejected'), text),
);

/**
 * Events where an op event often has the mission, actor, agent, op and
 * jti of the last op event with a mission (not always the line just before) (as op.queued and op.started of one operation
 * do, and the writer then copies the previous line's middle).
 */
const events: fc.Arbitrary<OpEvent[]> = fc.array(fc.tuple(event, fc.boolean(), fc.integer({ min: 2, max: 12 })), { maxLength: 25 }).map((drawn) => {
  const out: OpEvent[] = [];
  for (const [next, repeat, differs] of drawn) {
    // The last op event with a mission: other lines, and op lines without a mission, may come between it and the repeat.
    const before = [...out].reverse().find((earlier) => earlier[0] !== 'other' && earlier[2] !== null);
    if (repeat && before !== undefined && next[0] !== 'other') {
      // All five strings the same, or all but one (`differs`, when it is 2-6).
      const copy = [...next] as unknown[];
      for (const i of [2, 3, 4, 5, 6]) if (i !== differs) copy[i] = before[i];
      out.push(copy as OpEvent);
    } else out.push(next);
  }
  return out;
});

describe('AuditLogWriter typed op events', () => {
  it('write the same bytes as emit with the field object, and the same session block roots, whatever the strings and numbers', () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 9 }), (events, closeEvery) => {
        expect(written(events, true, closeEvery)).toEqual(written(events, false, closeEvery));
      }),
      { numRuns: 400 },
    );
  });

  it('write the same bytes and roots when lines cross chunk boundaries or do not fit in a chunk', () => {
    const events: OpEvent[] = [];
    for (let i = 0; i < 30_000; i++) {
      const mission = `mission-${i % 97}`;
      const agent = i % 3 === 0 ? `agent:${'é'.repeat(i % 89)}` : 'agent:a';
      events.push(
        ['queued', i, mission, 'resource:files', agent, 'read', `jti-${i}`, i % 5],
        ['started', i, mission, 'resource:files', agent, 'read', `jti-${i}`],
        ['executed', i + 1, i % 11 === 0 ? null : mission, 'resource:files', agent, 'read', `jti-${i}`, i % 2 === 0],
      );
    }
    // Lines longer than a chunk go through emit's long-line path: the block then takes the hash as the writer's string.
    events.splice(20_000, 0, ['started', 20_000, 'mission-1', 'resource:files', '✓'.repeat(2_000_000), 'read', 'j']);
    events.splice(40_000, 0, ['executed', 40_000, 'mission-2', 'resource:files', 'agent:a', 'y'.repeat(5_000_000), 'j', true]);
    events.splice(40_001, 0, ['queued', 40_001, 'mission-2', 'resource:files', 'agent:a', 'read', 'j', 3]);
    // Lines of other types between two lines of one operation, more than a chunk of them: the chunk is written out and
    // filled again past where the first line was, so the second cannot copy the first's middle from there.
    events.splice(
      50_000,
      0,
      ['queued', 50_000, 'mission-3', 'resource:files', 'agent:a', 'read', 'jti-far', 1],
      ...Array.from({ length: 12 }, (_, i): OpEvent => ['other', 50_000, 'mission-3', 'resource:mail', 'request.rejected', `${i}`.repeat(30_000)]),
      ['started', 50_000, 'mission-3', 'resource:files', 'agent:a', 'read', 'jti-far'],
    );
    const got = written(events, true, 1_000);
    const want = written(events, false, 1_000);
    const gotLines = got.log.split('\n');
    const wantLines = want.log.split('\n');
    expect(gotLines.length).toBe(wantLines.length);
    expect(gotLines.findIndex((line, i) => line !== wantLines[i])).toBe(-1);
    expect(got.roots).toEqual(want.roots);
  });

  it('reach a sink without a typed path as emit with the catalogue fields, and the world records them under the mission', () => {
    const sim = new Simulation();
    const audit = new RecordingSink();
    const ctx = new WorldContext(sim, 1, audit);
    const block = ctx.missionLog('m-1');
    ctx.recordOpQueued(block, 'resource:files', 'agent:a', 'read', 'j-1', 2);
    ctx.recordOpStarted(block, 'resource:files', 'agent:a', 'read', 'j-1');
    ctx.recordOpExecuted(null, 'resource:files', 'agent:a', 'read', 'j-1', true);
    expect(audit.events).toEqual([
      { t: 0, type: 'op.queued', mission: 'm-1', actor: 'resource:files', fields: { agent: 'agent:a', op: 'read', jti: 'j-1', queue_length: 2 } },
      { t: 0, type: 'op.started', mission: 'm-1', actor: 'resource:files', fields: { agent: 'agent:a', op: 'read', jti: 'j-1' } },
      { t: 0, type: 'op.executed', mission: null, actor: 'resource:files', fields: { agent: 'agent:a', op: 'read', jti: 'j-1', irreversible: true } },
    ]);
    ctx.sealMission('m-1', 'ps:home');
    expect(audit.ofType('audit.session_block')[0]?.fields?.event_count).toBe(2);
  });
});

describe('SessionBlockRoot', () => {
  it('add gives SHA-256 of the strings joined by newlines in UTF-8, whatever the strings', () => {
    const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('é', '\ud800', '😀x', 'a'.repeat(200)));
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 30 }), (strings) => {
        const root = new SessionBlockRoot();
        for (const text of strings) root.add(text);
        expect(root.digest()).toBe(createHash('sha256').update(strings.join('\n'), 'utf8').digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  it('addAscii gives the root add gives for the same hashes as strings, however the batch fills', () => {
    const hash = fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), maxLength: 700 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(hash, fc.boolean()), { maxLength: 40 }), (hashes) => {
        const bytes = new SessionBlockRoot();
        const strings = new SessionBlockRoot();
        for (const [hex, asBytes] of hashes) {
          // Some through add, as a log read back adds them: the two may be mixed in one block.
          const at = 3;
          const buffer = Buffer.concat([Buffer.from('xyz'), Buffer.from(hex, 'latin1'), Buffer.from('!')]);
          if (asBytes) bytes.addAscii(new DataView(buffer.buffer, buffer.byteOffset, buffer.length), at, hex.length);
          else bytes.add(hex);
          strings.add(hex);
        }
        expect(bytes.count).toBe(hashes.length);
        expect(bytes.digest()).toBe(strings.digest());
      }),
      { numRuns: 300 },
    );
  });
});
