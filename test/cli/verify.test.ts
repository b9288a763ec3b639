import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
const EXAMPLE = new URL('../../docs/examples/incident-bulk-export.jsonl', import.meta.url).pathname;
const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });

describe('missionbench verify', () => {
  it('exits 0 with a summary on an untouched run, 1 naming the seq after an edit, 2 on a missing path', () => {
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', dir).status).toBe(0);
    const ok = cli('verify', dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^ok: \d+ events, chain intact, sealed, 1 session blocks verified, last hash [0-9a-f]{64}\n/);
    expect(ok.stdout).toContain(
      'simulated log: signatures checked against the simulated keys derived from seed 1 (named by run.started); they prove integrity against accident, not against someone who knows the seed',
    );

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

describe('missionbench verify: seal, keys and bad input', () => {
  it('reports a bare events.jsonl cut at a line boundary as truncated, with no manifest to help', () => {
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', dir).status).toBe(0);
    const head = join(tempDir(), 'events.jsonl');
    writeFileSync(head, `${readFileSync(join(dir, 'events.jsonl'), 'utf8').split('\n').slice(0, 10).join('\n')}\n`);
    const result = cli('verify', head);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      `${head}: seq 9 (line 10): truncated: the log ends at seq 9 without its closing seal (audit.log_sealed): its end may have been cut off\n`,
    );
  });

  it("names the log's last line, not one past it, when only the manifest disagrees", () => {
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', dir).status).toBe(0);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { events: number };
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, events: manifest.events + 5 }));
    const result = cli('verify', dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`seq ${manifest.events - 1} (line ${manifest.events}): truncated: the manifest says ${manifest.events + 5} events`);
  });

  it("checks that the manifest's fingerprint is the log's last hash (an old manifest's file SHA-256 is refused)", () => {
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', dir).status).toBe(0);
    const manifestPath = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { events: number; fingerprint: string; last_hash: string };
    expect(manifest.fingerprint).toBe(manifest.last_hash);
    const fileSha256 = createHash('sha256')
      .update(readFileSync(join(dir, 'events.jsonl')))
      .digest('hex');
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, fingerprint: fileSha256 }));
    const result = cli('verify', dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(
      `seq ${manifest.events - 1} (line ${manifest.events}): edited: the manifest's fingerprint ${fileSha256} is not the log's last hash ${manifest.last_hash}`,
    );
  });

  it('checks signatures against the key the regulator holds: the ingesting key passes, any other is a bad signature', () => {
    const config = tempDir();
    const env = { ...process.env, XDG_CONFIG_HOME: config };
    const out = join(tempDir(), 'incident');
    const ingest = spawnSync(process.execPath, [BIN, 'ingest', EXAMPLE, '--out', out], { encoding: 'utf8', env });
    expect(ingest.status, ingest.stderr).toBe(0);
    const keyFile = join(config, 'missionbench', 'ingest-key.pem');
    expect(ingest.stderr).toContain(`made a new ingest key ${keyFile} (mode 0600)`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(ingest.stdout).toContain(`--public-key ${keyFile.replace(/\.pem$/, '.pub.pem')}`);
    const trusted = cli('verify', out, '--public-key', keyFile.replace(/\.pem$/, '.pub.pem'));
    expect(trusted.status).toBe(0);
    expect(trusted.stdout).toContain('every signature is by the key you gave');
    const other = join(tempDir(), 'other.pub.pem');
    writeFileSync(other, generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }));
    const refused = cli('verify', out, '--public-key', other);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/: bad signature: signed by key [\w-]{43}, not by the key you gave/);
  });

  it('says in one line (exit 2) that a folder has no events.jsonl, or that its manifest is not JSON', () => {
    const empty = tempDir();
    const missing = cli('verify', empty);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`missionbench: ${empty} has no events.jsonl: it is not a run folder\n`);
    const dir = join(tempDir(), 'run');
    expect(cli('run', join(SCENARIOS, 'travel-booking.yaml'), '--out', dir).status).toBe(0);
    writeFileSync(join(dir, 'manifest.json'), '{ not json');
    const bad = cli('verify', dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain(`${join(dir, 'manifest.json')}: not a valid manifest`);
  });
});
