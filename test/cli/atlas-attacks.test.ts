import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 17 item 3: the atlas's answers for the attack gaps, exactly as
 * scenarios/atlas/gaps.yaml defines them (only those gaps are run). Every
 * count comes from the truth `attack` records through the SQL metrics.
 */
const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const ATLAS = new URL('../../scenarios/atlas/gaps.yaml', import.meta.url).pathname;
const ATTACK_GAPS = [
  'mission-on-the-wire',
  'mission-stripped-on-the-wire',
  'mission-confusion-on-the-wire',
  'replayed-resource-token',
  'class-intruder',
  'class-intruder-shared',
];

type Summary = { metric: string; mean: number | null; n: number };
type Design = { design: string; failure: Summary; cost: Summary | null; also?: Summary[] };
type Row = { gap: string; status: string; baseline: Design; alternatives: Design[]; best: Design | null; curves: Array<Record<string, any>> };

let gaps: Map<string, Row>;
let stdout = '';
let atlasDir = '';

// One atlas folder for every test here (helpers' tempDir is removed after each test).
const dir = mkdtempSync(join(tmpdir(), 'missionbench-atlas-attacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const atlas = parse(readFileSync(ATLAS, 'utf8')) as { gaps: Array<Record<string, unknown>> };
  const only = atlas.gaps
    .filter((gap) => ATTACK_GAPS.includes(String(gap.id)))
    .map((gap) => ({ ...gap, scenario: resolve(dirname(ATLAS), String(gap.scenario)) }));
  const file = join(dir, 'attacks.yaml');
  writeFileSync(file, stringify({ gaps: only }));
  const result = spawnSync(process.execPath, [BIN, 'atlas', '--atlas', file, '--out', join(dir, 'atlas'), '--workers', '2'], {
    encoding: 'utf8',
    env: { ...process.env, CI: '1' },
  });
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.status).toBe(0);
  stdout = result.stdout;
  atlasDir = join(dir, 'atlas');
  const rows = (JSON.parse(readFileSync(join(dir, 'atlas', 'atlas.json'), 'utf8')) as { gaps: Row[] }).gaps;
  gaps = new Map(rows.map((row) => [row.gap, row]));
}, 600_000);

/** The mean of `metric` (the failure, the cost or an `also` metric) for the design of `profile` in `gap`. */
function value(gap: string, profile: string, metric: string): number | null {
  const row = gaps.get(gap) as Row;
  const design = [row.baseline, ...row.alternatives].find((d) => d.design === `profile=${profile}`);
  expect(design, `${gap} has profile=${profile}`).toBeDefined();
  const summaries = [design?.failure, design?.cost, ...(design?.also ?? [])].filter((s): s is Summary => s !== null && s !== undefined);
  const summary = summaries.find((s) => s.metric === metric);
  expect(summary, `${gap} ${profile} reports ${metric}`).toBeDefined();
  return summary?.mean ?? null;
}

const answers = (gap: string, profile: string) => ({
  effective: value(gap, profile, 'attacks_effective'),
  by_ps: value(gap, profile, 'attacks_refused_by_ps'),
  by_resource: value(gap, profile, 'attacks_refused_by_resource'),
  in_log: value(gap, profile, 'attacks_visible_in_log'),
  oracle_only: value(gap, profile, 'attacks_oracle_only'),
});

