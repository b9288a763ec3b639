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

/** Seed 000's bulk export with every delay fixed: the scenario draws nothing random. */
function deterministicScenario(dir: string): string {
  const text = readFileSync(join(SCENARIOS, 'bulk-export-after-terminate.yaml'), 'utf8')
    .replace('latency: exp(50ms)', 'latency: const(50ms)')
    .replace('service: exp(200ms)', 'service: const(200ms)')
    .replace(/ {4}- id: ps\n/, '    - id: ps\n      queue: { servers: 1, service: const(5ms) }\n');
  const file = join(dir, 'fixed-export.yaml');
  writeFileSync(file, `${text}\nnetwork:\n  latency: const(20ms)\n`);
  return file;
}

const atlasFile = (fixed: string) => `gaps:
  - id: runtime-stop
    title: Revocation does not stop queued work
    seed: "000 (gap 3)"
    scenario: ${join(SCENARIOS, 'bulk-export-after-terminate.yaml')}
    grid:
      - topology.resources[export-service].recall=none,before-start
    precision: 0.5
    batch: 3
    min_seeds: 3
    max_seeds: 6
    baseline: topology.resources[export-service].recall=none
    measure: runs_irreversible_after_termination
    cost: revocation_calls
    words:
      topology.resources[export-service].recall=none: queued work kept
      topology.resources[export-service].recall=before-start: queued work recalled
    curves:
      - assumption: revocation delivery delay
        path: topology.resources[export-service].revocation.latency
        values: [const(50ms), const(20m)]
        seeds: 1..4
      - assumption: person error rate
        pending: not modelled
  - id: fixed
    title: The same export with nothing random
    seed: "000 (gap 3)"
    scenario: ${fixed}
    grid:
      - topology.resources[export-service].recall=none,before-start
    precision: 0.1
    baseline: topology.resources[export-service].recall=none
    measure: irreversible_after_termination
    cost: revocation_calls
  - id: pause
    title: Terminate-only lifecycles need a new approval after a pause
    seed: "000 (gap 2)"
    scenario: ${join(SCENARIOS, 'compliance-pause.yaml')}
    grid:
      - profile=aauth-r01,mission-authority
    seeds: 1..2
    baseline: profile=aauth-r01
    measure: re_approvals
    cost: ops_during_pause
  - id: later
    title: Not yet
    seed: "000"
    scenario: ${join(SCENARIOS, 'no-such-scenario.yaml')}
    waits_for: issue 99
seed_000_table:
  - id: runtime-stop
    question: Can mission revocation guarantee runtime stop?
    draft_answer: "No"
    scenario: ${join(SCENARIOS, 'bulk-export-after-terminate.yaml')}
    metric: runs_irreversible_after_termination
    seeds: 1..2
    designs:
      aauth-r01: [profile=aauth-r01]
      mission-authority: [profile=mission-authority, "interventions[0].action=terminate-policy"]
`;

