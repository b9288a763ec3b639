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
const opened: Analysis[] = [];
const rows = new Map<string, Row[]>();

beforeAll(async () => {
  buildSweep(join(SCENARIOS, 'compliance-pause.yaml'), ['profile=mission-authority,aauth-m0,aauth-r01'], [2, 3], PAUSE);
  buildSweep(join(SCENARIOS, 'failover-resume.yaml'), ['agents[reconciler].authority_binding=class,runtime'], [1], FAILOVER);
  for (const dir of [PAUSE, FAILOVER]) {
    await ingestAnalysis(discoverRuns(dir), viewDefinitions());
    const analysis = await Analysis.open(dir);
    opened.push(analysis);
    rows.set(dir, await analysis.query('lifecycle'));
  }
});

afterAll(() => {
  for (const analysis of opened) analysis.close();
  rmSync(root, { recursive: true, force: true });
});

type Event = Record<string, unknown> & { t: number; type: string };
/** The same measures computed from the log in TypeScript: the independent check of the SQL. */
function fromLog(dir: string, runId: string) {
  const log = readFileSync(join(dir, runId, 'events.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Event);
  const suspend = log.find((e) => e.type === 'person.suspend');
  const resume = log.find((e) => e.type === 'person.resume');
  const executed = log.filter((e) => e.type === 'op.executed');
  return {
    exposure_ops: suspend && resume ? executed.filter((e) => e.t > suspend.t && e.t < resume.t).length : 0,
    reapprovals: log.filter((e) => e.type === 'mission.reproposed').length,
    time_to_resume_s: resume ? ((executed.find((e) => e.t >= resume.t)?.t as number) - resume.t) / 1e6 : null,
    person_interruptions: log.filter((e) => e.type === 'person.asked').length,
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
    expect(by('aauth-r01').every((row) => row.reapprovals === 1 && row.person_interruptions === 1 && row.exposure_ops === 0)).toBe(true);
    expect(by('mission-authority').every((row) => row.reapprovals === 0 && row.exposure_ops === 0)).toBe(true);
    expect(by('aauth-m0').reduce((sum, row) => sum + (row.exposure_ops as number), 0)).toBeGreaterThan(0);
  });

  it('reports resume latency after a crash and person interruptions, class-bound vs runtime-bound', () => {
    const [classBound, runtimeBound] = rows.get(FAILOVER)!;
    expect(classBound).toMatchObject({ reapprovals: 0, person_interruptions: 1, time_to_resume_s: null });
    expect(runtimeBound).toMatchObject({ reapprovals: 3, person_interruptions: 4 });
    expect(classBound!.crash_resume_s as number).toBeLessThanOrEqual(20);
    expect(runtimeBound!.crash_resume_s as number).toBeGreaterThan(60);
  });
});
