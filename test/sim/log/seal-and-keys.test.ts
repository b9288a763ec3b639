import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestLog } from '../../../sim/log/ingest.ts';
import { loadOrCreateSigningKey, readPublicKeyFile } from '../../../sim/log/key-file.ts';
import type { LoggedEvent } from '../../../sim/log/read-log.ts';
import { SEAL_TYPE, sealLog, type SealFields } from '../../../sim/log/seal.ts';
import { deriveSigningKey, SESSION_BLOCK_TYPE, SessionBlockTracker, signSessionBlock, type SigningKey } from '../../../sim/log/session-block.ts';
import { trustStatement, verifyLog } from '../../../sim/log/verify.ts';
import { AuditLogWriter } from '../../../sim/log/writer.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../../helpers.ts';

const BASE = mkdtempSync(join(tmpdir(), 'missionbench-seal-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }));
const RUN = join(BASE, 'run');
runScenario(loadScenario(join(SCENARIOS, 'travel-booking.yaml')), { outDir: RUN });
const LINES = readFileSync(join(RUN, 'events.jsonl'), 'utf8').split('\n').slice(0, -1);
const EXAMPLE = new URL('../../../docs/examples/incident-bulk-export.jsonl', import.meta.url).pathname;

/** The regulator's ingest key: a real one, in a file, with its public half beside it. */
const INGEST_KEY = loadOrCreateSigningKey(join(BASE, 'keys', 'ingest-key.pem'), true);
const INGESTED = join(BASE, 'ingested');
ingestLog(EXAMPLE, INGESTED, { key: INGEST_KEY, at: '2026-12-05T00:00:00Z' });

function randomKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: (publicKey.export({ format: 'jwk' }) as { x: string }).x };
}

/**
 * What a forger who controls the file does: rewrites the events, re-chains
 * every line, re-signs every session block and the seal with keys of their
 * choosing, and rewrites the manifest to match.
 */
function forge(folder: string, target: string, edit: (events: LoggedEvent[]) => void, keyFor: (signer: string) => SigningKey): void {
  const events = readFileSync(join(folder, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LoggedEvent);
  edit(events);
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const dir = mkdtempSync(join(BASE, 'forged-'));
  const writer = new AuditLogWriter(join(dir, 'events.jsonl'));
  const tracker = new SessionBlockTracker();
  for (const { seq: _seq, t, type, mission, actor, prev: _prev, hash: _hash, ...fields } of events) {
    if (type === SESSION_BLOCK_TYPE && mission !== null) {
      const covered = tracker.close(mission);
      writer.emit(t, type, mission, actor, { ...signSessionBlock(keyFor(actor), mission, covered.count, covered.root) });
    } else if (type === SEAL_TYPE) {
      const seal = fields as unknown as SealFields;
      sealLog(
        writer,
        t,
        actor,
        keyFor(actor),
        seal.ingested_at === undefined ? undefined : { ingested_at: seal.ingested_at, source_sha256: seal.source_sha256 as string },
      );
    } else {
      writer.emit(t, type, mission, actor, fields);
      tracker.observe(mission, writer.lastHash);
    }
  }
  const written = writer.close();
  Object.assign(manifest, { events: written.events, fingerprint: written.fingerprint, last_hash: written.lastHash });
  if (manifest.signer !== undefined) manifest.signer = { ...(manifest.signer as object), public_key: keyFor('missionbench:ingest').publicKey };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  renameSync(dir, target);
}

/** A denial turned into a grant: the forgery the issue measured. */
const denialToGrant = (events: LoggedEvent[]) => {
  const denial = events.find((event) => event.type === 'token.auth_denied' || event.type === 'permission.decided');
  expect(denial, 'the log has a denial to forge').toBeDefined();
  if (denial?.type === 'token.auth_denied') denial.type = 'token.auth_granted';
  else if (denial) denial.decision = 'granted';
};

describe('the closing seal', () => {
  it('ends every simulated log, and a log cut at any line boundary is truncated without its manifest', () => {
    expect(JSON.parse(LINES.at(-1) as string)).toMatchObject({ type: SEAL_TYPE, actor: 'missionbench', event_count: LINES.length - 1 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LINES.length - 1 }), (keep) => {
        const path = join(tempDir(), 'events.jsonl');
        writeFileSync(path, `${LINES.slice(0, keep).join('\n')}\n`);
        expect(verifyLog(path)).toMatchObject({ ok: false, kind: 'truncated', seq: keep - 1, line: keep });
      }),
      { numRuns: 40 },
    );
  });

  it('must be the last line: anything after it is inserted', () => {
    const path = join(tempDir(), 'events.jsonl');
    writeFileSync(path, `${[...LINES, LINES[3]].join('\n')}\n`);
    expect(verifyLog(path)).toMatchObject({ ok: false, kind: 'inserted', line: LINES.length + 1 });
  });
});

