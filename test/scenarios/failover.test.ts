import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, scenarioProblems, tempDir, writeScenario } from '../helpers.ts';

type Event = Record<string, unknown> & { t: number; type: string };
const SEEDS = [1, 2, 3, 4, 5];
const RUNTIME = 'agents[reconciler].authority_binding=runtime';

function run(overrides: string[], seed = 1): { log: Event[]; fingerprint: string } {
  const dir = join(tempDir(), 'run');
  const manifest = runScenario(loadScenario(join(SCENARIOS, 'failover-resume.yaml'), overrides), { outDir: dir, seed });
  return { log: readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event), fingerprint: manifest.fingerprint };
}

/** Per run: resume latency after each crash (s), person interruptions, approvals, whether the plan completed. */
function measure(overrides: string[], seed: number) {
  const { log } = run(overrides, seed);
  const of = (type: string) => log.filter((e) => e.type === type);
  return {
    crashes: of('agent.crashed'),
    resumed: of('agent.plan_resumed'),
    resumeS: of('agent.plan_resumed').map((e) => (e.since_crash_us as number) / 1e6),
    personAsked: of('person.asked').length,
    approvals: of('mission.approved').length,
    superseded: of('mission.terminated').filter((e) => e.reason === 'superseded').length,
    matches: of('op.executed').filter((e) => e.op === 'match').length,
    finished: of('agent.finished').length,
  };
}

describe('failover-resume (seed 002): authority bound to mission + class vs to the runtime', () => {
  it('class-bound: a replacement of the same class resumes at the step in progress within its restart time; no one is asked again', () => {
    for (const seed of SEEDS) {
      const m = measure([], seed);
      expect(m.crashes).toHaveLength(3);
      expect(m.resumed.map((e) => e.step)).toEqual(m.crashes.map((e) => e.step));
      expect(m.resumed.map((e) => e.runtime)).toEqual(['reconciler#2', 'reconciler#3', 'reconciler#4']);
      for (const s of m.resumeS) {
        expect(s).toBeGreaterThanOrEqual(5);
        expect(s).toBeLessThanOrEqual(20);
      }
      expect(m).toMatchObject({ personAsked: 1, approvals: 1, superseded: 0, finished: 1 });
      expect(m.matches).toBeGreaterThanOrEqual(12);
    }
  });

  it('runtime-bound: every crash supersedes the mission and the person must approve a new one; resume takes minutes', () => {
    for (const seed of SEEDS) {
      const m = measure([RUNTIME], seed);
      expect(m.crashes).toHaveLength(3);
      expect(m).toMatchObject({ personAsked: 4, approvals: 4, superseded: 3, finished: 1 });
      // Restart (<= 20 s) plus a human approval (lognormal(2m, 0.5)) plus polling.
      for (const s of m.resumeS) expect(s).toBeGreaterThan(20);
    }
    const mean = (overrides: string[]) => {
      const all = SEEDS.flatMap((seed) => measure(overrides, seed).resumeS);
      return all.reduce((a, b) => a + b, 0) / all.length;
    };
    expect(mean([RUNTIME])).toBeGreaterThan(5 * mean([]));
  });

  it("the crashed runtime's tokens die with it: the replacement asks for new ones under the same mission (class-bound)", () => {
    const { log } = run([]);
    const replaced = log.find((e) => e.type === 'agent.replaced')!;
    expect(replaced).toMatchObject({ actor: 'ap:reconciler', class: 'recon-fleet', binding: 'class', previous: 'reconciler#1' });
    const approved = log.find((e) => e.type === 'mission.approved')!;
    const after = log.filter((e) => e.t >= replaced.t);
    expect(after.find((e) => e.type === 'token.agent_issued')).toBeDefined();
    expect(after.find((e) => e.type === 'token.auth_granted')).toMatchObject({ mission: approved.mission });
  });

  it('a crash while the proposal waits for the person: the replacement polls the same proposal, no second approval', () => {
    for (const binding of ['class', 'runtime']) {
      const { log } = run([`agents[reconciler].authority_binding=${binding}`, 'faults=[{agent: reconciler, at: 30s}]']);
      const crashed = log.find((e) => e.type === 'agent.crashed')!;
      expect(crashed).toMatchObject({ mission: null, step: 0 });
      expect(log.filter((e) => e.type === 'mission.proposed')).toHaveLength(1);
      expect(log.filter((e) => e.type === 'person.asked')).toHaveLength(1);
      const approved = log.find((e) => e.type === 'mission.approved')!;
      const resumed = log.find((e) => e.type === 'agent.plan_resumed')!;
      expect(resumed).toMatchObject({ mission: approved.mission, step: 0 });
      expect(resumed.t).toBeGreaterThanOrEqual(approved.t);
      expect(log.some((e) => e.type === 'agent.finished')).toBe(true);
    }
  });

  it('a fault after the plan finished crashes nothing; the same seed gives the same log', () => {
    const late = run(['faults=[{agent: reconciler, at: 230m}]']).log;
    expect(late.some((e) => e.type === 'agent.finished')).toBe(true);
    expect(late.some((e) => e.type === 'agent.crashed')).toBe(false);
    expect(run([], 3).fingerprint).toBe(run([], 3).fingerprint);
  });

  it('rejects a fault on an unknown agent; accepts one on a sub-agent (its replacement resumes under the parent mission: test/scenarios/mission-class.test.ts)', () => {
    const text = readFileSync(join(SCENARIOS, 'failover-resume.yaml'), 'utf8');
    expect(scenarioProblems(text, ['faults[0].agent=ghost'])).toEqual([expect.objectContaining({ path: 'faults[0].agent', found: 'unknown agent "ghost"' })]);
    const sub = ['agents[1]={id: helper, person: controller, ps: ps.ops, parent: reconciler, plan: [{op: ledger/read}]}', 'faults[0].agent=helper'];
    expect(() => loadScenario(writeScenario(text), sub)).not.toThrow();
    expect(scenarioProblems(text, ['faults[0].restart=soon'])[0]).toMatchObject({ path: 'faults[0].restart' });
  });
});
