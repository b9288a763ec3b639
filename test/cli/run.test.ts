import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeScenario } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Bad input: exit 2 and exactly these lines on stderr (so never a stack trace), nothing on stdout. */
function expectRefused(result: ReturnType<typeof cli>, lines: string[]) {
  expect({ code: result.code, stdout: result.stdout, stderr: result.stderr.trim().split('\n') }).toEqual({ code: 2, stdout: '', stderr: lines });
}

const staging = (folder: string) => readdirSync(folder).filter((name) => name.includes('.partial-'));

const SCENARIO = `name: tiny
description: one queue
duration: 10m
seed: 4
topology:
  resources:
    - id: db
      queue:
        servers: 1
        service: exp(1s)
workload:
  - id: load
    resource: db
    interarrival: exp(2s)
`;

describe('missionbench run', () => {
  it("writes events.jsonl and a manifest whose fingerprint is the log's last hash", () => {
    const out = join(tempDir(), 'out');
    const file = writeScenario(SCENARIO);
    const { code, stdout } = cli('run', file, '--out', out, '--set', 'topology.resources[db].queue.servers=2');
    expect(code).toBe(0);
    expect(stdout).toContain('tiny (seed 4)');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const log = readFileSync(join(out, 'events.jsonl'));
    expect(manifest.fingerprint).toBe(JSON.parse(log.toString().trim().split('\n').at(-1) as string).hash);
    expect(manifest.fingerprint).toBe(manifest.last_hash);
    expect(manifest.events).toBe(log.toString().trim().split('\n').length);
    expect(manifest).toMatchObject({ seed: 4, overrides: ['topology.resources[db].queue.servers=2'], horizon_us: 600_000_000 });
    expect(manifest.scenario.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(manifest.summary.queues[0].servers).toBe(2);
    expect(readdirSync(join(out, '..')).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('takes --seed over the scenario seed', () => {
    const out = join(tempDir(), 'out');
    const { code } = cli('run', writeScenario(SCENARIO), '--seed', '9', '--out', out, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).seed).toBe(9);
  });

  it('exits 2 with a located one-line reason on a bad scenario, writing nothing', () => {
    const out = join(tempDir(), 'out');
    const file = writeScenario(SCENARIO.replace('resource: db', 'resource: cache'));
    const { code, stderr, stdout } = cli('run', file, '--out', out);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`${file}:13:15: workload[0].resource: expected the id of a resource (db), found unknown resource "cache"`]);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 on a bad seed, a bad --set and an unknown option', () => {
    const file = writeScenario(SCENARIO);
    expect(cli('run', file, '--seed', '-3').code).toBe(2);
    expect(cli('run', file, '--set', 'duration=forever').code).toBe(2);
    expect(cli('run', file, '--frobnicate').code).toBe(2);
  });

  it('refuses to overwrite a folder that is not a run, and replaces an earlier run', () => {
    const file = writeScenario(SCENARIO);
    const precious = join(tempDir(), 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'notes.txt'), 'keep me');
    const refused = cli('run', file, '--out', precious);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to overwrite');
    expect(readFileSync(join(precious, 'notes.txt'), 'utf8')).toBe('keep me');

    const out = join(tempDir(), 'again');
    expect(cli('run', file, '--out', out, '--seed', '1').code).toBe(0);
    expect(cli('run', file, '--out', out, '--seed', '2').code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')).seed).toBe(2);
  });
});

describe('missionbench validate', () => {
  it('prints ok for good files and exits 0', () => {
    const { code, stdout } = cli('validate', writeScenario(SCENARIO));
    expect(code).toBe(0);
    expect(stdout).toMatch(/: ok\n$/);
  });

  it('prints one line per problem across files and exits 2', () => {
    const good = writeScenario(SCENARIO, 'good.yaml');
    const bad = writeScenario(SCENARIO.replace('servers: 1', 'servers: 0').replace('exp(2s)', 'exp(2)'), 'bad.yaml');
    const { code, stderr } = cli('validate', good, bad);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`${bad}:9:18: topology.resources[0].queue.servers: expected a number >= 1, found number 0`);
    expect(lines[1]).toMatch(new RegExp(`^${bad}:14:19: workload\\[0\\]\\.interarrival: expected .*found`));
  });
});