describe('the atlas measures the attacks that separate the revisions', () => {
  it('runs all six attack gaps, every design over the same 5 seeds (each answer the same in every run)', () => {
    for (const id of ATTACK_GAPS) {
      const row = gaps.get(id) as Row;
      expect(row.status, id).toBe('measured');
      for (const design of [row.baseline, ...row.alternatives]) expect(design.failure.n, `${id} ${design.design}`).toBe(5);
    }
    expect(stdout).toContain('also (descriptive, never ranked)');
  });

  it("(a) forged mission: r01 lets the intern's attack take effect (the log shows it), -11 and latest have the PS refuse both attacks", () => {
    expect(answers('mission-on-the-wire', 'aauth-r01')).toEqual({ effective: 1, by_ps: 1, by_resource: 0, in_log: 2, oracle_only: 0 });
    for (const profile of ['aauth-r11', 'aauth-latest'])
      expect(answers('mission-on-the-wire', profile)).toEqual({ effective: 0, by_ps: 2, by_resource: 0, in_log: 2, oracle_only: 0 });
    expect(value('mission-on-the-wire', 'aauth-r01', 'outside_intent')).toBe(1);
    expect(value('mission-on-the-wire', 'aauth-r11', 'outside_intent')).toBe(0);
    expect(gaps.get('mission-on-the-wire')?.best?.design).toBe('profile=aauth-r11');
  });

  it('(b) stripped mission: refused by the PS under every revision, so the count does not separate them (the reason does)', () => {
    for (const profile of ['aauth-r01', 'aauth-r11', 'aauth-latest'])
      expect(answers('mission-stripped-on-the-wire', profile)).toEqual({ effective: 0, by_ps: 1, by_resource: 0, in_log: 1, oracle_only: 0 });
    expect(gaps.get('mission-stripped-on-the-wire')?.best).toBeNull();
  });

  it("(c) mission confusion: under r01 the courier's substitution and the mixer's own other mission both take effect, only the oracle knows; -11 refuses the courier's", () => {
    expect(answers('mission-confusion-on-the-wire', 'aauth-r01')).toEqual({ effective: 2, by_ps: 0, by_resource: 0, in_log: 0, oracle_only: 2 });
    for (const profile of ['aauth-r11', 'aauth-latest'])
      expect(answers('mission-confusion-on-the-wire', profile)).toEqual({ effective: 1, by_ps: 1, by_resource: 0, in_log: 1, oracle_only: 1 });
  });

  it("(d) replayed resource token: the thief's is refused by the PS and the echo's takes effect under every revision, both visible in the log", () => {
    for (const profile of ['aauth-r01', 'aauth-r11', 'aauth-latest'])
      expect(answers('replayed-resource-token', profile)).toEqual({ effective: 1, by_ps: 1, by_resource: 0, in_log: 2, oracle_only: 0 });
    expect(gaps.get('replayed-resource-token')?.best).toBeNull();
  });

  it('(e) a runtime of another class: effective and seen only by the oracle under every AAuth revision; refused under mission-authority, by the PS or (shared token cache) by the resource', () => {
    for (const gap of ['class-intruder', 'class-intruder-shared'])
      for (const profile of ['aauth-r01', 'aauth-r11', 'aauth-latest'])
        expect(answers(gap, profile), `${gap} ${profile}`).toEqual({ effective: 1, by_ps: 0, by_resource: 0, in_log: 0, oracle_only: 1 });
    expect(answers('class-intruder', 'mission-authority')).toEqual({ effective: 0, by_ps: 1, by_resource: 0, in_log: 1, oracle_only: 0 });
    expect(answers('class-intruder-shared', 'mission-authority')).toEqual({ effective: 0, by_ps: 0, by_resource: 1, in_log: 1, oracle_only: 0 });
    expect(gaps.get('class-intruder')?.best?.design).toBe('profile=mission-authority');
    // The class check decides it, whatever the profile: with class_check true the r01 baseline refuses the intruder too.
    const [unchecked, checked] = ((gaps.get('class-intruder') as Row).curves[0]?.points ?? []) as Array<{
      value: string;
      baseline: Summary;
      alternative: Summary;
    }>;
    expect([unchecked?.value, unchecked?.baseline.mean, unchecked?.alternative.mean]).toEqual(['false', 1, 1]);
    expect([checked?.value, checked?.baseline.mean, checked?.alternative.mean]).toEqual(['true', 0, 0]);
  });

  it('the report shows who refused and what the log shows, per design, beside failure and cost', () => {
    const report = join(dir, 'attacks.html');
    const result = spawnSync(process.execPath, [BIN, 'report', atlasDir, '--out', report], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const html = readFileSync(report, 'utf8');
    const start = html.indexOf('id="gap-class-intruder-shared"');
    expect(start).toBeGreaterThan(0);
    const section = html.slice(start);
    expect(section).toContain('Also (descriptive, never ranked)');
    expect(section).toContain('attacks_refused_by_resource');
  });
});
