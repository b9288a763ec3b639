import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';
import { buildSweep } from '../analysis/fixtures.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const EXAMPLE_LOG = new URL('../../docs/examples/incident-bulk-export.jsonl', import.meta.url).pathname;

// The ingest key is made in a temporary config folder, never in the tester's home.
const CONFIG = mkdtempSync(join(tmpdir(), 'missionbench-analyze-config-'));
afterAll(() => rmSync(CONFIG, { recursive: true, force: true }));

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: CONFIG } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function analyzeJson(dir: string) {
  const result = cli('analyze', dir, '--json');
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('missionbench analyze', () => {
  // The person acts at 600 s; their request reaches the PS one network latency (and its queue) later, 14.3 ms on seed 1,
  // so the export at 1140 s ran 539.985687 s after the termination (540 s before issue 17 made the request a message).
  it("reports seed 000's bulk export: the irreversible export ran about 540 s after termination", () => {
    const run = join(tempDir(), 'bulk');
    expect(cli('run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', run).code).toBe(0);
    const result = analyzeJson(run);
    expect(result.kind).toBe('run');
    expect(result.check).toMatchObject({ verified: 1, trusted: 0, broken: [] });
    expect(result.check.statements[0]).toContain('not against someone who knows the seed');
    expect(result.revocation_window).toEqual([
      expect.objectContaining({ design: '(single run)', missions: 1, max_s: 539.985687, ops_after: 1, irreversible_after: 1, notified: 1 }),
    ]);
    // The second time the analysis is reused, not rebuilt: the same answer, byte for byte.
    const again = cli('analyze', run, '--json');
    expect(again.stderr).toContain('analysis up to date (no run changed since it was checked)');
    expect(JSON.parse(again.stdout)).toEqual(result);
    const text = cli('analyze', run);
    expect(text.stdout).toContain('analysis up to date');
    expect(text.stdout).toContain('logs verified: 1; trusted unchanged since the run wrote them (file stat in log-files.json, not re-read): 0');
    expect(text.stdout).toMatch(/revocation_window\n\s+design\s+missions/);
  });

  it('analyses a log ingested from outside: no scenario, no seed, its own time span', () => {
    const folder = join(tempDir(), 'incident');
    expect(cli('ingest', EXAMPLE_LOG, '--out', folder).code).toBe(0);
    const result = analyzeJson(folder);
    const runs = cli('analyze', folder, '--query', 'runs', '--json');
    const row = JSON.parse(runs.stdout).runs[0];
    expect(row).toMatchObject({ source: 'ingested', seed: null });
    expect(row.scenario).toMatch(/^ingested:.*incident-bulk-export\.jsonl$/);
    expect(result.revocation_window[0].irreversible_after).toBeGreaterThanOrEqual(1);
    expect(result.load[0].ps_token_rps).toBeGreaterThan(0);
  });

  it('analyses a folder of runs, each run its own design', () => {
    const folder = join(tempDir(), 'demo');
    expect(cli('run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', join(folder, 'bulk')).code).toBe(0);
    expect(cli('run', join(SCENARIOS, 'ttl-only-window.yaml'), '--out', join(folder, 'ttl')).code).toBe(0);
    const result = analyzeJson(folder);
    expect(result.kind).toBe('collection');
    expect(result.revocation_window.map((row: { design: string }) => row.design)).toEqual(['bulk', 'ttl']);
  });

  it('refuses a truncated log (exit 1, naming it) and keeps the previous analysis; with --allow-broken names the bad line (exit 2)', () => {
    const run = join(tempDir(), 'bulk');
    expect(cli('run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', run).code).toBe(0);
    expect(cli('analyze', run).code).toBe(0);
    const before = readdirSync(join(run, 'analysis')).sort();
    const log = join(run, 'events.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    appendFileSync(log, (lines[3] as string).slice(0, 70));
    const refused = cli('analyze', run);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`refusing to answer from ${run}: 1 of 1 logs do not verify; run .: line ${lines.length + 1}: truncated`);
    const result = cli('analyze', run, '--reingest', '--allow-broken');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${log}:${lines.length + 1}: expected one JSON object per line`);
    // One line saying why it cannot answer, and how to get the answer for the lines before the break.
    expect(result.stderr).toMatch(/^missionbench: [^\n]*cannot answer even with --allow-broken: [^\n]*silently leave out the rest of the run[^\n]*\n$/);
    expect(result.stderr).toContain(`keep only lines 1..${lines.length} of its events.jsonl (head -n ${lines.length})`);
    expect(readdirSync(run).filter((name) => name.startsWith('.'))).toEqual([]);
    expect(readdirSync(join(run, 'analysis')).sort()).toEqual(before);
    // A line in the middle that is not JSON: following the advice answers for the lines before it, under the truncation banner.
    const copy = join(tempDir(), 'cut');
    cpSync(run, copy, { recursive: true });
    rmSync(join(copy, 'analysis'), { recursive: true });
    const middle = [...lines.slice(0, 10), 'not json', ...lines.slice(10)];
    writeFileSync(join(copy, 'events.jsonl'), `${middle.join('\n')}\n`);
    const refusedMiddle = cli('analyze', copy, '--allow-broken');
    expect(refusedMiddle.code).toBe(2);
    expect(refusedMiddle.stderr).toContain('keep only lines 1..10 of its events.jsonl (head -n 10)');
    writeFileSync(join(copy, 'events.jsonl'), `${middle.slice(0, 10).join('\n')}\n`);
    const salvaged = cli('analyze', copy, '--allow-broken');
    expect(salvaged.stderr).toBe('');
    expect(salvaged.code).toBe(0);
    expect(salvaged.stdout).toMatch(/UNVERIFIED: this log is broken at seq \d+ \(line 10\): truncated/);
  });

  it("refuses a log edited after it was analysed (never 'up to date'); --allow-broken answers under a banner naming the bad seq", () => {
    const out = join(tempDir(), 'incident');
    expect(cli('ingest', EXAMPLE_LOG, '--out', out).code).toBe(0);
    const honest = analyzeJson(out);
    expect(honest.revocation_window[0]).toMatchObject({ max_s: 540, irreversible_after: 1 });
    expect(honest.check.statements[0]).toMatch(
      /^run \.: chained at ingest by missionbench:ingest \(key [\w-]{43}\): proves nothing about the log before \d{4}-/,
    );
    // The forgery: line 14, the export, moved before the termination and made reversible.
    const log = join(out, 'events.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[13] = (lines[13] as string).replace('"t":1140000000', '"t":540000000').replace('"irreversible":true', '"irreversible":false');
    writeFileSync(log, lines.join('\n'));
    const refused = cli('analyze', out);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('seq 13 (line 14): edited');
    const answered = cli('analyze', out, '--allow-broken');
    expect(answered.code).toBe(0);
    expect(answered.stdout).toContain('run .: UNVERIFIED: this log is broken at seq 13 (line 14): edited');
    expect(answered.stdout).toContain('Everything from seq 13 on is unverified');
    // The analysis built with --allow-broken is not an answer without it.
    expect(cli('analyze', out).code).toBe(1);
    // Nor is a report: refused, or written with the banner in it.
    const html = join(tempDir(), 'report.html');
    expect(cli('report', out, '--out', html).code).toBe(1);
    expect(existsSync(html)).toBe(false);
    expect(cli('report', out, '--out', html, '--allow-broken').code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('<p class="unverified">run .: UNVERIFIED: this log is broken at seq 13 (line 14)');
    // replay refuses too, and answers under the banner with --allow-broken.
    expect(cli('replay', out, '--explain').code).toBe(1);
    expect(cli('replay', out, '--explain', '--allow-broken').stdout).toMatch(/^UNVERIFIED: this log is broken at seq 13 \(line 14\)/);
  });

  it("a sweep's untouched logs are trusted from their stat and said to be; a copied one is verified", () => {
    const sweep = join(tempDir(), 'sweep');
    buildSweep(join(SCENARIOS, 'ttl-only-window.yaml'), [], [1, 2, 3], sweep);
    const first = cli('analyze', sweep);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('logs verified: 0; trusted unchanged since the run wrote them (file stat in log-files.json, not re-read): 3');
    // A log rewritten (same bytes, new inode): its stat no longer matches, so it is verified, and the analysis is stale.
    const log = join(sweep, 'runs', 'seed=2', 'events.jsonl');
    const bytes = readFileSync(log);
    rmSync(log);
    writeFileSync(log, bytes);
    const second = cli('analyze', sweep);
    expect(second.stdout).not.toContain('analysis up to date');
    expect(second.stdout).toContain('logs verified: 1; trusted unchanged since the run wrote them (file stat in log-files.json, not re-read): 2');
  });

  it('refuses a folder that holds no run, and runs made by different versions', () => {
    const empty = join(tempDir(), 'empty');
    mkdirSync(empty);
    const none = cli('analyze', empty);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('is not a run folder (no manifest.json), a sweep folder (no sweep.json) or a folder of runs');
    expect(cli('analyze', join(empty, 'missing')).stderr).toContain('no such folder');

    const sweep = join(tempDir(), 'sweep');
    buildSweep(join(SCENARIOS, 'ttl-only-window.yaml'), [], [1, 2], sweep);
    const manifestPath = join(sweep, 'runs', 'seed=2', 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, missionbench_version: '0.0.1' }));
    const mixed = cli('analyze', sweep);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/mixes runs made by missionbench 0\.0\.1 and \d+\.\d+\.\d+.*not comparable/);
    expect(existsSync(join(sweep, 'analysis'))).toBe(false);
  });

  it('analyses what a sweep has so far, and says what is missing', () => {
    const sweep = join(tempDir(), 'sweep');
    buildSweep(join(SCENARIOS, 'ttl-only-window.yaml'), [], [1, 2, 3], sweep);
    const partial = join(tempDir(), 'partial');
    cpSync(sweep, partial, { recursive: true });
    rmSync(join(partial, 'runs', 'seed=3'), { recursive: true });
    const result = cli('analyze', partial, '--json');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1 of 3 planned runs are not finished (e.g. runs/seed=3)');
    expect(JSON.parse(result.stdout).runs).toBe(2);
  });

  it('lists its named queries and runs one with parameters; refuses unknown ones', () => {
    const run = join(tempDir(), 'bulk');
    expect(cli('run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', run).code).toBe(0);
    const list = cli('analyze', run, '--list');
    expect(list.stdout).toMatch(/^architect --param max_p99_stop_s=<number> --param max_ps_rps=<number>$/m);
    expect(list.stdout).toMatch(/^revocation_window$/m);
    const architect = cli('analyze', run, '--query', 'architect', '--param', 'max_p99_stop_s=600', '--param', 'max_ps_rps=1', '--json');
    expect(JSON.parse(architect.stdout).architect[0]).toMatchObject({ p99_stop_s: 539.985687, meets: true, pareto: true });
    const unknown = cli('analyze', run, '--query', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no query named nope');
  });
});

describe('missionbench size', () => {
  it('answers which designs meet a stop bound and a PS budget, with the trade-off curve', () => {
    const sweep = join(tempDir(), 'sizing');
    buildSweep(
      join(SCENARIOS, 'token-lifetime-sizing.yaml'),
      ['tokens.auth_ttl=2m,30m', 'topology.resources[ledger].revocation.mode=none,push'],
      [1, 2],
      sweep,
    );
    const result = cli('size', sweep, '--max-p99-stop', '1m', '--max-ps-rps', '0.5', '--json');
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.bounds).toEqual({ max_p99_stop_s: 60, max_ps_rps: 0.5 });
    expect(answer.designs).toHaveLength(4);
    // Push revocation stops at once; TTL-only with 30-minute tokens cannot meet a one-minute bound.
    expect(answer.meeting).toContain('tokens.auth_ttl=30m, topology.resources[ledger].revocation.mode=push');
    expect(answer.meeting).not.toContain('tokens.auth_ttl=30m, topology.resources[ledger].revocation.mode=none');
    expect(answer.tradeoff_curve.length).toBeGreaterThan(0);
    const text = cli('size', sweep, '--max-p99-stop', '1m', '--max-ps-rps', '0.5');
    expect(text.stdout).toContain('designs meet both');
    expect(text.stdout).toContain('trade-off curve');
    const bad = cli('size', sweep, '--max-p99-stop', 'soon', '--max-ps-rps', '1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-p99-stop expects a duration');
  });
});
