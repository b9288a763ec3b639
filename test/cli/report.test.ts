import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSweep } from '../analysis/fixtures.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('missionbench report', () => {
  it('writes one self-contained HTML file with SVG charts and the metric tables', () => {
    const sweep = join(tempDir(), 'sweep');
    buildSweep(
      join(SCENARIOS, 'token-lifetime-sizing.yaml'),
      ['tokens.auth_ttl=2m,30m', 'topology.resources[ledger].revocation.mode=none,push'],
      [1, 2],
      sweep,
    );
    const out = join(tempDir(), 'report.html');
    const result = cli('report', sweep, '--out', out, '--max-p99-stop', '1m', '--max-ps-rps', '0.5');
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('self-contained');
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg/g)?.length).toBe(4); // heatmap, curves, trade-off, load
    expect(html).toContain('<h2>Containment</h2>');
    // These agents stay inside their intent: containment says so in words instead of drawing zero bars.
    expect(html).toMatch(/<p class="note">None of the [\d,]+ executed operations fell outside the person&#39;s intent/);
    // The architect's answer is named, and every table downloads as CSV.
    expect(html).toMatch(
      /<p class="answer">✓ Cheapest design meeting both bounds \(p99 runtime stop ≤ 60 s and Person Server load ≤ 0\.5 req\/s\): tokens\.auth_ttl=30m, topology\.resources\[ledger\]\.revocation\.mode=push — /,
    );
    expect(html.match(/<a download="[\w-]+\.csv" href="data:text\/csv/g)?.length).toBe(html.match(/<table/g)?.length);
    expect(html).toContain('Bounds: p99 runtime stop at most 60 s');
    expect(html).toContain('tokens.auth_ttl=30m, topology.resources[ledger].revocation.mode=none');
    // Nothing to fetch: no scripts, no external stylesheets or images.
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(readdirSync(join(out, '..')).filter((name) => name.includes('.partial-'))).toEqual([]);
  });

  it('explains an empty runtime-stop section instead of drawing an empty chart', () => {
    const run = join(tempDir(), 'mm1');
    expect(cli('run', join(SCENARIOS, 'mm1.yaml'), '--out', run, '--set', 'duration=10m').code).toBe(0);
    const out = join(tempDir(), 'report.html');
    expect(cli('report', run, '--out', out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('No mission was terminated in these runs');
  });

  it('refuses bad bounds and writes nothing', () => {
    const out = join(tempDir(), 'report.html');
    const bad = cli('report', join(tempDir()), '--out', out, '--max-ps-rps', 'many');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--max-ps-rps expects a non-negative number');
    expect(existsSync(out)).toBe(false);
  });
});
