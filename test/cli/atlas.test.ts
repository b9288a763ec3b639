import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ATLAS = `gaps:
  - id: runtime-stop
    title: Revocation does not stop queued work
    seed: "000"
    scenario: ${join(SCENARIOS, 'bulk-export-after-terminate.yaml')}
    grid:
      - topology.resources[export-service].recall=none,before-start
    seeds: 1..2
    baseline: topology.resources[export-service].recall=none
    measure: irreversible_after_termination
    cost: revocation_calls
  - id: pause
    title: Terminate-only lifecycles need a new approval after a pause
    seed: "000"
    scenario: ${join(SCENARIOS, 'compliance-pause.yaml')}
    grid:
      - profile=aauth-r01,mission-authority
    seeds: 1..1
    baseline: profile=aauth-r01
    measure: re_approvals
    cost: ops_during_pause
  - id: later
    title: Not yet
    seed: "000"
    scenario: ${join(SCENARIOS, 'no-such-scenario.yaml')}
    waits_for: issue 99
`;

describe('missionbench atlas', () => {
  it("measures each runnable gap against the seeds' baseline and lists the rest with what they wait for", () => {
    const dir = tempDir();
    const file = join(dir, 'atlas.yaml');
    writeFileSync(file, ATLAS);
    const out = join(dir, 'atlas');
    const result = cli('atlas', '--atlas', file, '--out', out, '--serve');
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('CI is set, so not serving');
    const atlas = JSON.parse(readFileSync(join(out, 'atlas.json'), 'utf8'));
    const [measured, pause, waiting] = atlas.gaps;
    // Seed 000: with recall none the queued export runs after termination; recall before start withdraws it.
    expect(measured).toMatchObject({
      gap: 'runtime-stop',
      status: 'measured',
      baseline: { design: 'topology.resources[export-service].recall=none', measure: { mean: 1, n: 2 } },
      best: { design: 'topology.resources[export-service].recall=before-start', measure: { mean: 0 } },
    });
    expect(measured.finding).toContain('baseline: irreversible_after_termination 1');
    // Seed 000's compliance pause: terminate-only needs the person to approve again after it, mission-authority's suspend does not.
    expect(pause).toMatchObject({
      gap: 'pause',
      baseline: { design: 'profile=aauth-r01', measure: { mean: 1 } },
      best: { design: 'profile=mission-authority', measure: { mean: 0 }, cost: { mean: 0 } },
    });
    expect(waiting).toMatchObject({ gap: 'later', status: 'waiting', waits_for: 'issue 99' });
    expect(result.stdout).toContain('waits for issue 99');

    // An atlas folder is reported gap by gap: the atlas table, then each measured gap's finding and its sweep's sections.
    const report = join(dir, 'atlas.html');
    expect(cli('report', out, '--out', report).code).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Gap atlas');
    expect(html).toContain('waits for issue 99');
    const runtimeStop = html.indexOf('id="gap-runtime-stop"');
    const lifecycle = html.indexOf('id="gap-pause"');
    expect(runtimeStop).toBeGreaterThan(0);
    expect(lifecycle).toBeGreaterThan(runtimeStop);
    expect(html.slice(runtimeStop, lifecycle)).toContain('<h3>Revocation window</h3>');
    expect(html.slice(runtimeStop, lifecycle)).not.toContain('<h3>Lifecycle costs</h3>');
    expect(html.slice(lifecycle)).toContain('<h3>Lifecycle costs</h3>');
    expect(html.slice(lifecycle)).toContain('baseline: re_approvals 1');

    // Running it again reuses the finished runs.
    const again = cli('atlas', '--atlas', file, '--out', out);
    expect(again.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'atlas.json'), 'utf8')).gaps[0].baseline).toEqual(measured.baseline);
  });

  it('refuses a bad atlas file with the line and the path, and a folder that is not an atlas', () => {
    const dir = tempDir();
    const file = join(dir, 'atlas.yaml');
    writeFileSync(file, 'gaps:\n  - id: x\n    title: t\n    seed: s\n    scenario: a.yaml\n    grid: [nonsense]\n    baseline: b\n    measure: m\n');
    const bad = cli('atlas', '--atlas', file, '--out', join(dir, 'out'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/atlas\.yaml:6:\d+: gaps\[0\]\.grid\[0\]: expected path=v1,v2,\.\.\./);
    const foreign = join(dir, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'x');
    writeFileSync(file, ATLAS);
    const refused = cli('atlas', '--atlas', file, '--out', foreign);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not an atlas folder');
  });
});
