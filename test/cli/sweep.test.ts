import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const SCENARIO = join(SCENARIOS, 'token-lifetime-sizing.yaml');
const GRID = ['--grid', 'tokens.auth_ttl=5m,15m', '--grid', 'topology.resources[ledger].revocation.mode=none,push'];

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every finished run below a sweep folder, by folder, with its fingerprint. */
function fingerprints(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      // Hidden folders are runs still being staged.
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (existsSync(join(path, 'manifest.json'))) found[relative(dir, path)] = JSON.parse(readFileSync(join(path, 'manifest.json'), 'utf8')).fingerprint;
      else walk(path);
    }
  };
  walk(join(dir, 'runs'));
  return found;
}

function hiddenEntries(dir: string): string[] {
  const hidden: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) hidden.push(join(folder, entry.name));
      else if (entry.isDirectory()) walk(join(folder, entry.name));
    }
  };
  walk(dir);
  return hidden;
}

describe('missionbench sweep', () => {
  it('runs grid x seeds into hive-style folders, identically with one worker or two', () => {
    const one = join(tempDir(), 'one');
    const two = join(tempDir(), 'two');
    const first = cli('sweep', SCENARIO, ...GRID, '--seeds', '1..2', '--workers', '1', '--out', one);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('8 runs done');
    expect(cli('sweep', SCENARIO, ...GRID, '--seeds', '1..2', '--workers', '2', '--out', two).code).toBe(0);
    const a = fingerprints(one);
    expect(Object.keys(a)).toHaveLength(8);
    expect(Object.keys(a)).toContain('runs/tokens_auth_ttl=15m/topology_resources_ledger_revocation_mode=push/seed=2');
    expect(fingerprints(two)).toEqual(a);
    // The run is the same as a plain `run` with the same overrides and seed.
    const single = join(tempDir(), 'single');
    cli('run', SCENARIO, '--seed', '2', '--set', 'tokens.auth_ttl=15m', '--set', 'topology.resources[ledger].revocation.mode=push', '--out', single);
    expect(JSON.parse(readFileSync(join(single, 'manifest.json'), 'utf8')).fingerprint).toBe(
      a['runs/tokens_auth_ttl=15m/topology_resources_ledger_revocation_mode=push/seed=2'],
    );
    const sweep = JSON.parse(readFileSync(join(one, 'sweep.json'), 'utf8'));
    expect(sweep).toMatchObject({ seeds: [1, 2], runs: 8, scenario: { name: 'token-lifetime-sizing' } });
  });

  it('shards 1/2 and 2/2 together make exactly the whole sweep', () => {
    const whole = join(tempDir(), 'whole');
    const sharded = join(tempDir(), 'sharded');
    expect(cli('sweep', SCENARIO, ...GRID, '--seeds', '1..2', '--out', whole).code).toBe(0);
    const first = cli('sweep', SCENARIO, ...GRID, '--seeds', '1..2', '--shard', '1/2', '--out', sharded);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('shard 1/2: 4 of 8 runs');
    expect(Object.keys(fingerprints(sharded))).toHaveLength(4);
    expect(cli('sweep', SCENARIO, ...GRID, '--seeds', '1..2', '--shard', '2/2', '--out', sharded).code).toBe(0);
    expect(fingerprints(sharded)).toEqual(fingerprints(whole));
  });

  it('after a crash, --resume finishes the sweep with no run lost or duplicated', async () => {
    const reference = join(tempDir(), 'reference');
    const crashed = join(tempDir(), 'crashed');
    const args = ['sweep', SCENARIO, '--grid', 'tokens.auth_ttl=5m,15m', '--seeds', '1..12', '--workers', '1'];
    expect(cli(...args, '--out', reference).code).toBe(0);

    const child = spawn(process.execPath, [BIN, ...args, '--out', crashed], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill it hard (no chance to clean up) once a few runs are complete.
    for (let i = 0; i < 600 && Object.keys(existsSync(join(crashed, 'runs')) ? fingerprints(crashed) : {}).length < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGKILL');
    await exited;
    const before = Object.keys(fingerprints(crashed)).length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(24);

    const again = cli(...args, '--out', crashed);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('add --resume');

    const resumed = cli(...args, '--resume', '--out', crashed);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`${24 - before} runs done, ${before} already complete`);
    expect(fingerprints(crashed)).toEqual(fingerprints(reference));
    expect(hiddenEntries(crashed)).toEqual([]);
  });

  it('Ctrl-C stops the sweep, says how to resume, and leaves no staging folder', async () => {
    const out = join(tempDir(), 'interrupted');
    const child = spawn(process.execPath, [BIN, 'sweep', SCENARIO, '--grid', 'tokens.auth_ttl=5m,15m', '--seeds', '1..60', '--workers', '2', '--out', out], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 600 && Object.keys(existsSync(join(out, 'runs')) ? fingerprints(out) : {}).length < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted: \d+ of 120 runs complete/);
    expect(stderr).toContain('--resume');
    expect(hiddenEntries(out)).toEqual([]);
  });

  it('refuses bad input before writing anything', () => {
    const out = join(tempDir(), 'bad');
    const badPath = cli('sweep', SCENARIO, '--grid', 'topology.resources[nope].queue.servers=1,2', '--out', out);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toMatch(
      /token-lifetime-sizing\.yaml \(--grid topology\.resources\[nope\]\.queue\.servers=1\): topology\.resources: expected the id of an item in this list \(ledger\), found "nope"/,
    );
    const badValue = cli('sweep', SCENARIO, '--grid', 'tokens.auth_ttl=5m,soon', '--out', out);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toMatch(/tokens\.auth_ttl/);
    const badSeeds = cli('sweep', SCENARIO, '--seeds', '3..1', '--out', out);
    expect(badSeeds.code).toBe(2);
    expect(badSeeds.stderr).toContain('--seeds 3..1: the range is empty');
    expect(cli('sweep', SCENARIO, '--workers', '0', '--out', out).code).toBe(2);
    expect(existsSync(out)).toBe(false);

    const other = join(tempDir(), 'other');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine');
    const foreign = cli('sweep', SCENARIO, '--out', other);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('is not a sweep folder');
    expect(readdirSync(other)).toEqual(['notes.txt']);
  });

  it('reports a run past its limits.events in one line naming the run, exit 2, as `run` does', () => {
    const out = join(tempDir(), 'limited');
    const result = cli('sweep', SCENARIO, '--seeds', '1..2', '--workers', '2', '--set', 'limits.events=500', '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toMatch(/\bat \S+:\d+|RunFailedError|EventLimitError/);
    expect(result.stderr).toMatch(
      /^missionbench: run \S+\/runs\/seed=\d failed: the run passed its limit of 500 events at t = \S+ of \S+ simulated \(scenario limits\.events\); nothing was written\..*raise limits\.events\n$/,
    );
    expect(hiddenEntries(out)).toEqual([]);
  });

  it('reports a run folder it cannot write in one line naming the run, exit 2', () => {
    const out = join(tempDir(), 'blocked');
    expect(cli('sweep', SCENARIO, '--seeds', '1', '--out', out).code).toBe(0);
    // A file where the run's folder goes: the run is incomplete, so --resume runs it again.
    const run = join(out, 'runs', 'seed=1');
    rmSync(run, { recursive: true });
    writeFileSync(run, 'not a folder');
    const result = cli('sweep', SCENARIO, '--seeds', '1', '--resume', '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^missionbench: run \S+\/runs\/seed=1 failed: \S+ is a file; the output must be a folder[^\n]*\n$/);
  });

  it('refuses to resume a folder that holds a different sweep', () => {
    const out = join(tempDir(), 'sweep');
    expect(cli('sweep', SCENARIO, '--grid', 'tokens.auth_ttl=5m', '--out', out).code).toBe(0);
    const different = cli('sweep', SCENARIO, '--grid', 'tokens.auth_ttl=10m', '--resume', '--out', out);
    expect(different.code).toBe(2);
    expect(different.stderr).toContain('holds another sweep: its grid, seeds or --set overrides differ');
  });
});
