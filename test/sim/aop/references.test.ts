import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioProblems, writeScenario } from '../../helpers.ts';

const TRAVEL = readFileSync(join(SCENARIOS, 'myauberge-travel.yaml'), 'utf8');
const BIN = new URL('../../../bin/missionbench.mjs', import.meta.url).pathname;

describe('orchestration scenarios: bad input is refused before the run', () => {
  it('refuses a cyclic Mission Plan, naming the cycle and where it starts', () => {
    const cyclic = TRAVEL.replace(
      '{ id: accommodation, agent: accommodation-agent, duration: exp(4m),',
      '{ id: accommodation, agent: accommodation-agent, duration: exp(4m), depends_on: [{ on: transport, type: SEQUENTIAL }],',
    );
    const problems = scenarioProblems(cyclic);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      path: 'orchestration.sub_goals[0]',
      expected: 'an acyclic Mission Plan',
      found: 'a cycle accommodation -> transport -> accommodation',
    });
    expect(problems[0]?.line).toBe(TRAVEL.split('\n').findIndex((l) => l.includes('id: accommodation,')) + 1);
  });

  it('the CLI reports it as file:line:col: path: expected X, found Y and exits 2', () => {
    const file = writeScenario(
      TRAVEL.replace('type: CONDITIONAL }]', 'type: CONDITIONAL }, { on: dining, type: SEQUENTIAL }]').replace(
        'depends_on: [{ on: accommodation, type: PARALLEL }], sacr: { scope: [ATP_RESTAURANT',
        'depends_on: [{ on: transport, type: PARALLEL }], sacr: { scope: [ATP_RESTAURANT',
      ),
    );
    const result = spawnSync(process.execPath, [BIN, 'validate', file], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /scenario\.yaml:\d+:\d+: orchestration\.sub_goals\[3\]: expected an acyclic Mission Plan, found a cycle transport -> dining -> transport/,
    );
  });

  it('names an unknown Person Server for the chaining side', () => {
    const attacks = readFileSync(join(SCENARIOS, 'aop-attacks.yaml'), 'utf8');
    const found = scenarioProblems(attacks.replace('person_server: commander-ps', 'person_server: nowhere-ps')).map(
      (p) => `${p.path}: expected ${p.expected}, found ${p.found}`,
    );
    expect(found).toEqual(['orchestration.person_server: expected the id of a Person Server (commander-ps), found unknown Person Server "nowhere-ps"']);
  });

  it('names unknown sub-goals, people and duplicate agents', () => {
    const bad = TRAVEL.replace('principal: guest', 'principal: ghost')
      .replace('{ on: accommodation, type: CONDITIONAL }', '{ on: hotel, type: CONDITIONAL }')
      .replace('agent: dining-agent', 'agent: transport-agent');
    const found = scenarioProblems(bad).map((p) => `${p.path}: ${p.found}`);
    expect(found).toEqual([
      'orchestration.principal: unknown person "ghost"',
      'orchestration.sub_goals[3].agent: duplicate agent "transport-agent"',
      'orchestration.sub_goals[3].depends_on[0].on: unknown sub-goal "hotel"',
    ]);
  });

  it('an attack must say what it does', () => {
    const bad = `${TRAVEL}  attacks:\n    - { kind: spawn, at: 1m, by: nobody }\n    - { kind: spo_tamper, at: 1m, plan_b: nothing, spo: {} }\n`;
    const found = scenarioProblems(bad).map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`);
    expect(found).toEqual([
      'orchestration.attacks[0].scope: expected a field "scope" for a spawn attack, found no such field',
      expect.stringMatching(
        /^orchestration\.attacks\[0\]\.by: expected the id of a agent \(booking-agent, accommodation-agent, .*\), found unknown agent "nobody"$/,
      ),
      'orchestration.attacks[1].plan_b: expected the id of a Plan B (none defined), found unknown Plan B "nothing"',
    ]);
  });

  it('a direct_message names who and whom; an spo_substitute names the Plan B and where its reference now resolves', () => {
    const bad = `${TRAVEL}  attacks:\n    - { kind: direct_message, at: 1m, by: booking-agent }\n    - { kind: spo_substitute, at: 1m, plan_b: nothing }\n`;
    const found = scenarioProblems(bad).map((p) => `${p.path}: expected ${p.expected}, found ${p.found}`);
    expect(found).toEqual([
      'orchestration.attacks[0].to: expected a field "to" for a direct_message attack, found no such field',
      'orchestration.attacks[1].spo_ref: expected a field "spo_ref" for a spo_substitute attack, found no such field',
      'orchestration.attacks[1].plan_b: expected the id of a Plan B (none defined), found unknown Plan B "nothing"',
    ]);
  });

  it('a revocation names a known agent and one of R-1 to R-7', () => {
    const found = scenarioProblems(
      `${TRAVEL}  revocations:\n    - { trigger: R-3, at: 1m, agent: nobody }\n    - { trigger: R-8, at: 1m, agent: booking-agent }\n`,
    ).map((p) => p.path);
    expect(found).toContain('orchestration.revocations[1].trigger');
    const unknown = scenarioProblems(`${TRAVEL}  revocations:\n    - { trigger: R-3, at: 1m, agent: nobody }\n`).map((p) => `${p.path}: ${p.found}`);
    expect(unknown).toEqual(['orchestration.revocations[0].agent: unknown agent "nobody"']);
  });

  it('a wrong dependency type or replan authority is a schema error', () => {
    const bad = TRAVEL.replace('type: CONDITIONAL', 'type: EVENTUALLY').replace('replan_authority: BOUNDED', 'replan_authority: UNLIMITED');
    const found = scenarioProblems(bad).map((p) => `${p.path}: ${p.found}`);
    expect(found).toContain('orchestration.sub_goals[3].depends_on[0].type: "EVENTUALLY"');
    expect(found).toContain('orchestration.orchestrator.replan_authority: "UNLIMITED"');
  });
});
