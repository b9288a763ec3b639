import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { Analysis, type Row } from '../../../analysis/database.ts';
import { ingestAnalysis } from '../../../analysis/ingest.ts';
import { viewDefinitions } from '../../../analysis/queries.ts';
import { discoverRuns } from '../../../analysis/run-folders.ts';
import { exportCallRecords, recordsByParty } from '../../../sim/log/aauth-call/export.ts';
import { ingestCallLogs } from '../../../sim/log/aauth-call/ingest.ts';
import { CALL_RECORD_SCHEMA } from '../../../sim/log/aauth-call/record.ts';
import { IncidentReport } from '../../../sim/log/incident-report.ts';
import { MissionControlView } from '../../../sim/log/mission-control.ts';
import type { LoggedEvent } from '../../../sim/log/read-log.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { SCENARIOS } from '../../helpers.ts';

/**
 * run -> export --format aauth-call -> ingest gives the same answers as the
 * run itself. What is compared is what both logs can answer: the Mission
 * Control view (every token decision), the regulator's questions per mission
 * (approval, hops, decisions, termination, the last operation after it) and
 * the revocation windows (DuckDB, the one SQL definition). Events with no
 * HTTP call behind them (queueing inside a resource, background jobs, the
 * AOP ledger, session blocks) are not in an aauth.call log, so a mission that
 * has only such events is compared by showing the original has nothing to
 * answer about it either.
 */
const work = mkdtempSync(join(tmpdir(), 'missionbench-roundtrip-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const original = join(work, 'original');
const roundTrip = join(work, 'round-trip');
const validate = new Ajv({ allErrors: true, strict: false }).compile(CALL_RECORD_SCHEMA);

const readLog = (path: string): LoggedEvent[] =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LoggedEvent);
const controlView = (events: LoggedEvent[]) => {
  const view = new MissionControlView();
  return events.map((event) => view.line(event)).filter((line): line is string => line !== undefined);
};
/** The regulator's answers per mission, as replay --explain prints them. */
const explain = (events: LoggedEvent[]): Map<string, string[]> => {
  const report = new IncidentReport();
  for (const event of events) report.add(event);
  const sections = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of report.lines()) {
    if (line.startsWith('mission ')) sections.set(line.slice('mission '.length), (current = []));
    else current.push(line);
  }
  return sections;
};
/** The events an aauth.call log carries (docs/aauth-call.md, mapping table), counted by type. */
const CALL_BORNE = new Set([
  'mission.proposed',
  'mission.approved',
  'mission.terminated',
  'mission.suspended',
  'mission.resumed',
  'mission.completed',
  'mission.cancelled',
  'person.terminate',
  'person.suspend',
  'person.resume',
  'person.complete',
  'person.cancel',
  'mission.class_bound',
  'token.resource_issued',
  'token.auth_granted',
  'token.auth_denied',
  'token.person_issued',
  'token.person_denied',
  'federation.sent',
  'federation.received',
  'token.as_issued',
  'token.as_denied',
  'delegation.requested',
  'delegation.granted',
  'delegation.rejected',
  'permission.requested',
  'permission.decided',
  'audit.reported',
  'interaction.requested',
  'interaction.answered',
  'op.executed',
  'op.recalled',
  'request.rejected',
  'revocation.sent',
  'revocation.received',
  'revocation.answered',
  'revocation.lost',
  'revocation.cascaded',
  'revocation.status_check',
]);
const callBorne = (events: LoggedEvent[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const event of events) if (CALL_BORNE.has(event.type)) counts[event.type] = (counts[event.type] ?? 0) + 1;
  return counts;
};
const NOTHING_TO_ANSWER = [
  '  approval: not in this log',
  '  token grants (0):',
  '  delegation: none in this log',
  '  decisions (0):',
  '  termination: none in this log',
];

const scenarios = readdirSync(SCENARIOS)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => file.slice(0, -'.yaml'.length))
  .sort();