describe('keys', () => {
  it("a simulated log's signatures are checked against the keys its seed derives, and say what that proves", () => {
    const result = verifyLog(RUN);
    expect(result.ok).toBe(true);
    if (result.ok) expect(trustStatement(result.trust)).toContain('they prove integrity against accident, not against someone who knows the seed');
  });

  it('a simulated log forged, re-chained, re-signed with a key of the forger and with a rewritten manifest is a bad signature', () => {
    const forger = randomKey();
    const forged = join(tempDir(), 'forged');
    forge(RUN, forged, denialToGrant, () => forger);
    const result = verifyLog(forged);
    expect(result).toMatchObject({ ok: false, kind: 'bad signature' });
    if (!result.ok) expect(result.reason).toContain('not the simulated key of');
  });

  it('...but not against someone who knows the seed, which is what every answer says', () => {
    const forged = join(tempDir(), 'forged');
    forge(RUN, forged, denialToGrant, (signer) => deriveSigningKey(1, signer));
    expect(verifyLog(forged)).toMatchObject({ ok: true, trust: { kind: 'simulated', seed: 1 } });
  });

  it('an ingested log is sealed with the real ingest key, named in its manifest', () => {
    const manifest = JSON.parse(readFileSync(join(INGESTED, 'manifest.json'), 'utf8')) as { signer: { public_key: string }; ingested: { at: string } };
    expect(manifest.signer.public_key).toBe(INGEST_KEY.publicKey);
    expect(readPublicKeyFile(join(BASE, 'keys', 'ingest-key.pub.pem'))).toBe(INGEST_KEY.publicKey);
    const result = verifyLog(INGESTED, { publicKey: INGEST_KEY.publicKey });
    expect(result).toMatchObject({ ok: true, trust: { kind: 'ingested', publicKey: INGEST_KEY.publicKey, ingestedAt: manifest.ingested.at, keyGiven: true } });
    if (result.ok)
      expect(trustStatement(result.trust)).toContain(
        `chained at ingest by missionbench:ingest (key ${INGEST_KEY.publicKey}): proves nothing about the log before ${manifest.ingested.at}`,
      );
  });

  it('an ingested log forged, re-chained, re-signed with another key and with a rewritten manifest: bad signature against the key the regulator holds', () => {
    const forger = randomKey();
    const forged = join(tempDir(), 'forged');
    forge(INGESTED, forged, denialToGrant, () => forger);
    const checked = verifyLog(forged, { publicKey: INGEST_KEY.publicKey });
    expect(checked).toMatchObject({ ok: false, kind: 'bad signature' });
    // Without the regulator's key the forgery is self-consistent: verify says whose key it trusted.
    const trusted = verifyLog(forged);
    expect(trusted).toMatchObject({ ok: true, trust: { kind: 'ingested', publicKey: forger.publicKey, keyGiven: false } });
    if (trusted.ok) expect(trustStatement(trusted.trust)).toContain('that key was trusted as the log names it, not checked against a key you hold');
  });

  it("a session block signed with a key other than the seal's is a bad signature, at the block", () => {
    const other = randomKey();
    const mixed = join(tempDir(), 'mixed');
    // The forger re-signs the session block with one key and the seal with the ingest key.
    forge(
      INGESTED,
      mixed,
      () => undefined,
      (() => {
        let calls = 0;
        return () => (calls++ === 0 ? other : INGEST_KEY);
      })(),
    );
    const block = readFileSync(join(mixed, 'events.jsonl'), 'utf8')
      .split('\n')
      .findIndex((line) => line.includes(SESSION_BLOCK_TYPE));
    expect(verifyLog(mixed)).toMatchObject({ ok: false, kind: 'bad signature', seq: block });
    expect(verifyLog(mixed, { publicKey: INGEST_KEY.publicKey })).toMatchObject({ ok: false, kind: 'bad signature', seq: block });
  });
});
