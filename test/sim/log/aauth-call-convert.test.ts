import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertCallRecords } from '../../../sim/log/aauth-call/convert.ts';
import { CALL_RECORD_SCHEMA, type CallRecord, type SourcedRecord } from '../../../sim/log/aauth-call/record.ts';
import { isoToMicros, microsToIso } from '../../../sim/log/aauth-call/time.ts';

let index = 0;
const sourced = (record: Partial<CallRecord>, file = 'log.jsonl'): SourcedRecord => ({
  record: {
    event: 'aauth.call',
    level: 30,
    msg: '',
    to: 'https://x.example',
    started_at: '2026-11-02T09:00:00.000Z',
    side: 'caller',
    call_id: `c${index}`,
    ...record,
  } as CallRecord,
  file,
  line: ++index,
  index,
});

describe('converting aauth.call records', () => {
  it('orders a call after the call it was made in when an uncorrectable clock says otherwise, and says so', () => {
    // The PS revokes at a resource; while handling that, the resource revokes downstream. No record
    // joins the resource's clock (5 min behind) to anyone's, so only the call tree can order them.
    const upstream = sourced({
      side: 'caller',
      call_id: 'revoke-up',
      from: 'https://ps.example',
      from_role: 'ps',
      to: 'https://r1.example',
      to_role: 'resource',
      method: 'POST',
      path: '/revoke',
      status: 200,
      started_at: '2026-11-02T09:10:00.000Z',
      duration_ms: 50,
      request: { body: { jti: 'atk_1' } },
    });
    const downstream = sourced({
      side: 'caller',
      call_id: 'revoke-down',
      parent: 'revoke-up',
      from: 'https://r1.example',
      from_role: 'resource',
      to: 'https://r2.example',
      to_role: 'resource',
      method: 'POST',
      path: '/revoke',
      status: 200,
      started_at: '2026-11-02T09:05:00.020Z',
      duration_ms: 20,
      request: { body: { jti: 'dtk_9' } },
    });
    const { events, report } = convertCallRecords([downstream, upstream]);
    expect(events.map((e) => e.type)).toEqual(['revocation.sent', 'revocation.cascaded', 'revocation.answered']);
    const cascaded = events[1];
    expect(cascaded?.fields).toEqual({ jti: 'atk_1', to: 'r2.example', downstream_jti: 'dtk_9' });
    expect(cascaded?.t).toBe(events[0]?.t); // not five minutes before its cause
    expect(report.skew.reordered_by_tree).toBe(1);
  });

  it('corrects a skewed clock by the smallest shift that makes every joined call causal', () => {
    const caller = sourced({
      side: 'caller',
      call_id: 'op',
      from: 'aauth:a@ap.example',
      from_role: 'agent',
      agent: 'aauth:a@ap.example',
      to: 'https://r.example',
      to_role: 'resource',
      method: 'POST',
      path: '/send',
      status: 200,
      started_at: '2026-11-02T09:00:00.000Z',
      duration_ms: 1000,
      signed: { scheme: 'jwt', token: { type: 'aa-auth+jwt', payload: { jti: 'atk_1', mission_s256: 'm1' } } },
    });
    const callee = sourced({ ...caller.record, side: 'callee', started_at: '2026-11-02T08:58:00.100Z', duration_ms: 800 }, 'r.jsonl');
    const { events, report } = convertCallRecords([caller, callee]);
    expect(report.skew.offsets).toEqual([{ party: 'https://r.example', offset_us: -119_900_000, calls: 1 }]);
    expect(events.map((e) => [e.type, e.mission, e.fields.op, e.fields.irreversible])).toEqual([['op.executed', 'm1', 'send', false]]);
    // The smallest shift puts the callee's start at the caller's; executed when it answered, 0.8 s later.
    expect(events[0]?.t).toBe(800_000);
    expect(report.irreversibility_unstated).toBe(1);
  });

  it('reports ends that disagree on timing, and keeps a second record of one end as unmapped with its reason', () => {
    const caller = sourced({
      side: 'caller',
      call_id: 'rev',
      from: 'https://ps.example',
      from_role: 'ps',
      to: 'https://r.example',
      to_role: 'resource',
      method: 'POST',
      path: '/revoke',
      status: 200,
      started_at: '2026-11-02T09:00:00.000Z',
      duration_ms: 10,
      request: { body: { jti: 'atk_1' } },
    });
    const callee = sourced({ ...caller.record, side: 'callee', started_at: '2026-11-02T09:00:00.002Z', duration_ms: 50 });
    const again = sourced({ ...callee.record });
    const { report, unmapped } = convertCallRecords([caller, callee, again]);
    expect(report.disagreements.map((d) => [d.what, d.detail])).toEqual([['timing', 'the callee took 50 ms, longer than the caller waited (10 ms)']]);
    expect(report.skew.irreconcilable).toBe(1);
    expect(unmapped.map((u) => u.reason)).toEqual(['a second record of the same end of a call, the first was used (callee, call rev)']);
    expect(report.unmapped).toEqual({ total: 1, by_reason: { 'a second record of the same end of a call, the first was used': 1 } });
  });

  it('maps calls whose parents loop back on each other, and counts them', () => {
    const base = {
      side: 'caller' as const,
      from: 'https://ps.example',
      from_role: 'ps' as const,
      to: 'https://r.example',
      to_role: 'resource' as const,
      method: 'POST',
      path: '/revoke',
      status: 200,
      duration_ms: 5,
    };
    const a = sourced({ ...base, call_id: 'a', parent: 'b', started_at: '2026-11-02T09:00:01.000Z', request: { body: { jti: 'atk_1' } } });
    const b = sourced({ ...base, call_id: 'b', parent: 'a', started_at: '2026-11-02T09:00:02.000Z', request: { body: { jti: 'atk_2' } } });
    const { events, report } = convertCallRecords([a, b]);
    expect(events.filter((e) => e.type === 'revocation.sent').map((e) => e.fields.jti)).toEqual(['atk_1', 'atk_2']);
    expect(report.parent_cycles).toBe(2);
  });

  it("keeps ISO times to the microsecond and reads the reference's milliseconds", () => {
    expect(isoToMicros('2026-11-02T09:00:45.120Z')).toBe(Date.parse('2026-11-02T09:00:45.120Z') * 1000);
    expect(isoToMicros('2026-11-02T10:00:45.120001+01:00')).toBe(Date.parse('2026-11-02T09:00:45.120Z') * 1000 + 1);
    expect(microsToIso(Date.parse('2026-01-01T00:00:00.025Z') * 1000 + 608)).toBe('2026-01-01T00:00:00.025608Z');
  });
});

describe('the record schema', () => {
  it('is committed as docs/aauth-call-record.schema.json, word for word', () => {
    const committed = JSON.parse(readFileSync(new URL('../../../docs/aauth-call-record.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const { $schema, title, ...rest } = committed;
    expect([$schema, title]).toEqual(['http://json-schema.org/draft-07/schema#', 'aauth.call record']);
    expect(rest).toEqual(JSON.parse(JSON.stringify(CALL_RECORD_SCHEMA)));
  });
});

describe('order independence (property)', () => {
  const records = ['agent.jsonl', 'ps.jsonl', 'export-service.jsonl'].flatMap((name) => {
    const file = new URL(`../../../docs/examples/aauth-call/${name}`, import.meta.url);
    return readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line, i) => ({ record: JSON.parse(line) as CallRecord, file: name, line: i + 1 }));
  });
  const reference = convertCallRecords(records.map((r, index) => ({ ...r, index })));

  it('gives the same events and report for the records in any order', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }), (shuffled) => {
        const converted = convertCallRecords(shuffled.map((r, index) => ({ ...r, index })));
        expect(converted.events).toEqual(reference.events);
        expect(converted.report).toEqual(reference.report);
      }),
      { numRuns: 50 },
    );
  });
});
