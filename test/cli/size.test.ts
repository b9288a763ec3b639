import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sizingAnswer, sizingRows } from '../../web/sizing-answer.ts';
import { flipMiddleByte, SCENARIOS, tempDir } from '../helpers.ts';
import { buildSweep } from '../analysis/fixtures.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Rows in the shape of the architect query (the atlas's token-lifetime gap, rounded).
const ROWS = [
  { design: 'ttl=5m, mode=none', runs: 3, missions: 30, p99_stop_s: 280, ps_load_rps: 0.039, pareto: false },
  { design: 'ttl=5m, mode=push', runs: 3, missions: 30, p99_stop_s: 0.2, ps_load_rps: 0.041, pareto: false },
  { design: 'ttl=1h, mode=none', runs: 3, missions: 30, p99_stop_s: 3230, ps_load_rps: 0.0057, pareto: true },
  { design: 'ttl=1h, mode=push', runs: 3, missions: 30, p99_stop_s: 0.3, ps_load_rps: 0.0063, pareto: true },
  { design: 'ttl=1h, mode=cache', runs: 3, missions: 0, p99_stop_s: null, ps_load_rps: 0.006, pareto: false },
];

describe("the architect's answer", () => {
  it('names the cheapest design meeting both bounds, not merely one that meets them', () => {
    const answer = sizingAnswer(ROWS, { max_p99_stop_s: 60, max_ps_rps: 0.05 });
    expect(answer.cheapest?.design).toBe('ttl=1h, mode=push');
    expect(answer.uncertainty).toContain('as few as 0 terminated missions');
    expect(answer.sentence).toMatch(
      /^Cheapest design meeting both bounds \(p99 runtime stop ≤ 60 s and Person Server load ≤ 0\.05 req\/s\): ttl=1h, mode=push — p99 runtime stop 0\.3 s over 30 terminated missions in 3 runs, Person Server load 0\.0063 req\/s\. 2 of 5 designs meet both\.$/,
    );
  });

  it('sorts every design by cost and says which bound each misses', () => {
    const rows = sizingRows(sizingAnswer(ROWS, { max_p99_stop_s: 60, max_ps_rps: 0.04 }));
    expect(rows.map((row) => row.design)).toEqual(['ttl=1h, mode=none', 'ttl=1h, mode=cache', 'ttl=1h, mode=push', 'ttl=5m, mode=none', 'ttl=5m, mode=push']);
    expect(rows[0]?.verdict).toBe('✗ misses p99 stop bound (53.8 min > 60 s, 54× the bound)');
    expect(rows[1]?.verdict).toContain('no terminated mission');
    expect(rows[2]?.verdict).toBe('✓ meets both');
    expect(rows[4]?.verdict).toBe('✗ misses PS load budget (0.041 req/s > 0.04 req/s, 1.0× the bound)');
  });

  it('says when no design meets both, and which comes closest', () => {
    const answer = sizingAnswer(ROWS, { max_p99_stop_s: 0.25, max_ps_rps: 0.006 });
    expect(answer.cheapest).toBeNull();
    expect(answer.closest?.design).toBe('ttl=1h, mode=push');
    expect(answer.sentence).toBe(
      'No design meets both bounds (p99 runtime stop ≤ 0.25 s and Person Server load ≤ 0.006 req/s): 1 of 5 meet the stop bound alone, 2 the load budget alone. ' +
        'The closest is ttl=1h, mode=push, which misses the p99 stop bound (0.3 s > 0.25 s, 1.2× the bound) and the PS load budget (0.0063 req/s > 0.006 req/s, 1.1× the bound).',
    );
  });
});

describe('missionbench size', () => {
  it('prints the answer first, then every design by cost with what it misses', () => {
    const sweep = join(tempDir(), 'sizing');
    buildSweep(join(SCENARIOS, 'token-lifetime-sizing.yaml'), ['tokens.auth_ttl=2m,30m', 'topology.resources[ledger].revocation.mode=none,push'], [1], sweep);
    const text = cli('size', sweep, '--max-p99-stop', '1m', '--max-ps-rps', '0.5');
    expect(text.code, text.stderr).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('bounds: p99 runtime stop <= 60 s, PS requests (tokens + status checks) <= 0.5 req/s');
    expect(lines[2]).toMatch(/^Cheapest design meeting both bounds .*: tokens\.auth_ttl=30m, topology\.resources\[ledger\]\.revocation\.mode=push — /);
    expect(text.stdout).toMatch(/misses p99 stop bound \([\d.]+ min > 60 s/);
    // One seed: the load has no interval, and the answer says so.
    expect(lines[3]).toMatch(/as few as 12 terminated missions, fewer than the 299 .* Its PS load comes from 1 run, too few for an interval\.$/);
    const json = JSON.parse(cli('size', sweep, '--max-p99-stop', '1m', '--max-ps-rps', '0.5', '--json').stdout);
    expect(json.cheapest).toBe('tokens.auth_ttl=30m, topology.resources[ledger].revocation.mode=push');
    const loads = json.by_cost.map((row: { ps_load_rps: number }) => row.ps_load_rps);
    expect(loads).toEqual([...loads].sort((a: number, b: number) => a - b));
    const none = cli('size', sweep, '--max-p99-stop', '0s', '--max-ps-rps', '0');
    expect(none.stdout).toMatch(/^No design meets both bounds/m);
    expect(none.stdout).toContain('The closest is');
  });
});

describe('size says what its answer rests on, as analyze does', () => {
  it('names a refused Parquet file: after the answer in text, in the check and on stderr with --json', () => {
    const sweep = join(tempDir(), 'sweep');
    const swept = cli(
      'sweep',
      'mm1',
      '--set',
      'duration=2m',
      '--grid',
      'topology.resources[0].queue.servers=1,2',
      '--seeds',
      '1..2',
      '--workers',
      '1',
      '--out',
      sweep,
    );
    expect(swept.code, swept.stderr).toBe(0);
    // One byte of a run's events.parquet changed in place: not the file the run wrote.
    const run = 'runs/topology_resources_0_queue_servers=2/seed=1';
    const parquet = join(sweep, run, 'events.parquet');
    flipMiddleByte(parquet);
    const text = cli('size', sweep, '--max-p99-stop', '2m', '--max-ps-rps', '0.2');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^bounds: /);
    expect(text.stdout).toContain(`1 table parsed from its run's logs: ${run}/events.parquet is not the file the run wrote`);
    expect(text.stdout).toContain(
      `Parquet files not used, not the files their runs wrote (neither stat nor SHA-256 matches log-files.json): 1 (${run}/events.parquet)`,
    );
    expect(text.stdout).toContain(
      "runs swept without --logs whose logs were regenerated from their manifests (the simulator reproduced each manifest's fingerprint): 1",
    );
    // Reused the second time, from the check it recorded: still named. --json keeps stdout to the answer and the check.
    const json = cli('size', sweep, '--max-p99-stop', '2m', '--max-ps-rps', '0.2', '--json');
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain('analysis up to date (no run changed since it was checked)');
    expect(JSON.parse(json.stdout).check.parquet_not_as_written).toEqual([[run, 'events.parquet', 'differs']]);
  });
});