describe('missionbench run on bad input: one line, exit 2, nothing written', () => {
  const mapping = 'a scenario: a YAML mapping of fields (name:, description:, duration:, topology:, ...)';

  it('refuses a scenario file that is empty, binary, a list or a scalar (also with --set)', () => {
    const empty = writeScenario('', 'empty.yaml');
    const binary = writeScenario('\u0000\u0001', 'binary.yaml');
    const list = writeScenario('- a\n- b\n', 'list.yaml');
    const scalar = writeScenario('42\n', 'scalar.yaml');
    expectRefused(cli('validate', empty, binary, list, scalar), [
      `${empty}: (document): expected ${mapping}, found an empty document`,
      `${binary}: (document): expected a UTF-8 text (YAML) file, found binary data (a NUL byte at byte 0)`,
      `${list}:1:1: (document): expected ${mapping}, found a list of 2`,
      `${scalar}:1:1: (document): expected ${mapping}, found number 42`,
    ]);
    expectRefused(cli('run', list, '--set', 'a=1'), [`${list}:1:1: (document): expected ${mapping}, found a list of 2`]);
    expectRefused(cli('run', scalar, '--set', 'a=1'), [`${scalar}:1:1: (document): expected ${mapping}, found number 42`]);
  });

  it('refuses a YAML alias bomb', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const bomb = writeScenario(`${levels.join('\n')}\n`);
    const result = cli('run', bomb, '--out', join(tempDir(), 'out'));
    expectRefused(result, [
      `${bomb}:2:10: (document): expected at most 100 YAML alias expansions (*name), found more: aliases of aliases that expand exponentially (refused rather than exhaust memory)`,
    ]);
  });

  it('refuses --out naming an existing file, or a folder below a file, leaving the file alone', () => {
    const file = writeScenario(SCENARIO);
    const taken = join(tempDir(), 'taken');
    writeFileSync(taken, 'keep me');
    expectRefused(cli('run', file, '--out', taken), [
      `missionbench: ${taken} is a file; the output must be a folder (a new one, or an earlier run's to replace)`,
    ]);
    expectRefused(cli('run', file, '--out', join(taken, 'run')), [
      `missionbench: cannot write the output folder ${join(taken, 'run')}: ${taken} is a file, not a folder`,
    ]);
    expect(readFileSync(taken, 'utf8')).toBe('keep me');
  });

  it('refuses --out inside a folder it may not write in (EACCES)', () => {
    const folder = tempDir();
    const file = writeScenario(SCENARIO);
    const locked = join(folder, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    chmodSync(folder, 0o755);
    chmodSync(join(file, '..'), 0o755);
    // root may write anywhere: run the command as nobody, the way a user without the right meets it.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, [BIN, 'run', file, '--out', join(locked, 'out')], { encoding: 'utf8', ...asUser });
    expectRefused({ code: result.status, stdout: result.stdout, stderr: result.stderr }, [
      `missionbench: cannot write the output folder ${join(locked, 'out')}: permission denied (EACCES): choose a folder you can write in`,
    ]);
  });

  it('stops a run past its event limit with one line, writing nothing', () => {
    const folder = tempDir();
    const out = join(folder, 'out');
    const result = cli('run', writeScenario(SCENARIO), '--out', out, '--set', 'limits.events=500');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^missionbench: the run passed its limit of 500 events at t = \S+ of 10m simulated \(scenario limits\.events\); nothing was written\..*raise limits\.events\n$/,
    );
    expect(existsSync(out)).toBe(false);
    expect(staging(folder)).toEqual([]);
  });

  it('finds a bare NAME in scenarios/ and suggests the nearest for a mistyped one', () => {
    const result = cli('validate', 'token-lifetime-sizing', 'token-lifetim-sizing');
    expect(result.stdout).toMatch(/scenarios\/token-lifetime-sizing\.yaml: ok\n$/);
    expect(result.stderr).toBe(
      'token-lifetim-sizing: (document): expected a scenario file, or the name of one in scenarios/, found no such file (did you mean scenarios/token-lifetime-sizing.yaml?)\n',
    );
    expect(result.code).toBe(2);
  });
});

describe('missionbench run and its staging folder', () => {
  // Long enough to be interrupted: arrivals every microsecond for a day.
  const LONG = SCENARIO.replace('duration: 10m', 'duration: 1d').replace('exp(2s)', 'exp(1us)');

  /** Starts a run, waits until its staging folder exists, and returns the child. */
  async function startRun(file: string, out: string) {
    const child = spawn(process.execPath, [BIN, 'run', file, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (staging(join(out, '..')).length === 0) {
      if (Date.now() > deadline) throw new Error(`no staging folder appeared; stderr: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return { child, exited, stderr: () => stderr };
  }

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'removes its staging folder on %s',
    async (signal) => {
      const folder = tempDir();
      const out = join(folder, 'out');
      const run = await startRun(writeScenario(LONG), out);
      run.child.kill(signal);
      expect(await run.exited).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(run.stderr()).toContain(`missionbench: run interrupted (${signal}); nothing was written`);
      expect(readdirSync(folder)).toEqual([]);
    },
    90_000,
  );

  it('removes a staging folder left by a killed run when the next run starts', async () => {
    const folder = tempDir();
    const out = join(folder, 'out');
    const run = await startRun(writeScenario(LONG), out);
    run.child.kill('SIGKILL');
    await run.exited;
    const left = staging(folder);
    expect(left).toEqual([`.out.partial-${run.child.pid}`]);
    expect(cli('run', writeScenario(SCENARIO), '--out', out).code).toBe(0);
    expect(readdirSync(folder)).toEqual(['out']);
  }, 90_000);
});

describe('scenarios/schema.json', () => {
  it('is what the TypeScript definitions generate (run `npm run schema` if this fails)', () => {
    expect(cli('schema', '--check').code).toBe(0);
  });

  it('validates every committed scenario', () => {
    const dir = new URL('../../scenarios/', import.meta.url).pathname;
    const files = readdirSync(dir)
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => join(dir, name));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const { code, stderr } = cli('validate', ...files);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