describe('round trip: run -> export --format aauth-call -> ingest', () => {
  it.each(scenarios)('%s gives the same Mission Control view and regulator answers', (name) => {
    const overrides = name === 'mm1' || name === 'mmc' ? ['duration=2h'] : [];
    const runDir = join(original, name);
    runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { seed: 1, outDir: runDir });
    const events = readLog(join(runDir, 'events.jsonl'));
    const exported = exportCallRecords(events, name);

    // Conformance: every record fits the schema restated from the reference.
    const bad = exported.records.filter((record) => !validate(record));
    expect(bad, JSON.stringify(bad[0])).toEqual([]);
    for (const record of exported.records) expect(record.call_id).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const before = explain(events);
    if (exported.records.length === 0) {
      // No HTTP call at all (queueing models, the AOP ledger): nothing a call log could answer.
      expect(controlView(events)).toEqual([]);
      for (const section of before.values()) expect(section).toEqual(NOTHING_TO_ANSWER);
      return;
    }
    // One file per party, as each party keeps its own log.
    mkdirSync(join(work, 'exports', name), { recursive: true });
    const files = [...recordsByParty(exported.records)].map(([file, records]) => {
      const path = join(work, 'exports', name, file);
      writeFileSync(path, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
      return path;
    });
    const { report } = ingestCallLogs(files, join(roundTrip, name), { at: '2026-12-05T00:00:00Z' });
    expect(report.unmapped.total).toBe(0);
    expect(report.folded).toEqual({});
    expect(report.disagreements).toEqual([]);
    expect(report.skew.offsets).toEqual([]);
    expect(report.joined.caller_only + report.joined.callee_only).toBe(exported.records.filter((r) => r.side === 'caller' && r.status === undefined).length);

    const after = readLog(join(roundTrip, name, 'events.jsonl'));
    // Every event an HTTP call carries comes back, as many of each type as the run wrote.
    expect(Object.keys(exported.notExported).filter((label) => label.includes('no call to place it in'))).toEqual([]);
    const [borneBefore, borneAfter] = [callBorne(events), callBorne(after)];
    // An r01 revocation endpoint answers too, but only r11 runs log the answer (revocation.answered):
    // the call log always has it, so it is compared where the run recorded it.
    if (borneBefore['revocation.answered'] === undefined) delete borneAfter['revocation.answered'];
    expect(borneAfter).toEqual(borneBefore);
    expect(controlView(after)).toEqual(controlView(events));
    const answered = explain(after);
    for (const [mission, section] of before) {
      if (answered.has(mission)) expect(answered.get(mission), mission).toEqual(section);
      else expect(section, mission).toEqual(NOTHING_TO_ANSWER);
    }
    for (const mission of answered.keys()) expect(before.has(mission)).toBe(true);
  });

  // Seed 002's class (this project's claim, docs/mission-class.md), where the PS checks class: in the token payloads and the binding answers.
  it.each([
    ['elastic-class', []],
    ['class-intruder', ['profile=mission-authority']],
    ['class-intruder', ['profile=aauth-r11', 'class_check=true']],
    ['class-intruder-shared', ['class_check=true']],
    ['law-firm-cross-domain', ['class_check=true']],
  ])('%s %s: mb_class and mission.class_bound come back from the call log', (name, overrides) => {
    const runDir = join(work, 'class', `${name}${overrides.join('_')}`);
    runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { seed: 1, outDir: runDir });
    const events = readLog(join(runDir, 'events.jsonl'));
    const exported = exportCallRecords(events, name);
    expect(exported.records.filter((record) => !validate(record))).toEqual([]);
    const file = join(runDir, 'calls.jsonl');
    writeFileSync(file, `${exported.records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const { report } = ingestCallLogs([file], join(runDir, 'ingested'), { at: '2026-12-05T00:00:00Z' });
    expect(report.unmapped.total).toBe(0);
    const after = readLog(join(runDir, 'ingested', 'events.jsonl'));
    // Every class claim on an event an HTTP call carries, and every binding, in order (the agent token's own is not a call: not compared).
    const classes = (log: LoggedEvent[]) =>
      log
        .filter((e) => CALL_BORNE.has(e.type) && (e.mb_class !== undefined || e.type === 'mission.class_bound'))
        .map((e) => [e.type, e.mission, e.agent, e.jti ?? null, e.mb_class ?? e.class])
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const before = classes(events);
    expect(before.filter(([type]) => type === 'mission.class_bound').length).toBeGreaterThan(0);
    expect(before.filter(([type]) => type === 'token.auth_granted').length).toBeGreaterThan(0);
    expect(classes(after)).toEqual(before);
    // The refusals keep their class_mismatch reasons (they are the log's evidence of the attack).
    const mismatches = (log: LoggedEvent[]) =>
      log.filter((e) => CALL_BORNE.has(e.type) && String(e.reason ?? '').startsWith('class_mismatch')).map((e) => [e.type, e.reason]);
    expect(mismatches(after)).toEqual(mismatches(events));
    if (name.startsWith('class-intruder')) expect(mismatches(events).length).toBeGreaterThan(0);
  });

  it('gives the same revocation windows (analyze, revocation_window) for every scenario', async () => {
    const windows = async (dir: string): Promise<Row[]> => {
      await ingestAnalysis(discoverRuns(dir), viewDefinitions());
      const analysis = await Analysis.open(dir);
      try {
        return await analysis.query('revocation_window');
      } finally {
        analysis.close();
      }
    };
    const inRoundTrip = new Set(readdirSync(roundTrip));
    // Runs without any HTTP call were shown above to have nothing to answer; the rest must match.
    for (const name of readdirSync(original)) if (!inRoundTrip.has(name)) rmSync(join(original, name), { recursive: true });
    const before = await windows(original);
    const after = await windows(roundTrip);
    // after-hours-concierge, bulk-export, token-lifetime-sizing and ttl-only-window terminate missions on seed 1 (the floor keeps the comparison from passing empty).
    expect(before.length).toBeGreaterThanOrEqual(4);
    expect(after).toEqual(before);
  });
});
