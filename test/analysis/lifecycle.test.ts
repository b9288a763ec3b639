import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analysis, type Row } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import { SCENARIOS } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'missionbench-lifecycle-'));
const PAUSE = join(root, 'pause');
const FAILOVER = join(root, 'failover');
const opened = new Map<string, Analysis>();
const analysisOf = (dir: string) => opened.get(dir) as Analysis;
const rows = new Map<string, Row[]>();

beforeAll(async () => {
  buildSweep(join(SCENARIOS, 'compliance-pause.yaml'), ['profile=mission-authority,aauth-m0,aauth-r01'], [2, 3], PAUSE);
  buildSweep(join(SCENARIOS, 'failover-resume.yaml'), ['agents[reconciler].authority_binding=class,runtime'], [1], FAILOVER);
  for (const dir of [PAUSE, FAILOVER]) {
    await ingestAnalysis(discoverRuns(dir), viewDefinitions());
    const analysis = await Analysis.open(dir);
    opened.set(dir, analysis);
    rows.set(dir, await analysis.query('lifecycle_runs'));
  }
});

afterAll(() => {
  for (const analysis of opened.values()) analysis.close();
  rmSync(root, { recursive: true, force: true });
});

const byDesign = (all: readonly Row[], design: string) => all.find((row) => row.design === design) as Row;

type Event = Record<string, unknown> & { t: number; type: string };
/** The same measures computed from the log in TypeScript: the independent check of the SQL. */
function fromLog(dir: string, runId: string) {
  const log = readFileSync(join(dir, runId, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
  const suspend = log.find((e) => e.type === 'person.suspend');
  const resume = log.find((e) => e.type === 'person.resume');
  const executed = log.filter((e) => e.type === 'op.executed');
  return {
    ops_during_pause: suspend && resume ? executed.filter((e) => e.t >= suspend.t && e.t < resume.t).length : null,
    re_approvals: log.filter((e) => e.type === 'mission.reproposed').length,
    time_to_resume_s: resume ? ((executed.find((e) => e.t >= resume.t)?.t as number) - resume.t) / 1e6 : null,
    person_interactions: log.filter((e) => e.type === 'person.asked' || e.type === 'mission.clarification').length,
    work_lost: log.filter((e) => e.type === 'op.recalled').length,
  };
}

describe('run_lifecycle, defined in SQL over the log', () => {
  it('agrees with the log run by run on the compliance pause, and ranks the profiles', () => {
    const all = rows.get(PAUSE)!;
    expect(all).toHaveLength(6);
    for (const row of all) {
      const expected = fromLog(PAUSE, row.run_id as string);
      expect(row).toMatchObject({ ...expected, time_to_resume_s: expect.closeTo(expected.time_to_resume_s as number, 6), crash_resume_s: null });
    }
    const by = (profile: string) => all.filter((row) => String(row.design).includes(profile));
    expect(
      by('aauth-r01').every((row) => row.re_approvals === 1 && row.person_interactions === 1 && row.ops_during_pause === 0 && row.workflows_abandoned === 0),
    ).toBe(true);
    expect(by('mission-authority').every((row) => row.re_approvals === 0 && row.ops_during_pause === 0)).toBe(true);
    expect(by('aauth-m0').reduce((sum, row) => sum + (row.ops_during_pause as number), 0)).toBeGreaterThan(0);
  });

  it('reports resume latency after a crash and person interruptions, class-bound vs runtime-bound', () => {
    const [classBound, runtimeBound] = rows.get(FAILOVER)!;
    expect(classBound).toMatchObject({ re_approvals: 0, person_interactions: 1, time_to_resume_s: null, pauses: 0, ops_during_pause: null });
    expect(runtimeBound).toMatchObject({ re_approvals: 3, person_interactions: 4 });
    expect(classBound!.crash_resume_s as number).toBeLessThanOrEqual(20);
    expect(runtimeBound!.crash_resume_s as number).toBeGreaterThan(60);
  });
});

describe('lifecycle costs per design (the lifecycle query and replications)', () => {
  it("measures seed 000's pause: r01 re-approves and resumes slowly, m0 keeps working while paused, mission-authority neither", async () => {
    const rows = await analysisOf(PAUSE).query('lifecycle');
    const r01 = byDesign(rows, 'profile=aauth-r01');
    const m0 = byDesign(rows, 'profile=aauth-m0');
    const authority = byDesign(rows, 'profile=mission-authority');
    for (const row of [r01, m0, authority]) expect(row).toMatchObject({ runs: 2, paused_s: 86_400, ops_executed: 36, workflows_abandoned: 0 });
    // Terminate-only: the pause ends the mission; the resume brings a new proposal the person must approve.
    expect(r01).toMatchObject({ re_approvals: 1, ops_during_pause: 0, person_interactions: 1 });
    // m0: workday tokens issued before the pause keep working during it.
    expect(m0.ops_during_pause as number).toBeGreaterThan(0);
    expect(m0.re_approvals).toBe(0);
    // mission-authority: nothing runs while paused, the work resumes within seconds without re-approval.
    expect(authority).toMatchObject({ ops_during_pause: 0, irreversible_during_pause: 0, re_approvals: 0, person_interactions: 0 });
    expect(authority.time_to_resume_s as number).toBeGreaterThan(0);
    expect(authority.time_to_resume_s as number).toBeLessThan(r01.time_to_resume_s as number);
  });

  it("counts exposure as the log shows it: the operations executed between the person's suspend and resume", async () => {
    const metrics = await analysisOf(PAUSE).query('replications');
    const counted = new Map<string, number[]>();
    for (const run of discoverRuns(PAUSE).runs) {
      const events = readFileSync(run.events_path, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; t: number });
      const from = events.find((e) => e.type === 'person.suspend')?.t as number;
      const until = events.find((e) => e.type === 'person.resume')?.t as number;
      expect(from).toBeLessThan(until);
      const during = events.filter((e) => e.type === 'op.executed' && e.t >= from && e.t < until).length;
      counted.set(run.design, [...(counted.get(run.design) ?? []), during]);
    }
    for (const [design, values] of counted) {
      const mean = metrics.find((row) => row.design === design && row.metric === 'ops_during_pause')?.mean;
      expect(mean).toBeCloseTo(values.reduce((sum, v) => sum + v, 0) / values.length, 9);
    }
    expect(Math.max(...(counted.get('profile=aauth-m0') as number[]))).toBeGreaterThan(0);
  });

  it('puts the lifecycle metrics into replications, with a mean per design', async () => {
    const rows = await analysisOf(PAUSE).query('replications');
    const mean = (design: string, metric: string) => rows.find((row) => row.design === design && row.metric === metric)?.mean;
    expect(mean('profile=aauth-r01', 're_approvals')).toBe(1);
    expect(mean('profile=mission-authority', 're_approvals')).toBe(0);
    expect(mean('profile=aauth-m0', 'ops_during_pause') as number).toBeGreaterThan(0);
    // No crash happened, so there is no crash-resume row at all (not a zero).
    expect(mean('profile=aauth-r01', 'crash_resume_s')).toBeUndefined();
  });
});
