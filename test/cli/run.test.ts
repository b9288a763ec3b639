import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, writeScenario } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

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
  it('writes events.jsonl and a manifest whose fingerprint is the log\'s SHA-256', () => {
    const out = join(tempDir(), 'out');
    const file = writeScenario(SCENARIO);
    const { code, stdout } = cli('run', file, '--out', out, '--set', 'topology.resources[db].queue.servers=2');
    expect(code).toBe(0);
    expect(stdout).toContain('tiny (seed 4)');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const log = readFileSync(join(out, 'events.jsonl'));
    expect(manifest.fingerprint).toBe(createHash('sha256').update(log).digest('hex'));
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

describe('scenarios/schema.json', () => {
  it('is what the TypeScript definitions generate (run `npm run schema` if this fails)', () => {
    expect(cli('schema', '--check').code).toBe(0);
  });

  it('validates every committed scenario', () => {
    const dir = new URL('../../scenarios/', import.meta.url).pathname;
    const files = readdirSync(dir).filter((name) => name.endsWith('.yaml')).map((name) => join(dir, name));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const { code, stderr } = cli('validate', ...files);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
