import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('missionbench analyze --query NAME --csv', () => {
  it('prints the named query as CSV, raw values, and refuses --csv without one query', () => {
    const run = join(tempDir(), 'bulk');
    expect(cli('run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', run).code).toBe(0);
    const csv = cli('analyze', run, '--query', 'architect', '--param', 'max_p99_stop_s=600', '--param', 'max_ps_rps=1', '--csv');
    expect(csv.code, csv.stderr).toBe(0);
    const [header, first, ...rest] = csv.stdout.trimEnd().split('\n');
    expect(header).toBe(
      'design,params,runs,missions,p99_stop_s,ps_load_rps,ps_token_rps,meets,pareto,ps_load_ci95_low,ps_load_ci95_high,ps_load_interval_method',
    );
    // One run: no interval for its load (empty CSV cells).
    // 539.985687: the termination comes one network latency and the PS's queue after the person acts at 600 s.
    expect(first).toMatch(/^\(single run\),\{\},1,1,539\.985687,[\d.e-]+,[\d.e-]+,true,true,,,none: one run$/);
    expect(rest).toEqual([]);
    const without = cli('analyze', run, '--csv');
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('--csv needs --query NAME');
  });
});
