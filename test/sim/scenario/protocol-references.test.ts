import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, scenarioProblems, tempDir, writeScenario } from '../../helpers.ts';

const BULK = readFileSync(join(SCENARIOS, 'bulk-export-after-terminate.yaml'), 'utf8');
const BIN = new URL('../../../bin/missionbench.mjs', import.meta.url).pathname;

const problemsOf = scenarioProblems;

describe('protocol scenarios: bad input is refused before the run', () => {
  it('names an unknown resource in a plan', () => {
    const [problem] = problemsOf(BULK.replace('{ op: crm/read, at: 1m }', '{ op: warehouse/read, at: 1m }'));
    expect(problem).toMatchObject({ path: 'agents[0].plan[0].op', found: 'unknown resource "warehouse"' });
    expect(problem?.expected).toContain('crm, export-service');
  });

  it('names a plan step referencing a missing operation', () => {
    const [problem] = problemsOf(BULK.replace('{ op: crm/read, at: 1m }', '{ op: crm/delete, at: 1m }'));
    expect(problem).toMatchObject({ path: 'agents[0].plan[0].op', expected: 'an operation of crm (read)', found: 'unknown operation "delete"' });
  });

  it("refuses aauth-latest's revocation settings under other profiles, each with its path and why", () => {
    const lawFirm = readFileSync(join(SCENARIOS, 'law-firm-cross-domain.yaml'), 'utf8');
    const settings = [
      'topology.resources[docs.enterprise].revocation={mode: push, rate_limit: {calls: 1, per: 1m}}',
      'topology.access_servers[as.lawfirm].revocation={retry_interval: 1m}',
      'network.server_links=[{ps: ps.enterprise, as: as.lawfirm, loss: 0.5}]',
    ];
    for (const profile of ['aauth-r01', 'aauth-r11', 'oauth']) {
      const problems = problemsOf(lawFirm, [`profile=${profile}`, ...settings]);
      expect(problems.map((p) => [p.path, p.found])).toEqual([
        [expect.stringMatching(/^topology\.resources\[\d+\]\.revocation\.rate_limit$/), `profile ${profile}`],
        [expect.stringMatching(/^topology\.access_servers\[\d+\]\.revocation$/), `profile ${profile}`],
        ['network.server_links', `profile ${profile}`],
      ]);
      expect(problems[0]?.expected).toMatch(/^profile aauth-latest \(.*rate_limited/);
    }
    // The same settings are accepted under aauth-latest.
    expect(() => problemsOf(lawFirm, ['profile=aauth-latest', ...settings])).toThrow('expected the scenario to be rejected');
  });

  it('names an unknown profile', () => {
    const [problem] = problemsOf(BULK.replace('profile: aauth-r01', 'profile: aauth-r99'));
    expect(problem).toMatchObject({ path: 'profile', found: '"aauth-r99"' });
    expect(problem?.expected).toContain('"aauth-r11"');
  });

  it('refuses a zero or negative token lifetime', () => {
    const zero = problemsOf(BULK.replace('seed: 1\n', 'seed: 1\ntokens:\n  auth_ttl: 0s\n'));
    expect(zero[0]).toMatchObject({ path: 'tokens.auth_ttl', expected: 'a token lifetime greater than 0s' });
    const negative = problemsOf(BULK.replace('seed: 1\n', 'seed: 1\ntokens:\n  auth_ttl: -5m\n'));
    expect(negative[0]?.path).toBe('tokens.auth_ttl');
  });

  it('names unknown people, Person Servers and agents', () => {
    const problems = problemsOf(BULK.replace('    person: user\n', '    person: nobody\n').replace('agent: exporter, action', 'agent: ghost, action'));
    expect(problems.map((p) => p.path)).toEqual(['agents[0].person', 'interventions[0].agent']);
  });

  it('exits 2 from `run` with the same lines as validate, writing nothing', () => {
    const file = writeScenario(BULK.replace('profile: aauth-r01', 'profile: saml'));
    const out = join(tempDir(), 'out');
    const result = spawnSync(process.execPath, [BIN, 'run', file, '--out', out], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /:15:10: profile: expected one of "oauth", "aauth-r01", "aauth-r11", "aauth-latest", "aauth-m0", "mission-authority", found "saml"/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe('drift and monitor input', () => {
  const INJECTION = readFileSync(join(SCENARIOS, 'prompt-injection-exfiltration.yaml'), 'utf8');

  it('an injection without `at` is refused at the drift, with its line and column', () => {
    const [problem] = problemsOf(INJECTION.replace('      at: 1m\n', ''));
    expect(problem).toMatchObject({ path: 'agents[0].drift', expected: 'an `at` time for the injection', found: 'none' });
    expect(problem?.line).toBeGreaterThan(0);
    expect(problem?.column).toBeGreaterThan(0);
  });

  it('gradual drift with `at` is refused: gradual drift starts at `from`', () => {
    const [problem] = problemsOf(INJECTION.replace('model: injection', 'model: gradual'));
    expect(problem).toMatchObject({ path: 'agents[0].drift.at', found: '"1m"' });
  });

  it('names an unknown operation the drift leads to', () => {
    const [problem] = problemsOf(INJECTION.replace('toward: [mail/read, web/post]', 'toward: [mail/read, web/upload]'));
    expect(problem).toMatchObject({ path: 'agents[0].drift.toward[1]', expected: 'an operation of web (fetch, post)', found: 'unknown operation "upload"' });
  });

  it('refuses an unknown monitor action and a zero window', () => {
    const problems = problemsOf(INJECTION.replace('action: terminate', 'action: pause').replace('window: 3', 'window: 0'));
    expect(problems.map((p) => p.path).sort()).toEqual(['monitor.action', 'monitor.window']);
  });
});
