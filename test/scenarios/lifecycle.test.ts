import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

type Event = Record<string, unknown> & { t: number; type: string };
const MIN = 60_000_000;

function run(name: string, overrides: string[], seed = 1): Event[] {
  const dir = join(tempDir(), name);
  runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, seed });
  return readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event);
}

/** ttl-only-window with push revocation, suspended at 30 min and resumed at 40 min. */
const PAUSE = [
  'topology.resources[records].revocation.mode=push',
  'interventions[0]={at: const(30m), person: owner, agent: worker, action: suspend}',
  'interventions[1]={at: const(40m), person: owner, agent: worker, action: resume}',
];
const executedBetween = (log: Event[], from: number, to: number) => log.filter((e) => e.type === 'op.executed' && e.t > from && e.t < to).length;

describe('suspension: m0 stops new tokens; mission-authority holds the work', () => {
  it('under m0, work goes on during the suspension with the tokens already issued', () => {
    const log = run('ttl-only-window', ['profile=aauth-m0', ...PAUSE]);
    expect(log.some((e) => e.type === 'mission.suspended')).toBe(true);
    expect(executedBetween(log, 30 * MIN + 1_000_000, 40 * MIN)).toBeGreaterThan(0);
  });

  it('under mission-authority, resources park the work until resume, then it continues without re-approval', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const log = run('ttl-only-window', ['profile=mission-authority', ...PAUSE], seed);
      const told = log.filter((e) => e.type === 'suspension.received' && e.suspended === true);
      expect(told.length).toBeGreaterThan(0);
      const lastTold = Math.max(...told.map((e) => e.t));
      // After every resource has heard, nothing runs until resume (work in service may finish just before).
      expect(executedBetween(log, lastTold + 1_000_000, 40 * MIN)).toBe(0);
      expect(log.filter((e) => e.type === 'op.parked').length).toBe(1);
      expect(executedBetween(log, 40 * MIN, 41 * MIN)).toBeGreaterThan(0);
      expect(log.filter((e) => e.type === 'mission.approved')).toHaveLength(1);
      expect(log.some((e) => e.type === 'agent.stopped')).toBe(false);
    }
  });

  it('a parked request whose token expired during the pause is refused on resume, and the agent asks again', () => {
    const log = run('ttl-only-window', ['profile=mission-authority', ...PAUSE]);
    const resumed = log.find((e) => e.type === 'mission.resumed')!;
    const after = log.filter((e) => e.t >= resumed.t);
    const rejected = after.findIndex((e) => e.type === 'request.rejected' && e.reason === 'token expired');
    expect(rejected).toBeGreaterThanOrEqual(0);
    expect(after.slice(rejected).find((e) => e.type === 'token.auth_granted')).toBeDefined();
  });

  it('after a short pause the parked request itself goes back into the queue and runs', () => {
    const log = run('ttl-only-window', [
      'profile=mission-authority',
      ...PAUSE.slice(0, 2),
      'interventions[1]={at: const(31m), person: owner, agent: worker, action: resume}',
    ]);
    const parked = log.find((e) => e.type === 'op.parked')!;
    const unparked = log.find((e) => e.type === 'op.unparked')!;
    expect(unparked).toMatchObject({ jti: parked.jti, op: 'read' });
    expect(log.find((e) => e.type === 'op.executed' && e.t > unparked.t)).toMatchObject({ jti: parked.jti });
  });

  it('terminating a suspended mission recalls the parked work', () => {
    const log = run('ttl-only-window', [
      'profile=mission-authority',
      ...PAUSE.slice(0, 2),
      'interventions[1]={at: const(40m), person: owner, agent: worker, action: terminate}',
    ]);
    const parked = log.find((e) => e.type === 'op.parked')!;
    expect(log.find((e) => e.type === 'op.recalled')).toMatchObject({ jti: parked.jti, stage: 'queued' });
    expect(log.some((e) => e.type === 'op.unparked')).toBe(false);
  });

  it("due-diligence-drift: the monitor's suspension stops the drift at once under mission-authority, not under m0", () => {
    const afterAlarm = (profile: string) => {
      const log = run('due-diligence-drift', [`profile=${profile}`]);
      const alarm = log.find((e) => e.type === 'monitor.alarm')!;
      return { executed: executedBetween(log, alarm.t, Infinity), finished: log.some((e) => e.type === 'agent.finished') };
    };
    // 4 since the monitor judges from the log alone (issue 16; 3 with the intent-reading judge, which alarmed later).
    expect(afterAlarm('aauth-m0')).toEqual({ executed: 4, finished: true });
    expect(afterAlarm('mission-authority')).toEqual({ executed: 0, finished: false });
  });
});