describe('missionbench atlas', () => {
  it('answers each gap in words with intervals, stops replications by precision, says what is deterministic, draws the curve and measures seed 000s table', () => {
    const dir = tempDir();
    const file = join(dir, 'atlas.yaml');
    writeFileSync(file, atlasFile(deterministicScenario(dir)));
    const out = join(dir, 'atlas');
    const result = cli('atlas', '--atlas', file, '--out', out, '--serve', '--workers', '2');
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('CI is set, so not serving');
    const atlas = JSON.parse(readFileSync(join(out, 'atlas.json'), 'utf8'));
    expect(atlas.rule).toContain('the cheapest alternative');
    const [stop, fixed, pause, waiting] = atlas.gaps;

    // Seed 000: with recall none the queued export runs after termination in every run; recall before start withdraws it.
    // Wilson at 3/3 is [0.44, 1], wider than 0.5; at 6/6 [0.61, 1]: the precision target stops it at 6.
    expect(stop).toMatchObject({
      gap: 'runtime-stop',
      status: 'measured',
      stopping: { reason: 'precision', seeds: 6, target: 0.5 },
      baseline: { name: 'queued work kept', failure: { mean: 1, n: 6, interval: 'wilson', ci95: { high: 1 } } },
      best: { name: 'queued work recalled', failure: { mean: 0, n: 6, ci95: { low: 0 } } },
      failure_metric: { unit: 'share of runs', better: 'lower' },
    });
    expect(stop.baseline.failure.ci95.low).toBeCloseTo(0.61, 2);
    // The curve: a revocation delivered after the export started cannot recall it, so the verdict swaps.
    expect(stop.curves[0]).toMatchObject({ status: 'measured', swaps: ['between const(50ms) and const(20m): alternative better -> indistinguishable'] });
    expect(stop.curves[1]).toMatchObject({ status: 'pending', pending: 'not modelled' });
    // Each point carries the gap's cost for both designs (revocation calls: none when queued work is kept).
    for (const point of stop.curves[0].points) {
      expect(point.baseline_cost).toMatchObject({ metric: 'revocation_calls', n: 4 });
      expect(point.alternative_cost).toMatchObject({ metric: 'revocation_calls', n: 4 });
    }
    // Nothing random: n = 1, no interval.
    expect(fixed).toMatchObject({ stopping: { reason: 'deterministic', seeds: 1 }, baseline: { failure: { n: 1, ci95: null, mean: 1 } } });
    // Seed 000's pause: terminate-only needs the person to approve again after it; mission-authority's suspend does not.
    expect(pause).toMatchObject({
      gap: 'pause',
      stopping: { reason: 'fixed', seeds: 2 },
      baseline: { design: 'profile=aauth-r01', failure: { mean: 1 } },
      best: { design: 'profile=mission-authority', failure: { mean: 0 }, cost: { mean: 0 } },
    });
    expect(waiting).toMatchObject({ gap: 'later', status: 'waiting', waits_for: 'issue 99' });
    expect(atlas.seed_000_table[0]).toMatchObject({
      draft_answer: 'No',
      agrees_with_seed: true,
      answers: { 'aauth-r01': { answer: 'no' }, 'mission-authority': { answer: 'yes' } },
    });

    // The CLI prints the answer: words and units, intervals and n, the rule, the stopping reason, the curve, the table.
    expect(result.stdout).toContain('best alternative: the cheapest alternative');
    expect(result.stdout).toContain(
      'failure: runs in which irreversible work executed after termination (share of runs, lower is better; Wilson score interval',
    );
    expect(result.stdout).toMatch(/baseline\s+queued work kept\s+100% \[61%, 100%\] n=6/);
    expect(result.stdout).toMatch(/best\s+queued work recalled\s+0% \[0%, 39%\] n=6/);
    expect(result.stdout).toContain('replications: precision: every failure interval at most 50% wide after 6 seeds');
    expect(result.stdout).toContain('replications: deterministic: the scenario draws nothing random');
    expect(result.stdout).toContain('1 (n=1, nothing random)');
    expect(result.stdout).toContain('curve over person error rate: pending: not modelled');
    expect(result.stdout).toMatch(/const\(50ms\): baseline .*: alternative better \(cost: baseline .*; alternative .*\)/);
    expect(result.stdout).toContain('measured under mission-authority: yes');
    expect(result.stdout).toContain('waits for issue 99');
    expect(result.stdout).not.toContain('irreversible_after_termination 1 at revocation_calls');

    // An atlas folder is reported gap by gap: the atlas answer, then each measured gap's sections.
    const report = join(dir, 'atlas.html');
    expect(cli('report', out, '--out', report).code).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Gap atlas');
    expect(html).toContain('waits for issue 99');
    expect(html).toContain('queued work recalled');
    expect(html).toContain('Does the draft answer it?');
    const runtimeStop = html.indexOf('id="gap-runtime-stop"');
    const lifecycle = html.indexOf('id="gap-pause"');
    expect(runtimeStop).toBeGreaterThan(0);
    expect(lifecycle).toBeGreaterThan(runtimeStop);
    expect(html.slice(runtimeStop, lifecycle)).toContain('<h3>Revocation window</h3>');
    expect(html.slice(lifecycle)).toContain('<h3>Lifecycle costs</h3>');

    // Running it again reuses the finished runs and reaches the same answer.
    const again = cli('atlas', '--atlas', file, '--out', out, '--workers', '2');
    expect(again.code).toBe(0);
    expect(again.stderr).not.toMatch(/sweep .* done/);
    expect(JSON.parse(readFileSync(join(out, 'atlas.json'), 'utf8')).gaps).toEqual(atlas.gaps);

    // A looser target reaches its decision on the runs already there (the first 3 seeds), as a fresh atlas would.
    writeFileSync(file, atlasFile(deterministicScenario(dir)).replace('precision: 0.5', 'precision: 0.6'));
    const looser = cli('atlas', '--atlas', file, '--out', out, '--workers', '2');
    expect(looser.code).toBe(0);
    expect(looser.stderr).not.toMatch(/sweep .* done/);
    const loose = JSON.parse(readFileSync(join(out, 'atlas.json'), 'utf8')).gaps[0];
    expect(loose).toMatchObject({ stopping: { reason: 'precision', seeds: 3 }, baseline: { failure: { n: 3 } } });
    expect(JSON.parse(readFileSync(join(out, 'runtime-stop', 'sweep.json'), 'utf8')).seeds).toEqual([1, 2, 3]);
  });

  it('refuses a bad atlas file with the line and the path, and a folder that is not an atlas', () => {
    const dir = tempDir();
    const file = join(dir, 'atlas.yaml');
    writeFileSync(
      file,
      'gaps:\n  - id: x\n    title: t\n    seed: s\n    scenario: a.yaml\n    grid: [nonsense]\n    baseline: b\n    measure: m\n    also: [attacks, nope]\n',
    );
    const bad = cli('atlas', '--atlas', file, '--out', join(dir, 'out'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/atlas\.yaml:6:\d+: gaps\[0\]\.grid\[0\]: expected path=v1,v2,\.\.\./);
    // A metric the catalogue does not know, and a gap with neither a precision nor seeds.
    expect(bad.stderr).toMatch(/gaps\[0\]\.measure: expected a metric of the atlas catalogue/);
    expect(bad.stderr).toMatch(/expected a precision/);
    expect(bad.stderr).toMatch(/atlas\.yaml:9:\d+: gaps\[0\]\.also: expected a list of metrics of the atlas catalogue/);
    const foreign = join(dir, 'mine');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'x');
    writeFileSync(file, atlasFile(join(SCENARIOS, 'bulk-export-after-terminate.yaml')));
    const refused = cli('atlas', '--atlas', file, '--out', foreign);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not an atlas folder');
  });
});
