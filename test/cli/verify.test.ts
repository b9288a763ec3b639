import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('missionbench verify', () => {
  it('exits 0 with a summary on an untouched run, 1 naming the seq after an edit, 2 on a missing path', () => {
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', dir).status).toBe(0);
    const ok = cli('verify', dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ok: \d+ events, chain intact, sealed, 1 session blocks verified, last hash [0-9a-f]{64}\n/);
    expect(ok.stdout).toContain('simulated log: signatures checked against the simulated keys derived from seed 1 (named by run.started); they prove integrity against accident, not against someone who knows the seed');

    const log = join(dir, 'events.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[7] = (lines[7] as string).replace('"granted"', '"Granted"').replace('"t":', '"t":1');
    writeFileSync(log, lines.join('\n'));
    const bad = cli('verify', log);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('seq 7 (line 8): edited');

    const missing = cli('verify', join(dir, 'nothing-here'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
  });
});
