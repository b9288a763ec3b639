import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { exportCallRecords, recordsByParty } from '../../../sim/log/aauth-call/export.ts';
import { ingestCallLogs } from '../../../sim/log/aauth-call/ingest.ts';
import { CALL_RECORD_SCHEMA } from '../../../sim/log/aauth-call/record.ts';
import type { LoggedEvent } from '../../../sim/log/read-log.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { readLines, SCENARIOS } from '../../helpers.ts';

/**
 * aauth-latest revocation messages through the aauth.call export and back
 * (run -> export -> ingest): every call the PS, an AS or a cascading
 * resource makes and the answer it logs (revocation_unsupported,
 * revocation_unavailable, rate_limited with Retry-After, an AS's downstream
 * list, a notice lost on the PS<->AS link and given up) comes back as the
 * same events, fields included.
 */
const work = mkdtempSync(join(tmpdir(), 'missionbench-revocation-calls-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const validate = new Ajv({ allErrors: true, strict: false }).compile(CALL_RECORD_SCHEMA);

const readLog = (path: string): LoggedEvent[] => readLines(path).map((line) => JSON.parse(line) as LoggedEvent);

const CARRIED = new Set([
  'revocation.sent',
  'revocation.lost',
  'revocation.received',
  'revocation.answered',
  'revocation.cascaded',
  'revocation.unsupported',
  'revocation.unavailable',
  'revocation.rate_limited',
  'revocation.downstream',
]);
/** The revocation events of a log without their place in the chain, in a stable order. */
const revocations = (events: LoggedEvent[]) =>
  events
    .filter((e) => CARRIED.has(e.type))
    .map(({ seq: _seq, prev: _prev, hash: _hash, ...rest }) => JSON.stringify(rest))
    .sort();

const TERMINATE = 'interventions=[{at: const(20m), person: erin, agent: reviewer, action: terminate}]';
const PAYMENTS_DOWN = 'topology.resources[payments.example].revocation={mode: push, outages: [{at: 2h, for: 1h}], retries: 5, retry_interval: 10m}';
const RUNS: Array<[string, string[], string[]]> = [
  [
    'law-firm-cross-domain',
    ['profile=aauth-latest', TERMINATE, 'topology.resources[counsel.lawfirm].revocation.mode=none'],
    ['revocation.unsupported', 'revocation.downstream'],
  ],
  [
    'law-firm-cross-domain',
    ['profile=aauth-latest', TERMINATE, 'network.server_links=[{ps: ps.enterprise, as: as.lawfirm, loss: 1}]'],
    ['revocation.lost', 'revocation.unavailable'],
  ],
  [
    'law-firm-cross-domain',
    ['profile=aauth-latest', TERMINATE, 'network.server_links=[{ps: ps.enterprise, as: as.lawfirm, loss: 0.8}]'],
    ['revocation.lost', 'revocation.downstream'],
  ],
  [
    'law-firm-cross-domain',
    ['profile=aauth-latest', TERMINATE, 'topology.access_servers[as.lawfirm].revocation={outages: [{at: 19m, for: 90s}], retry_interval: 1m}'],
    ['revocation.unavailable', 'revocation.downstream'],
  ],
  [
    'law-firm-cross-domain',
    ['profile=aauth-latest', TERMINATE, 'topology.resources[docs.enterprise].revocation={mode: push, rate_limit: {calls: 1, per: 1m}}'],
    ['revocation.rate_limited'],
  ],
  [
    'after-hours-concierge',
    ['profile=aauth-latest', PAYMENTS_DOWN, 'topology.resources[flights.example].revocation.mode=none'],
    ['revocation.unavailable', 'revocation.unsupported', 'revocation.cascaded'],
  ],
  [
    'after-hours-concierge',
    ['profile=aauth-latest', 'topology.resources[payments.example].revocation.mode=none'],
    ['revocation.unsupported', 'revocation.cascaded'],
  ],
];

describe('aauth-latest revocation calls: run -> export --format aauth-call -> ingest', () => {
  it.each(RUNS)('%s %j: the same revocation events come back', (name, overrides, expected) => {
    const label = `${name}-${RUNS.findIndex((run) => run[1] === overrides)}`;
    const runDir = join(work, label);
    runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { seed: 1, outDir: runDir });
    const events = readLog(join(runDir, 'events.jsonl'));
    // The run exercises what this case is about.
    for (const type of expected)
      expect(
        events.some((e) => e.type === type),
        type,
      ).toBe(true);
    const exported = exportCallRecords(events, label);
    expect(exported.records.filter((record) => !validate(record))).toEqual([]);
    expect(Object.keys(exported.notExported).filter((key) => key.includes('no call to place it in'))).toEqual([]);
    const files = [...recordsByParty(exported.records)].map(([file, records]) => {
      const path = join(runDir, `calls-${file}`);
      writeFileSync(path, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
      return path;
    });
    const { report } = ingestCallLogs(files, join(runDir, 'ingested'), { at: '2026-12-05T00:00:00Z' });
    expect(report.unmapped.total, JSON.stringify(report.unmapped)).toBe(0);
    expect(revocations(readLog(join(runDir, 'ingested', 'events.jsonl')))).toEqual(revocations(events));
  });
});
