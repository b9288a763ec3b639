import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleApi, type ApiSession } from '../../analysis/http-api.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
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
    const session = {
      check: ['run a: UNVERIFIED: this log is broken at seq 3 (line 4): edited: x', 'logs verified: 1; trusted …: 0'],
    } as unknown as ApiSession;
    const response = await handleApi(new URL('http://127.0.0.1/api/check'), () => Promise.resolve(session), { dir: '.', atlas: null });
    expect(response).toEqual({ status: 200, body: { lines: session.check, unverified: [session.check?.[0]] } });
  });
});

describe('GET /api/replay on a sweep run without its log (swept without --logs)', () => {
  it('regenerates the log from the manifest and replays it; refuses with 409 when the scenario file changed', async () => {
    const dir = tempDir();
    const scenario = join(dir, 'travel-booking.yaml');
    writeFileSync(scenario, readFileSync(join(SCENARIOS, 'travel-booking.yaml')));
    const sweep = join(dir, 'sweep');
    expect(cli('sweep', scenario, '--seeds', '1..2', '--workers', '1', '--out', sweep).status).toBe(0);
    const input = discoverRuns(sweep);
    expect(input.runs.map((run) => existsSync(run.events_path))).toEqual([false, false]);
    const session = { input, analysis: {}, gap: null } as unknown as ApiSession;
    const replay = (run: string) =>
      handleApi(new URL(`http://127.0.0.1/api/replay?run=${encodeURIComponent(run)}`), () => Promise.resolve(session), { dir: sweep, atlas: null });
    const first = input.runs[0]!;
    const answered = await replay(first.run_id);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ verify: { ok: true, events: first.events } });
    expect(existsSync(first.events_path)).toBe(true);

    writeFileSync(scenario, `${readFileSync(scenario, 'utf8')}\n# changed\n`);
    const refused = await replay(input.runs[1]!.run_id);
    expect(refused.status).toBe(409);
    expect((refused.body as { error: string }).error).toMatch(/its scenario file .* changed since the run/);
  });
});
