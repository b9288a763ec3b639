import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir, writeScenario } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const EXAMPLE = new URL('../../docs/examples/incident-bulk-export.jsonl', import.meta.url).pathname;
// The ingest key is made in a temporary config folder, never in the tester's home.
const CONFIG = mkdtempSync(join(tmpdir(), 'missionbench-ingest-config-'));
afterAll(() => rmSync(CONFIG, { recursive: true, force: true }));
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: CONFIG } });
const exampleLines = () => readFileSync(EXAMPLE, 'utf8').trim().split('\n');

describe('missionbench ingest, verify and replay on a log from outside', () => {
  it('ingests the hand-written incident, which then verifies and replays from the log alone', () => {
    const out = join(tempDir(), 'incident');
    const ingest = cli('ingest', EXAMPLE, '--out', out);
    expect(ingest.status).toBe(0);
    expect(ingest.stdout).toContain('ingested 14 lines');
    expect(ingest.stdout).toMatch(/chained at ingest by missionbench:ingest: proves nothing about the log before \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n$/);
    expect(cli('verify', out).stdout).toMatch(/^ok: 16 events, chain intact, sealed, 1 session blocks verified/);

    const [checked, ...trail] = cli('replay', out).stdout.trim().split('\n');
    expect(checked).toMatch(
      /^checked: 16 events, chain intact, sealed; chained at ingest by missionbench:ingest \(key [\w-]{43}\): proves nothing about the log before /,
    );
    expect(trail).toEqual([
      '09:01 report-bot -> crm scope: read granted',
      '09:08 report-bot -> export-service scope: bulk_export granted',
      '09:09 report-bot -> mail scope: send_external denied — outside mission scope',
    ]);
    const explained = cli('replay', out, '--explain', '--mission', 'q3-board-pack-7Hc2').stdout;
    expect(explained).toContain('approved by dana at 09:00 for agent report-bot');
    expect(explained).toContain('09:08 report-bot -> export-service (bulk_export): authorized by ps:acme, token acme-7745');
    expect(explained).toContain('terminated at 09:10 (revoked) by person:dana');
    expect(explained).toContain('the last at 09:19: resource:export-service bulk_export (irreversible), 9.0 min after termination');
  });

  it.each([
    [
      'a line that is not JSON',
      (lines: string[]) => {
        lines[3] = '{"seq":3,';
      },
      ':4: (line): expected a JSON object on one line',
    ],
    [
      'a missing field',
      (lines: string[]) => {
        lines[4] = lines[4]!.replace('"op":"read",', '');
      },
      ':5: op: expected this field, found nothing',
    ],
    [
      'a value of the wrong type, naming the value found',
      (lines: string[]) => {
        lines[4] = lines[4]!.replace('"op":"read"', '"op":17');
      },
      ':5: op: expected a value that must be string, found 17',
    ],
    [
      'an unknown event type',
      (lines: string[]) => {
        lines[6] = lines[6]!.replace('op.queued', 'op.teleported');
      },
      ":7: type: expected one of the catalogue's event types",
    ],
    [
      'time going backwards',
      (lines: string[]) => {
        lines[9] = lines[9]!.replace('"t":600000000', '"t":5');
      },
      ':10: t: expected a time >= 600000000',
    ],
  ])('refuses %s, naming the line and field, writing nothing (exit 2)', (_label, tamper, expected) => {
    const lines = exampleLines();
    tamper(lines);
    const file = writeScenario(`${lines.join('\n')}\n`, 'log.jsonl');
    const out = join(tempDir(), 'out');
    const result = cli('ingest', file, '--out', out);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${file}${expected}`);
    expect(existsSync(out)).toBe(false);
  });

  it('says in one line (exit 2) that a key given with --key is missing, or that the default key cannot be made', () => {
    const out = join(tempDir(), 'out');
    const missing = cli('ingest', EXAMPLE, '--out', out, '--key', join(CONFIG, 'no-such-key.pem'));
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no-such-key\.pem: no such key file \(make one with: openssl genpkey -algorithm ed25519/);
    const unwritable = spawnSync(process.execPath, [BIN, 'ingest', EXAMPLE, '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: EXAMPLE },
    });
    expect(unwritable.status).toBe(2);
    expect(unwritable.stderr).toBe(`missionbench: cannot make the ingest key ${EXAMPLE}/missionbench/ingest-key.pem: ENOTDIR (give one with --key FILE)\n`);
    expect(existsSync(out)).toBe(false);
  });

  it('answers the regulator on a simulated incident too', () => {
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'bulk-export-after-terminate.yaml'), '--out', dir).status).toBe(0);
    const explained = cli('replay', dir, '--explain').stdout;
    expect(explained).toMatch(/approved by user at 00:00 for agent exporter/);
    expect(explained).toContain('terminated at 00:10 (revoked) by person:user');
    expect(explained).toContain('the last at 00:19: resource:export-service bulk_export (irreversible), 9.0 min after termination');
  });
});
