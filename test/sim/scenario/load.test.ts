import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { formatProblem } from '../../../sim/scenario/problems.ts';
import { scenarioProblems, writeScenario } from '../../helpers.ts';

const VALID = `name: small
description: two resources
duration: 1h
topology:
  resources:
    - id: a
      queue:
        servers: 1
        service: exp(1s)
    - id: b
      queue:
        servers: 2
        capacity: 5
        service: uniform(1s, 2s)
workload:
  - id: load
    resource: b
    interarrival: exp(3s)
`;

const problemsOf = scenarioProblems;

describe('loadScenario', () => {
  it('accepts a valid scenario and records its SHA-256', () => {
    const loaded = loadScenario(writeScenario(VALID));
    expect(loaded.spec.topology.resources.map((r) => r.id)).toEqual(['a', 'b']);
    expect(loaded.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('locates a wrong type at its line and column, with the path, expected and found', () => {
    const problems = problemsOf(VALID.replace('servers: 2', 'servers: two'));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 12, column: 18, path: 'topology.resources[1].queue.servers', expected: 'an integer', found: '"two"' });
    expect(formatProblem(problems[0]!)).toMatch(/scenario\.yaml:12:18: topology\.resources\[1\]\.queue\.servers: expected an integer, found "two"$/);
  });

  it('reports a number out of range', () => {
    const [problem] = problemsOf(VALID.replace('servers: 2', 'servers: 0'));
    expect(problem).toMatchObject({ path: 'topology.resources[1].queue.servers', expected: 'a number >= 1', found: 'number 0' });
  });

  it('reports a bad distribution with what the parser expected', () => {
    const [problem] = problemsOf(VALID.replace('exp(3s)', 'expo(3s)'));
    expect(problem?.path).toBe('workload[0].interarrival');
    expect(problem?.line).toBe(18);
    expect(problem?.expected).toMatch(/exp/);
  });

  it('reports a missing field at its parent and an unknown field at its key', () => {
    const problems = problemsOf(VALID.replace('        servers: 1\n', '        servrs: 1\n'));
    const paths = problems.map((p) => p.path).sort();
    expect(paths).toEqual(['topology.resources[0].queue.servers', 'topology.resources[0].queue.servrs']);
    const unknown = problems.find((p) => p.path.endsWith('servrs'))!;
    expect(unknown).toMatchObject({ line: 8, column: 9, found: 'unknown field "servrs"' });
    expect(unknown.expected).toContain('servers');
  });

  it('reports every problem, not just the first', () => {
    const problems = problemsOf(VALID.replace('servers: 2', 'servers: -1').replace('duration: 1h', 'duration: 1 hour'));
    expect(problems.map((p) => p.path).sort()).toEqual(['duration', 'topology.resources[1].queue.servers']);
  });

  it('rejects a reference to an unknown resource and duplicate ids', () => {
    const problems = problemsOf(VALID.replace('resource: b', 'resource: c').replace('- id: b', '- id: a'));
    expect(problems.map((p) => [p.path, p.found])).toEqual([
      ['topology.resources[1].id', 'duplicate id "a"'],
      ['workload[0].resource', 'unknown resource "c"'],
    ]);
  });

  it('reports YAML syntax errors with their position', () => {
    const [problem] = problemsOf('name: x\n  bad: [\n');
    expect(problem?.expected).toBe('valid YAML');
    expect(problem?.line).toBeGreaterThan(0);
  });

  it('reports a missing file', () => {
    expect(() => loadScenario('/nonexistent/scenario.yaml')).toThrow(/no such file/);
  });

  it('applies --set overrides by index and by id, reading values as YAML', () => {
    const loaded = loadScenario(writeScenario(VALID), ['topology.resources[0].queue.servers=4', 'topology.resources[b].queue.service=exp(9s)']);
    expect(loaded.spec.topology.resources[0]?.queue.servers).toBe(4);
    expect(loaded.spec.topology.resources[1]?.queue.service).toBe('exp(9s)');
    expect(loaded.overrides).toHaveLength(2);
  });

  it('validates overridden values and says they came from --set', () => {
    const problems = problemsOf(VALID, ['topology.resources[0].queue.servers=zero']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 0, path: 'topology.resources[0].queue.servers' });
    expect(formatProblem(problems[0]!)).toContain(
      'scenario.yaml (--set topology.resources[0].queue.servers=zero): topology.resources[0].queue.servers: expected an integer',
    );
  });

  it('rejects overrides that lead nowhere', () => {
    expect(problemsOf(VALID, ['topology.resources[zz].queue.servers=1'])[0]).toMatchObject({
      expected: 'the id of an item in this list (a, b)',
      found: '"zz"',
    });
    expect(problemsOf(VALID, ['topology.nothing.here=1'])[0]?.path).toBe('topology.nothing');
    expect(problemsOf(VALID, ['no-equals-sign'])[0]?.expected).toBe('path=value');
  });
});
