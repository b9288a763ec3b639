import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

/** analyze --json: the default tables (revocation_window, load, replications: means, deviations, intervals) and the check. */
function analyze(dir: string, args: string[], threads?: number): string {
  const env = { ...process.env, ...(threads === undefined ? {} : { MISSIONBENCH_DUCKDB_THREADS: String(threads) }) };
  const json = spawnSync(process.execPath, [BIN, 'analyze', dir, '--json', ...args], { encoding: 'utf8', env });
  expect(json.status, json.stderr).toBe(0);
  return json.stdout;
}

describe('reproducible analysis', () => {
  it('the same runs give the same bytes: analysed twice, again with --reingest, with 1 and with 2 DuckDB threads', () => {
    const sweep = join(tempDir(), 'sweep');
    buildSweep(join(SCENARIOS, 'token-lifetime-sizing.yaml'), ['tokens.auth_ttl=2m,30m'], [1, 2, 3], sweep, { sidecars: false });
    const first = analyze(sweep, []);
    expect(JSON.parse(first).replications.length).toBeGreaterThan(0);
    expect(analyze(sweep, [])).toEqual(first);
    expect(analyze(sweep, ['--reingest'])).toEqual(first);
    expect(analyze(sweep, ['--reingest'], 1)).toEqual(first);
    expect(analyze(sweep, ['--reingest'], 2)).toEqual(first);
  });
});
