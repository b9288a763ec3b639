import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { formatProblem, ScenarioError, type ScenarioProblem } from '../../../sim/scenario/problems.ts';
import { SCENARIOS, scenarioProblems, tempDir, writeScenario } from '../../helpers.ts';

const VALID = `name: small
description: one queue
duration: 1h
topology:
  resources:
    - id: db
      queue:
        servers: 1
        service: exp(1s)
workload:
  - id: load
    resource: db
    interarrival: exp(3s)
`;

/** Every problem of a file given as bytes, formatted as the CLI prints them. */
function linesOf(bytes: string | Buffer, overrides: string[] = []): string[] {
  const file = join(tempDir(), 'scenario.yaml');
  writeFileSync(file, bytes);
  try {
    loadScenario(file, overrides);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems.map(formatProblem).map((line) => line.replace(file, 'FILE'));
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('a scenario file that is not a scenario mapping', () => {
  const mapping = 'a scenario: a YAML mapping of fields (name:, description:, duration:, topology:, ...)';

  it('refuses an empty file, with or without --set, in one line without a "(--set)" label', () => {
    expect(linesOf('')).toEqual([`FILE: (document): expected ${mapping}, found an empty document`]);
    expect(linesOf('# only a comment\n', ['duration=1h'])).toEqual([`FILE: (document): expected ${mapping}, found an empty document`]);
  });

  it('refuses a binary file (a NUL byte, or bytes that are not UTF-8)', () => {
    expect(linesOf(Buffer.from([0x00, 0x01, 0xff, 0xfe]))).toEqual([
      'FILE: (document): expected a UTF-8 text (YAML) file, found binary data (bytes that are not UTF-8)',
    ]);
    expect(linesOf(Buffer.from('name: x\n\u0000\u0001\n'), ['a=1'])).toEqual([
      'FILE: (document): expected a UTF-8 text (YAML) file, found binary data (a NUL byte at byte 8)',
    ]);
  });

  it('refuses a list, also with an --set that would index into it (was: "Expected a valid index")', () => {
    expect(linesOf('- a\n- b\n')).toEqual([`FILE:1:1: (document): expected ${mapping}, found a list of 2`]);
    expect(linesOf('- a\n- b\n', ['a=1'])).toEqual([`FILE:1:1: (document): expected ${mapping}, found a list of 2`]);
  });

  it('refuses a scalar, also with an --set (was: "Expected a YAML collection")', () => {
    expect(linesOf('42\n', ['a=1'])).toEqual([`FILE:1:1: (document): expected ${mapping}, found number 42`]);
    expect(linesOf('just words\n')).toEqual([`FILE:1:1: (document): expected ${mapping}, found "just words"`]);
  });

  it('refuses a YAML alias bomb at its first alias (was: "Excessive alias count")', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const lines = linesOf(`${levels.join('\n')}\n`);
    expect(lines).toEqual([
      'FILE:2:10: (document): expected at most 100 YAML alias expansions (*name), found more: aliases of aliases that expand exponentially (refused rather than exhaust memory)',
    ]);
  });

  it('refuses nesting too deep to read as a YAML problem, not a stack overflow', () => {
    const [line] = linesOf(`name: x\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    expect(line).toMatch(/^FILE:2:\d+: \(document\): expected valid YAML, found nesting too deep to read$/);
  });

  it('refuses a folder given as the scenario', () => {
    const dir = tempDir();
    expect(() => loadScenario(dir)).toThrow(`${dir}: (document): expected a readable scenario file, found a folder`);
  });
});

describe('numbers YAML can write and no scenario means', () => {
  it('refuses .nan even where any value is allowed (found by the fuzz test: it crashed the run)', () => {
    let problems: ScenarioProblem[] = [];
    try {
      loadScenario(join(SCENARIOS, 'aop-attacks.yaml'), ['orchestration.eod.plan_b[0].spo.district=.nan']);
    } catch (error) {
      problems = (error as ScenarioError).problems;
    }
    expect(problems.map(formatProblem)).toEqual([
      `${join(SCENARIOS, 'aop-attacks.yaml')} (--set orchestration.eod.plan_b[0].spo.district=.nan): orchestration.eod.plan_b[0].spo.district: expected a finite number, found .nan`,
    ]);
  });

  it('refuses .nan and .inf once each, as such', () => {
    const text = VALID.replace('duration: 1h\n', 'duration: 1h\nnetwork: { loss: .nan }\nauthority: { text: { near_grant: .inf } }\n');
    expect(scenarioProblems(text).map((p) => [p.path, p.line, p.expected, p.found])).toEqual([
      ['network.loss', 4, 'a finite number', '.nan'],
      ['authority.text.near_grant', 5, 'a finite number', '.inf'],
    ]);
  });
});

describe('a workload that can make no progress in simulated time', () => {
  it.each(['0s', 'const(0s)', 'uniform(0s, 0s)', 'empirical(0s)', 'empirical(0s, 0s)', 'choice(0s:1)', 'choice(0s:1, 0s:3)', 'const(0.0001ms)'])(
    'refuses interarrival %s',
    (interarrival) => {
      const problems = scenarioProblems(VALID.replace('exp(3s)', `"${interarrival}"`));
      expect(problems).toEqual([
        expect.objectContaining({
          line: 13,
          path: 'workload[0].interarrival',
          expected: 'a time between arrivals that can be above 0s (with only 0s the stream never leaves t = 0)',
          found: JSON.stringify(interarrival),
        }),
      ]);
    },
  );

  it('still refuses exp(0s) (its mean must be positive)', () => {
    expect(scenarioProblems(VALID.replace('exp(3s)', 'exp(0s)'))[0]?.expected).toBe('a positive mean');
  });

  it('accepts a distribution that is sometimes 0s', () => {
    expect(() => loadScenario(writeScenario(VALID.replace('exp(3s)', '"choice(0s:9, 1s:1)"')))).not.toThrow();
    expect(() => loadScenario(writeScenario(VALID.replace('exp(3s)', 'uniform(0s, 2s)')))).not.toThrow();
  });

  it('refuses 0s waits before asking again: a PS poll interval and a Retry-After', () => {
    const ps = VALID.replace('topology:\n', 'topology:\n  person_servers:\n    - { id: ps, poll_interval: 0s }\n');
    expect(scenarioProblems(ps).map((p) => [p.path, p.expected])).toEqual([['topology.person_servers[0].poll_interval', 'a polling interval greater than 0s']]);
    const push = VALID.replace('        service: exp(1s)\n', '        service: exp(1s)\n      revocation: { mode: push, retry_after: 0s }\n');
    expect(scenarioProblems(push).map((p) => [p.path, p.expected])).toEqual([
      ['topology.resources[0].revocation.retry_after', 'a Retry-After greater than 0s'],
    ]);
  });
});

describe('values from the command line', () => {
  const only = (problems: ScenarioProblem[]) => {
    expect(problems).toHaveLength(1);
    return formatProblem(problems[0]!).replace(/^.*scenario\.yaml/, 'FILE');
  };

  it('names the --set a bad value came from, and asks for a duration rather than "a string"', () => {
    const text = VALID.replace('duration: 1h\n', 'duration: 1h\ntokens: { auth_ttl: 10m }\n');
    expect(only(scenarioProblems(text, ['tokens.auth_ttl=5']))).toBe(
      'FILE (--set tokens.auth_ttl=5): tokens.auth_ttl: expected a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day)), found number 5',
    );
  });

  it('asks for a duration in the file too, where a bare number was written', () => {
    expect(only(scenarioProblems(VALID.replace('duration: 1h', 'duration: 60')))).toBe(
      'FILE:3:11: duration: expected a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day)), found number 60',
    );
  });

  it('accepts min, sec and hr from --set', () => {
    const loaded = loadScenario(writeScenario(VALID), ['duration=2min', 'workload[load].interarrival=exp(30sec)']);
    expect(loaded.spec.duration).toBe('2min');
  });

  it('lists the valid ids, and the nearest, for a bad [id]', () => {
    expect(only(scenarioProblems(VALID, ['workload[lod].interarrival=exp(1s)']))).toBe(
      'FILE (--set workload[lod].interarrival=exp(1s)): workload: expected the id of an item in this list (load), found "lod" (did you mean [load]?)',
    );
  });

  it('refuses a name where a list wants an index or [id] (was: "Expected a valid index")', () => {
    expect(only(scenarioProblems(VALID, ['workload.first=1']))).toBe(
      'FILE (--set workload.first=1): workload.first: expected an index from 0 to 1 or an [id] in this list, found "first"',
    );
  });

  it('labels a bad --grid value as --grid', () => {
    const file = writeScenario(VALID);
    let problems: ScenarioProblem[] = [];
    try {
      loadScenario(file, [{ text: 'duration=5x', flag: '--grid' }]);
    } catch (error) {
      problems = (error as ScenarioError).problems;
    }
    expect(problems.map(formatProblem)).toEqual([
      `${file} (--grid duration=5x): duration: expected a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day)), found 5x at column 1 of "5x"`,
    ]);
  });
});

describe('naming the scenario', () => {
  it('finds a bare NAME in scenarios/, with or without .yaml', () => {
    expect(loadScenario('token-lifetime-sizing').spec.name).toBe('token-lifetime-sizing');
    expect(loadScenario('mm1.yaml').file).toMatch(/scenarios\/mm1\.yaml$/);
  });

  it('suggests the nearest scenario for a mistyped name or path, without a "(--set)" label', () => {
    expect(() => loadScenario('token-lifetim-sizing')).toThrow(
      'token-lifetim-sizing: (document): expected a scenario file, or the name of one in scenarios/, found no such file (did you mean scenarios/token-lifetime-sizing.yaml?)',
    );
    expect(() => loadScenario('scenarios/travel-bookng.yaml')).toThrow(
      'scenarios/travel-bookng.yaml: (document): expected a scenario file, found no such file (did you mean scenarios/travel-booking.yaml?)',
    );
    expect(() => loadScenario('/nonexistent/zzz.yaml')).toThrow(/^\/nonexistent\/zzz\.yaml: \(document\): expected a scenario file, found no such file$/);
  });
});

describe('numbers a policy language cannot read (found by the scenario fuzz test, FUZZ_SEED=1645136319)', () => {
  const scenario = join(SCENARIOS, 'parent-mediated-sub-agents.yaml');
  const accepted = (overrides: string[]) => expect(() => loadScenario(scenario, overrides)).not.toThrow();
  const refused = (overrides: string[]) => {
    try {
      loadScenario(scenario, overrides);
    } catch (error) {
      if (error instanceof ScenarioError) return error.problems.map((p) => p.path);
      throw error;
    }
    throw new Error('expected the scenario to be rejected');
  };

  it("refuses a delegation bound past JavaScript's exact integers, which would print as 1e+21 in the Cedar policy", () => {
    expect(refused(['agents[0].mission.approved.max_depth=1000000000000000000000'])).toEqual(['agents[0].mission.approved.max_depth']);
    expect(refused(['topology.person_servers[0].max_depth=1000000000000000000000'])).toEqual(['topology.person_servers[0].max_depth']);
    accepted(['agents[0].mission.approved.max_depth=9007199254740991']);
  });

  it('refuses a constraint bound of more than 15 digits', () => {
    expect(refused(['agents[0].mission.approved.grants[1].constraints=["amount <= 1000000000000000000000"]'])).toEqual([
      'agents[0].mission.approved.grants[1].constraints[0]',
    ]);
    accepted(['agents[0].mission.approved.grants[1].constraints=["amount <= 999999999999999"]']);
  });
});