describe('compliance-pause (seed 000): terminate-only vs m0 suspend vs mission-authority suspend', () => {
  const H = 60 * MIN;
  const SEEDS = [1, 2, 3, 4, 5, 6];
  const measure = (profile: string, seed: number, overrides: string[] = []) => {
    const log = run('compliance-pause', [`profile=${profile}`, ...overrides], seed);
    const executed = log.filter((e) => e.type === 'op.executed');
    const during = executed.filter((e) => e.t > 10 * H + 1_000_000 && e.t < 34 * H);
    const firstAfter = executed.find((e) => e.t >= 34 * H);
    return {
      executed: executed.length,
      during: during.length,
      irreversibleDuring: during.filter((e) => e.irreversible === true).length,
      resumeS: firstAfter ? (firstAfter.t - 34 * H) / 1e6 : null,
      finished: log.some((e) => e.type === 'agent.finished'),
      approvals: log.filter((e) => e.type === 'mission.approved').length,
      terminated: log.some((e) => e.type === 'mission.terminated'),
      /** Work in flight at the termination and withdrawn: it never runs. */
      lost: log.filter((e) => e.type === 'op.recalled').length,
      reproposals: log.filter((e) => e.type === 'mission.reproposed').length,
      personAsked: log.filter((e) => e.type === 'person.asked').length,
    };
  };

  it('mission-authority: nothing runs during the pause; the workflow resumes within a minute and completes, with one approval', () => {
    for (const seed of SEEDS) {
      const m = measure('mission-authority', seed);
      expect(m).toMatchObject({ executed: 36, during: 0, finished: true, approvals: 1, terminated: false });
      expect(m.resumeS).toBeLessThan(60);
    }
  });

  it('aauth-m0: settlements post during the pause under tokens issued before it', () => {
    const exposure = SEEDS.map((seed) => measure('aauth-m0', seed));
    expect(exposure.every((m) => m.finished && m.executed === 36)).toBe(true);
    expect(exposure.reduce((sum, m) => sum + m.irreversibleDuring, 0)).toBeGreaterThan(0);
  });

  it('aauth-r01: the pause terminates the mission; at resume the agent re-proposes, the person approves again, the plan completes', () => {
    for (const seed of SEEDS) {
      const m = measure('aauth-r01', seed);
      expect(m).toMatchObject({ during: 0, finished: true, terminated: true, executed: 36, approvals: 2, reproposals: 1, personAsked: 1, lost: 0 });
      // Resuming costs a human approval (lognormal(1m, 1)) on top of the agent's think time.
      expect(m.resumeS).toBeGreaterThan(30);
    }
  });

  it('lost work, re-approvals, exposure and time to resume: mission-authority vs aauth-m0 vs aauth-r01', () => {
    const total = (profile: string, overrides: string[] = []) => {
      const runs = SEEDS.map((seed) => measure(profile, seed, overrides));
      const sum = (f: (m: ReturnType<typeof measure>) => number) => runs.reduce((acc, m) => acc + f(m), 0);
      return {
        lost: sum((m) => m.lost),
        reapprovals: sum((m) => m.approvals - 1),
        personAsked: sum((m) => m.personAsked),
        exposure: sum((m) => m.during),
        meanResumeS: sum((m) => m.resumeS ?? 0) / runs.length,
      };
    };
    const authority = total('mission-authority');
    const m0 = total('aauth-m0');
    const r01 = total('aauth-r01');
    expect(authority).toMatchObject({ lost: 0, reapprovals: 0, personAsked: 0, exposure: 0 });
    expect(m0).toMatchObject({ lost: 0, reapprovals: 0, personAsked: 0 });
    expect(m0.exposure).toBeGreaterThan(0);
    expect(r01).toMatchObject({ reapprovals: SEEDS.length, personAsked: SEEDS.length, exposure: 0 });
    expect(r01.meanResumeS).toBeGreaterThan(3 * Math.max(authority.meanResumeS, m0.meanResumeS));
    // Long settlements that a revocation recalls (recall any): a post in service at the pause is lost under r01 only.
    const slow = ['topology.resources[settlement].queue.service=const(90m)', 'topology.resources[settlement].recall=any'];
    expect(total('aauth-r01', slow).lost).toBeGreaterThan(0);
    expect(total('mission-authority', slow).lost).toBe(0);
  });
});
