import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('missionbench export --format aauth-call', () => {
  it('writes one file per party that ingest reads back to the same answers', () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    expect(cli('run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', run).status).toBe(0);
    const logs = join(dir, 'logs');
    const exported = cli('export', '--format', 'aauth-call', run, '--per-party', '--out', logs);
    expect(exported.status).toBe(0);
    expect(exported.stdout).toContain('exported 20 aauth.call records');
    expect(exported.stdout).toContain('not exported (no HTTP call behind them): job.arrive 8');
    expect(readdirSync(logs).sort()).toEqual(['crm.jsonl', 'export-service.jsonl', 'exporter.jsonl', 'ps.jsonl']);
    const back = join(dir, 'back');
    const ingested = cli('ingest', ...readdirSync(logs).map((file) => join(logs, file)), '--out', back);
    expect(ingested.status).toBe(0);
    expect(ingested.stdout).toContain('every record mapped');
    // The first line says what the check proved (a simulated log's keys, or the ingesting party's): the answers after it are the same.
    const answers = (dir: string) => cli('replay', dir, '--explain').stdout.split('\n').slice(1).join('\n');
    expect(answers(back)).toBe(answers(run));
  });

  it('refuses an unknown format, a folder given as the file, and a folder that holds other files (exit 2, nothing replaced)', () => {
    const dir = tempDir();
    const run = join(dir, 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', run).status).toBe(0);
    const format = cli('export', '--format', 'otel', run, '--out', join(dir, 'x.jsonl'));
    expect([format.status, format.stderr]).toEqual([2, 'missionbench: --format: expected one of aauth-call, found "otel"\n']);
    const folder = cli('export', '--format', 'aauth-call', run, '--out', dir);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain('is a folder (use --per-party');
    const precious = join(dir, 'precious');
    mkdirSync(precious);
    writeFileSync(join(precious, 'notes.txt'), 'keep me');
    const refused = cli('export', '--format', 'aauth-call', run, '--per-party', '--out', precious);
    expect(refused.status).toBe(2);
    expect(existsSync(join(precious, 'notes.txt'))).toBe(true);
  });
});
