import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioProblems, writeScenario } from '../../helpers.ts';

const CHAIN = readFileSync(join(SCENARIOS, 'vendor-onboarding-chain.yaml'), 'utf8');
const BIN = new URL('../../../bin/missionbench.mjs', import.meta.url).pathname;

describe('authority scenarios: bad input is refused before the run', () => {
  it('names an unknown authority model, with the models it expected', () => {
    const [problem] = scenarioProblems(CHAIN.replace('authority: text', 'authority: vibes'));
    expect(problem).toMatchObject({ path: 'topology.person_servers[0].authority', found: '"vibes"' });
    expect(problem?.expected).toContain('"envelope"');
  });

  it('names a constraint that is not `attr <= N`', () => {
    const [problem] = scenarioProblems(CHAIN.replace('constraints: ["amount <= 50000"]', 'constraints: ["amount > 5"]'));
    expect(problem?.path).toBe('agents[2].grant.grants[1].constraints[0]');
    expect(problem?.found).toBe('"amount > 5"');
  });

  it('names an unknown parent, and an agent with both a mission and a parent', () => {
    expect(scenarioProblems(CHAIN.replace('parent: procurement', 'parent: ghost'))[0]).toMatchObject({
      path: 'agents[2].parent',
      found: 'unknown agent "ghost"',
    });
    const both = CHAIN.replace('    ps: ps.acme\n    mission:', '    ps: ps.acme\n    parent: procurement\n    mission:');
    expect(scenarioProblems(both).map((p) => [p.path, p.found])).toContainEqual(['agents[0]', 'both']);
  });

  it('names a cycle of parents', () => {
    const cycle = CHAIN.replace('parent: onboarding', 'parent: reconciliation');
    expect(scenarioProblems(cycle).map((p) => p.found)).toContainEqual('a cycle through "procurement"');
  });

  it('names an unknown resource in a grant', () => {
    const [problem] = scenarioProblems(CHAIN.replace('resources: [payments.live], constraints', 'resources: [payments.fake], constraints'));
    expect(problem).toMatchObject({ path: 'agents[2].grant.grants[1].resources[0]', found: 'unknown resource "payments.fake"' });
  });

  it('names an unknown operation called downstream (call chaining)', () => {
    const [problem] = scenarioProblems(
      CHAIN.replace(
        '{ name: po.create, class: procurement, action: write }',
        '{ name: po.create, class: procurement, action: write, calls: [{ op: payments.live/refund }] }',
      ),
    );
    expect(problem).toMatchObject({ path: 'topology.resources[1].operations[0].calls[0].op', found: 'unknown operation "refund"' });
  });

  it('prints file:line:col: path: expected X, found Y and exits 2', () => {
    const file = writeScenario(CHAIN.replace('narrowing: at-mint', 'narrowing: sometimes'));
    const result = spawnSync(process.execPath, [BIN, 'validate', file], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/scenario\.yaml:\d+:\d+: topology\.person_servers\[0\]\.narrowing: expected .*"at-mint".*, found "sometimes"/);
  });
});
