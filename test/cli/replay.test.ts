import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleApi, type ApiSession } from '../../analysis/http-api.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('missionbench replay checks the log before it answers', () => {
  it('answers from an intact log under what its signatures prove; refuses an edited one; marks what follows the edit with --allow-broken', () => {
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', dir).status).toBe(0);
    const intact = cli('replay', dir);
    expect(intact.status).toBe(0);
    const [checked, ...decisions] = intact.stdout.trim().split('\n');
    expect(checked).toMatch(/^checked: \d+ events, chain intact, sealed; simulated log: .*not against someone who knows the seed$/);
    expect(decisions.length).toBeGreaterThan(1);

    // A decision in the middle of the log turned around, its line re-hashed.
    const log = join(dir, 'events.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    const denied = lines.findIndex((line) => line.includes('"type":"token.auth_denied"'));
    expect(denied).toBeGreaterThan(0);
    lines[denied] = (lines[denied] as string).replace('"reason":"', '"reason":"approved after all; ');
    writeFileSync(log, lines.join('\n'));

    const refused = cli('replay', dir);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain(`seq ${denied} (line ${denied + 1}): edited`);

    const marked = cli('replay', dir, '--allow-broken');
    expect(marked.status).toBe(0);
    const [banner, ...shown] = marked.stdout.trim().split('\n');
    expect(banner).toContain(`UNVERIFIED: this log is broken at seq ${denied} (line ${denied + 1})`);
    expect(shown.find((line) => line.includes('approved after all'))).toMatch(/\[unverified\]$/);
    // Decisions before the edit verified and are shown plain.
    expect(shown[0]).not.toContain('[unverified]');
  });
});

describe('GET /api/check', () => {
  it('gives the dashboard the check lines, and the banners of broken logs apart', async () => {
    const session = { check: ['run a: UNVERIFIED: this log is broken at seq 3 (line 4): edited: x', 'logs verified: 1; trusted …: 0'] } as unknown as ApiSession;
    const response = await handleApi(new URL('http://127.0.0.1/api/check'), () => Promise.resolve(session), { dir: '.', atlas: null });
    expect(response).toEqual({ status: 200, body: { lines: session.check, unverified: [session.check?.[0]] } });
  });
});
