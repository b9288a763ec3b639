import { hash as sha256Once } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileLines, type FileLine } from './line-reader.ts';
import type { LoggedEvent } from './read-log.ts';
import { SEAL_TYPE, verifySealSignature, type SealFields } from './seal.ts';
import { deriveSigningKey, SESSION_BLOCK_TYPE, SessionBlockTracker, verifySessionBlockSignature, type SessionBlockFields } from './session-block.ts';
import { GENESIS_HASH } from './writer.ts';

export type TamperKind = 'edited' | 'dropped' | 'inserted' | 'reordered' | 'truncated' | 'bad signature';

/**
 * Whose signatures a whole log carries, and so what they prove: a simulated
 * run's keys are derived from its seed (integrity against accident only);
 * an ingested log is sealed by the ingesting party, after the fact.
 */
export type LogTrust =
  | { kind: 'simulated'; seed: number }
  | { kind: 'ingested'; signer: string; publicKey: string; ingestedAt: string; sourceSha256: string; keyGiven: boolean }
  | { kind: 'sealed'; signer: string; publicKey: string; keyGiven: boolean };

export type VerifyResult =
  | { ok: true; events: number; sessionBlocks: number; lastHash: string; trust: LogTrust }
  | { ok: false; kind: TamperKind; line: number; seq: number | null; reason: string; unreadableLines: number };

export interface VerifyOptions {
  /** The public key (base64url) the checker holds: every signature in the log must be by it (`verify --public-key`). */
  publicKey?: string | undefined;
  /**
   * Called with each event as it is read, in the same pass as the check,
   * with whether everything up to and including it has verified so far.
   */
  onEvent?: ((event: LoggedEvent, verified: boolean) => void) | undefined;
  /** Read on after the first finding, to hand the rest to onEvent unverified (`--allow-broken`). */
  readAll?: boolean | undefined;
  /** Bytes per read (tests use tiny ones). */
  chunkBytes?: number | undefined;
}

/** A log that cannot be checked at all: no such file, or a manifest that is not JSON. */
export class VerifyInputError extends Error {
  override name = 'VerifyInputError';
}

/**
 * A line ends in `,"hash":"<64 hex>"}`, after a body that starts with `{`.
 * Read as a fixed-length suffix, not a regular expression: `^(\{.*),"hash"...$`
 * refused a line whose text holds U+2028 or U+2029 (which `.` does not match,
 * and which JSON writes unescaped).
 */
const HASH_MEMBER = ',"hash":"';
const HASH_SUFFIX_LENGTH = HASH_MEMBER.length + 64 + 2;

/**
 * Where the line's hash member starts, or -1 if the line does not end in
 * one after a `{`. (Compared as slices: V8's startsWith and endsWith
 * compare a character at a time, several times slower.)
 */
function hashMemberAt(text: string): number {
  const at = text.length - HASH_SUFFIX_LENGTH;
  return at >= 1 && text.charCodeAt(0) === 0x7b && text.slice(-2) === '"}' && text.slice(at, at + HASH_MEMBER.length) === HASH_MEMBER ? at : -1;
}

