import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportCallRecords } from '../../sim/log/aauth-call/export.ts';
import { ingestCallLogs } from '../../sim/log/aauth-call/ingest.ts';
import type { LoggedEvent } from '../../sim/log/read-log.ts';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, readLines, tempDir } from '../helpers.ts';

/**
 * -01's `act` claim (draft-hardt-aauth-protocol-01, Auth Token): "In direct
 * authorization, act.sub is the agent identifier. In call chaining, act
 * nests to record the full delegation chain"; -11 removed it. The concierge
 * reserves a hotel room whose resource calls the payment processor
 * downstream (call chaining).
 */
function grants(profile: string): LoggedEvent[] {
  const dir = join(tempDir(), profile);
  runScenario(loadScenario(join(SCENARIOS, 'after-hours-concierge.yaml'), [`profile=${profile}`]), { seed: 1, outDir: dir });
  return readLines(join(dir, 'events.jsonl'))
    .map((line) => JSON.parse(line) as LoggedEvent)
    .filter((e) => e.type === 'token.auth_granted');
}

describe("r01's act claim on PS-issued auth tokens", () => {
  const r01 = grants('aauth-r01');

  it('direct authorization: act.sub is the agent', () => {
    const direct = r01.filter((e) => e.agent === 'concierge');
    expect(direct.length).toBeGreaterThan(0);
    for (const e of direct) expect(e.act).toEqual({ sub: 'concierge' });
  });

  it("call chaining: the intermediary's act nests the upstream token's", () => {
    const chained = r01.filter((e) => e.resource === 'payments.example');
    expect(chained.length).toBeGreaterThan(0);
    for (const e of chained) expect(e.act).toEqual({ sub: 'hotels.example@concierge', act: { sub: 'concierge' } });
  });

  it('-11 and later (and m0, whose source defines no token claims) carry no act', () => {
    for (const profile of ['aauth-r11', 'aauth-latest', 'aauth-m0']) {
      const events = grants(profile);
      expect(events.length).toBeGreaterThan(0);
      expect(events.filter((e) => e.act !== undefined)).toEqual([]);
    }
  });

  it('travels in the aauth.call export (the auth token payload) and comes back from ingest', () => {
    const dir = join(tempDir(), 'r01');
    runScenario(loadScenario(join(SCENARIOS, 'after-hours-concierge.yaml'), ['profile=aauth-r01']), { seed: 1, outDir: dir });
    const events = readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as LoggedEvent);
    const { records } = exportCallRecords(events, 'act');
    const file = join(dir, 'calls.jsonl');
    writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
    ingestCallLogs([file], join(dir, 'ingested'), { at: '2026-12-05T00:00:00Z' });
    const after = readFileSync(join(dir, 'ingested', 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as LoggedEvent);
    const acts = (log: LoggedEvent[]) =>
      log
        .filter((e) => e.type === 'token.auth_granted')
        .map((e) => [e.jti, e.act])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(acts(events).some(([, act]) => (act as { act?: unknown }).act !== undefined)).toBe(true);
    expect(acts(after)).toEqual(acts(events));
  });
});
