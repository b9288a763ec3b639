import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCallRecords } from '../../../sim/log/aauth-call/export.ts';
import type { CallRecord } from '../../../sim/log/aauth-call/record.ts';
import { isoToMicros } from '../../../sim/log/aauth-call/time.ts';
import type { LoggedEvent } from '../../../sim/log/read-log.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../../helpers.ts';

function exported(name: string): { events: LoggedEvent[]; records: CallRecord[]; notExported: Record<string, number> } {
  const dir = join(tempDir(), name);
  runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`)), { seed: 1, outDir: dir });
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedEvent);
  return { events, ...exportCallRecords(events, name) };
}

/** Every string in a value, at any depth. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('export --format aauth-call', () => {
  it("writes both ends of each call, tokens only as {type, payload}, and the incident's timing", () => {
    const { events, records, notExported } = exported('bulk-export-after-terminate');
    // Never a presentable token: no compact JWS anywhere in the log.
    expect(records.flatMap(strings).filter((s) => /^[\w-]{10,}\.[\w-]{10,}\.[\w-]*$/.test(s))).toEqual([]);
    const sides = new Map<string, string[]>();
    for (const record of records) sides.set(record.call_id, [...(sides.get(record.call_id) ?? []), record.side]);
    for (const list of sides.values()) expect([['caller', 'callee'], ['person']]).toContainEqual(list);

    // The bulk export: sent when it was queued, answered when it executed, nine minutes after termination.
    const queued = events.find((e) => e.type === 'op.queued' && e.op === 'bulk_export') as LoggedEvent;
    const executed = events.find((e) => e.type === 'op.executed' && e.op === 'bulk_export') as LoggedEvent;
    const call = records.find((r) => r.side === 'callee' && r.path === '/bulk_export' && r.status === 200) as CallRecord;
    expect(call.signed).toMatchObject({ scheme: 'jwt', token: { type: 'aa-auth+jwt', payload: { jti: executed.jti, scope: 'bulk_export' } } });
    expect(isoToMicros(call.started_at) - isoToMicros('2026-01-01T00:00:00Z')).toBe(queued.t);
    expect((call.duration_ms as number) * 1000).toBe(executed.t - queued.t);
    expect(call.response?.body).toEqual({ status: 'executed', irreversible: true });

    // The person's acts are person records the PS wrote; a refusal is level 40, a challenge 30.
    expect(records.filter((r) => r.side === 'person').map((r) => [r.action, r.from, r.msg])).toEqual([
      ['approve', 'user', 'Person approve'],
      ['terminate', 'user', 'Person terminate'],
    ]);
    expect(records.filter((r) => r.status === 401).every((r) => r.level === 30 && r.response?.params?.['AAuth-Requirement'] !== undefined)).toBe(true);
    expect(notExported).toMatchObject({ 'job.arrive': 8, 'audit.session_block': 2 });
  });

  it("chains the federated PS -> AS call inside the agent's token request (parent)", () => {
    const { records } = exported('law-firm-cross-domain');
    const toAs = records.filter((r) => r.to_role === 'as');
    expect(toAs.map((r) => r.side).sort()).toEqual(['callee', 'callee', 'caller', 'caller']);
    for (const caller of toAs.filter((r) => r.side === 'caller')) {
      const parent = records.find((r) => r.call_id === caller.parent && r.side === 'caller');
      expect(parent).toMatchObject({ from_role: 'agent', to_role: 'ps', path: '/token' });
      expect(caller).toMatchObject({
        from: 'https://ps.enterprise',
        from_role: 'ps',
        to: 'https://as.lawfirm',
        signed: { scheme: 'jwks_uri', dwk: 'aauth-person.json' },
      });
    }
  });

  it("chains a resource's downstream revocation inside the revocation that reached it (parent)", () => {
    const { records } = exported('after-hours-concierge');
    const cascade = records.find((r) => r.side === 'caller' && r.from_role === 'resource' && r.path === '/revoke') as CallRecord;
    expect(cascade).toBeDefined();
    const upstream = records.find((r) => r.side === 'callee' && r.call_id === cascade.parent) as CallRecord;
    expect(upstream).toMatchObject({ from_role: 'ps', to: cascade.from, path: '/revoke' });
  });
});