/** True if the 64 characters are lowercase hex digits. */
function isHex64(text: string): boolean {
  for (let i = 0; i < 64; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

interface ParsedLine {
  line: FileLine;
  seq: number;
  t: number;
  type: string;
  mission: string | null;
  actor: string;
  prev: string;
  hash: string;
  body: LoggedEvent;
  /** The line's content matches its own hash. */
  selfConsistent: boolean;
}

function parseJson(text: string): LoggedEvent | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LoggedEvent) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The line's fields, or undefined if it is not a well-formed event line.
 * The digest is compared with the hash the line carries before that hash
 * is checked to be hex: one that matches is 64 lowercase hex digits by
 * construction, so the check runs only on lines that do not (a regular
 * expression per line was 13% of verify's time). The line's text is
 * hashed, as always: hashing its bytes where the reader holds them was no
 * faster once they must be checked to be valid UTF-8 (invalid bytes are
 * hashed as decoded, U+FFFD, and a finding must not change).
 */
function parseLine(line: FileLine): ParsedLine | undefined {
  const text = line.text;
  const at = hashMemberAt(text);
  if (at === -1) return undefined;
  const hashAt = at + HASH_MEMBER.length;
  const hash = text.slice(hashAt, hashAt + 64);
  const selfConsistent = sha256Once('sha256', `${text.slice(0, at)}}`, 'hex') === hash;
  if (!selfConsistent && !isHex64(hash)) return undefined;
  const body = parseJson(text);
  if (!body) return undefined;
  const keys = Object.keys(body);
  const last = keys.length - 1;
  const shaped =
    keys[0] === 'seq' &&
    keys[1] === 't' &&
    keys[2] === 'type' &&
    keys[3] === 'mission' &&
    keys[4] === 'actor' &&
    keys[last - 1] === 'prev' &&
    keys[last] === 'hash' &&
    Number.isSafeInteger(body.seq) &&
    Number.isSafeInteger(body.t) &&
    typeof body.type === 'string' &&
    (typeof body.mission === 'string' || body.mission === null) &&
    typeof body.actor === 'string' &&
    typeof body.prev === 'string';
  if (!shaped) return undefined;
  return {
    line,
    seq: body.seq,
    t: body.t,
    type: body.type,
    mission: body.mission,
    actor: body.actor,
    prev: body.prev as string,
    hash,
    body,
    selfConsistent,
  };
}

/** The run's manifest figures, when verifying a run folder. */
interface ManifestFacts {
  events?: number;
  last_hash?: string;
  /** The chain's last hash (docs/event-log.md): must equal the log's. */
  fingerprint?: string;
  /** An ingested log's sealing key. */
  signer?: { public_key?: string };
}

/** A run folder or an events.jsonl file -> the log's path and the folder's manifest, if any. */
function openTarget(target: string): { path: string; manifest: ManifestFacts | undefined } {
  let isDir: boolean;
  try {
    isDir = statSync(target).isDirectory();
  } catch {
    throw new VerifyInputError(`${target}: no such file or folder`);
  }
  const path = isDir ? join(target, 'events.jsonl') : target;
  try {
    statSync(path);
  } catch {
    throw new VerifyInputError(isDir ? `${target} has no events.jsonl: it is not a run folder` : `${path}: cannot be read`);
  }
  if (!isDir) return { path, manifest: undefined };
  const manifestPath = join(target, 'manifest.json');
  let text: string;
  try {
    text = readFileSync(manifestPath, 'utf8');
  } catch {
    return { path, manifest: undefined };
  }
  try {
    const manifest = JSON.parse(text) as unknown;
    if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new Error('expected a JSON object');
    return { path, manifest: manifest as ManifestFacts };
  } catch (error) {
    throw new VerifyInputError(`${manifestPath}: not a valid manifest (${(error as Error).message})`);
  }
}

/** Where a signer's key was first seen, to name that line if the key turns out not to be the expected one. */
interface KeySeen {
  key: string;
  line: number;
  seq: number;
}

interface Finding {
  kind: TamperKind;
  line: number;
  seq: number | null;
  reason: string;
}

/**
 * Checks a log's hash chain, session blocks, closing seal and signing keys
 * in one streaming pass and reports the first thing wrong: which line (and
 * seq), and what kind of tampering explains it. A run folder's manifest is
 * checked too. Each event can be handed to `onEvent` in the same pass, so
 * a command reads its log once to check it and to answer from it.
 */
export function verifyLog(target: string, options: VerifyOptions = {}): VerifyResult {
  const { path, manifest } = openTarget(target);
  const missions = new SessionBlockTracker();
  const keys = new Map<string, KeySeen>();
  let expectedSeq = 0;
  let lastHash = GENESIS_HASH;
  let lastT = 0;
  let blocks = 0;
  let lastLine: FileLine | undefined;
  let seed: number | undefined;
  let seal: { fields: SealFields; signer: string; line: number; seq: number } | undefined;
  let finding: Finding | undefined;
  let unreadable = 0;
  const lines = fileLines(path, 1, options.chunkBytes);
  let lookahead = lines.next();

  /** The key check of one signature: against the key the checker gave, or against the signer's earlier key. */
  const checkKey = (signer: string, key: string, event: ParsedLine): Finding | undefined => {
    const at = { line: event.line.number, seq: event.seq };
    if (options.publicKey !== undefined) {
      return key === options.publicKey
        ? undefined
        : { kind: 'bad signature', ...at, reason: `signed by key ${key}, not by the key you gave (${options.publicKey})` };
    }
    const earlier = keys.get(signer);
    if (earlier === undefined) keys.set(signer, { key, ...at });
    // Named at the earlier signature: the first that cannot be trusted.
    else if (earlier.key !== key)
      return {
        kind: 'bad signature',
        line: earlier.line,
        seq: earlier.seq,
        reason: `${signer} signed this with key ${earlier.key} and seq ${event.seq} with key ${key}: one signer, two keys`,
      };
    return undefined;
  };

  const check = (line: FileLine): { finding?: Finding; event?: ParsedLine } => {
    const at = (seq: number | null, kind: TamperKind, reason: string): { finding: Finding } => ({ finding: { kind, line: line.number, seq, reason } });
    if (!line.terminated) return at(null, 'truncated', 'the last line is cut off (no newline at the end)');
    const event = parseLine(line);
    if (!event) return at(null, 'edited', 'not a well-formed event line');
    const fail = (kind: TamperKind, reason: string) => ({ ...at(event.seq, kind, reason), event });
    if (!event.selfConsistent) return fail('edited', "the line's content does not match its hash");
    if (seal !== undefined) return fail('inserted', `a line follows the log's closing seal (seq ${seal.seq})`);
    if (event.seq < expectedSeq) return fail('inserted', `seq ${event.seq} appears again (expected ${expectedSeq})`);
    if (event.seq > expectedSeq) {
      return findSeqLater(path, line.number + 1, expectedSeq)
        ? fail('reordered', `seq ${event.seq} comes before seq ${expectedSeq}`)
        : fail('dropped', `seq ${expectedSeq} is missing`);
    }
    if (event.prev !== lastHash) {
      const next = lookahead.done ? undefined : parseLine(lookahead.value);
      if (next && next.seq === event.seq) return fail('inserted', 'a line that does not belong to the chain was inserted here');
      return fail('edited', "prev does not match the previous line's hash (a line was changed and re-hashed)");
    }
    if (event.t < lastT) return fail('edited', 'time goes backwards');
    if (event.seq === 0 && event.type === 'run.started' && Number.isSafeInteger(event.body.seed)) seed = event.body.seed as number;
    if (event.type === SESSION_BLOCK_TYPE && event.mission === null) return fail('edited', 'a session block names no mission');
    if (event.type === SESSION_BLOCK_TYPE && event.mission !== null) {
      const fields = event.body as unknown as SessionBlockFields;
      const { count, root } = missions.close(event.mission);
      if (fields.event_count !== count || fields.root !== root) {
        return fail('bad signature', `the session block does not cover the mission's ${count} events as logged`);
      }
      if (!verifySessionBlockSignature(event.mission, fields)) return fail('bad signature', 'the Ed25519 signature does not verify');
      const wrongKey = checkKey(event.actor, fields.public_key, event);
      if (wrongKey) return { finding: wrongKey, event };
      blocks++;
    } else if (event.type === SEAL_TYPE) {
      const fields = event.body as unknown as SealFields;
      if (event.mission !== null) return fail('edited', 'the closing seal names a mission (it seals the whole log)');
      if (fields.event_count !== event.seq || fields.last_hash !== event.prev) {
        return fail('bad signature', `the seal covers ${String(fields.event_count)} events ending ${String(fields.last_hash)}, not the ${event.seq} before it`);
      }
      if (!verifySealSignature(event.actor, event.t, fields)) return fail('bad signature', "the seal's Ed25519 signature does not verify");
      const wrongKey = checkKey(event.actor, fields.public_key, event);
      if (wrongKey) return { finding: wrongKey, event };
      seal = { fields, signer: event.actor, line: line.number, seq: event.seq };
    } else {
      const wrongBody = missionBodyFinding(event.body);
      if (wrongBody) return fail('edited', wrongBody);
      missions.observe(event.mission, event.hash);
    }
    lastHash = event.hash;
    lastT = event.t;
    expectedSeq++;
    return { event };
  };

  while (!lookahead.done) {
    const line = lookahead.value;
    lookahead = lines.next();
    lastLine = line;
    if (finding) {
      // Past the first finding: only read on, for the caller's answers (unverified).
      const event = parseJson(line.text);
      if (event) options.onEvent?.(event, false);
      else unreadable++;
      continue;
    }
    const checked = check(line);
    if (checked.finding) {
      finding = checked.finding;
      const event = checked.event?.body ?? parseJson(line.text);
      if (event) options.onEvent?.(event, false);
      else unreadable++;
      if (!options.readAll) break;
      continue;
    }
    options.onEvent?.((checked.event as ParsedLine).body, true);
  }
  const fail = (f: Finding): VerifyResult => ({ ok: false, ...f, unreadableLines: unreadable });
  if (finding) return fail(finding);
  if (lastLine === undefined) return fail({ kind: 'truncated', line: 1, seq: null, reason: 'the log is empty' });
  const last = { line: lastLine.number, seq: expectedSeq - 1 };
  if (seal === undefined) {
    return fail({
      kind: 'truncated',
      ...last,
      reason: `the log ends at seq ${last.seq} without its closing seal (${SEAL_TYPE}): its end may have been cut off`,
    });
  }
  const trust = trustOf(seal, seed, options.publicKey !== undefined);
  // Without a key from the checker: every signer's key must be the one the log names.
  if (options.publicKey === undefined) {
    for (const [signer, seen] of keys) {
      const expected = trust.kind === 'simulated' ? deriveSigningKey(trust.seed, signer).publicKey : seal.fields.public_key;
      if (seen.key !== expected) {
        const whose = trust.kind === 'simulated' ? `the simulated key of ${signer} for seed ${trust.seed} (named by run.started)` : 'the key the seal names';
        return fail({ kind: 'bad signature', line: seen.line, seq: seen.seq, reason: `signed by key ${seen.key}, not ${whose}` });
      }
    }
  }
  if (manifest) {
    if (typeof manifest.events === 'number' && expectedSeq < manifest.events) {
      return fail({ kind: 'truncated', ...last, reason: `the manifest says ${manifest.events} events; the log ends after ${expectedSeq}` });
    }
    if (typeof manifest.events === 'number' && expectedSeq > manifest.events) {
      return fail({
        kind: 'inserted',
        line: manifest.events + 1,
        seq: manifest.events,
        reason: `the manifest says ${manifest.events} events; the log has ${expectedSeq}`,
      });
    }
    if (manifest.last_hash !== undefined && manifest.last_hash !== lastHash)
      return fail({ kind: 'edited', ...last, reason: "the last hash differs from the manifest's" });
    if (manifest.fingerprint !== undefined && manifest.fingerprint !== lastHash) {
      return fail({
        kind: 'edited',
        ...last,
        reason: `the manifest's fingerprint ${manifest.fingerprint} is not the log's last hash ${lastHash} (a manifest written before the fingerprint became the chain's last hash holds the file's SHA-256: re-run it)`,
      });
    }
    const named = manifest.signer?.public_key;
    if (named !== undefined && named !== seal.fields.public_key) {
      return fail({
        kind: 'bad signature',
        line: seal.line,
        seq: seal.seq,
        reason: `the manifest names key ${named}; the log is sealed with ${seal.fields.public_key}`,
      });
    }
  }
  return { ok: true, events: expectedSeq, sessionBlocks: blocks, lastHash, trust };
}

/**
 * An approved mission's s256 is the SHA-256 of the exact body bytes the PS
 * returned; the log keeps those bytes (`body`), so the id recomputes from
 * them, and the parsed `blob` beside them must say the same thing.
 */
function missionBodyFinding(event: LoggedEvent): string | undefined {
  if (event.type === 'mission.updated') return updateBodyFinding(event);
  if (event.type !== 'mission.approved' || typeof event.body !== 'string') return undefined;
  const recomputed = sha256Once('sha256', event.body, 'base64url');
  if (recomputed !== event.mission)
    return `the mission s256 ${String(event.mission)} does not recompute from the logged body bytes (they hash to ${recomputed})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(event.body);
  } catch {
    return 'the logged mission body is not JSON';
  }
  if (!isDeepStrictEqual(parsed, event.blob)) return 'the logged mission blob differs from the body bytes the s256 covers';
  return undefined;
}

/** aauth-latest: an accepted update's s256 is the SHA-256 of the exact bytes the PS stored for it, and the meaning it logs ends with it. */
function updateBodyFinding(event: LoggedEvent): string | undefined {
  if (typeof event.body !== 'string') return undefined;
  const recomputed = sha256Once('sha256', event.body, 'base64url');
  if (recomputed !== event.update_s256)
    return `the update s256 ${String(event.update_s256)} does not recompute from the logged update body bytes (they hash to ${recomputed})`;
  const meaning = Array.isArray(event.meaning) ? event.meaning : [];
  if (meaning[0] !== event.mission || meaning[meaning.length - 1] !== event.update_s256)
    return "the update's logged meaning does not run from the mission's s256 to this update's";
  return undefined;
}

function trustOf(seal: { fields: SealFields; signer: string }, seed: number | undefined, keyGiven: boolean): LogTrust {
  const { fields, signer } = seal;
  if (fields.ingested_at !== undefined) {
    return { kind: 'ingested', signer, publicKey: fields.public_key, ingestedAt: fields.ingested_at, sourceSha256: fields.source_sha256 ?? '', keyGiven };
  }
  if (seed !== undefined && !keyGiven) return { kind: 'simulated', seed };
  return { kind: 'sealed', signer, publicKey: fields.public_key, keyGiven };
}

/**
 * What a verified log's signatures prove, in words every answer about the
 * log repeats: a simulated run's keys are known to anyone with its seed; an
 * ingested log was chained only when it was ingested; a key the log names
 * itself is trusted, not checked, unless the checker gave one.
 */
export function trustStatement(trust: LogTrust): string {
  switch (trust.kind) {
    case 'simulated':
      return `simulated log: signatures checked against the simulated keys derived from seed ${trust.seed} (named by run.started); they prove integrity against accident, not against someone who knows the seed`;
    case 'ingested':
      return `chained at ingest by ${trust.signer} (key ${trust.publicKey}): proves nothing about the log before ${trust.ingestedAt}; ${keyTrust(trust.keyGiven)}`;
    case 'sealed':
      return `sealed by ${trust.signer} (key ${trust.publicKey}); ${keyTrust(trust.keyGiven)}`;
  }
}

function keyTrust(given: boolean): string {
  return given
    ? 'every signature is by the key you gave'
    : 'that key was trusted as the log names it, not checked against a key you hold (check it with --public-key FILE)';
}

/** The banner an answer from a broken log carries (`--allow-broken`). */
export function brokenBanner(result: Extract<VerifyResult, { ok: false }>): string {
  const where = result.seq === null ? `line ${result.line}` : `seq ${result.seq} (line ${result.line})`;
  const from = result.seq === null ? `line ${result.line}` : `seq ${result.seq}`;
  const unreadable = result.unreadableLines > 0 ? ` ${result.unreadableLines} unreadable line(s) were left out.` : '';
  return `UNVERIFIED: this log is broken at ${where}: ${result.kind}: ${result.reason}. Everything from ${from} on is unverified; the answers below include it.${unreadable}`;
}

function findSeqLater(path: string, fromLine: number, seq: number): boolean {
  for (const line of fileLines(path, fromLine)) {
    const match = /^\{"seq":(\d+),/.exec(line.text);
    if (match && Number(match[1]) === seq) return true;
  }
  return false;
}
