/**
 * verifyLog (sim/log/verify.ts) and its line reader (sim/log/line-reader.ts)
 * as they were at commit 8e69cc4, before their per-line work was made
 * cheaper: the reference verify-reference.test.ts holds the new code to.
 * Frozen on purpose: do not change it when verify.ts changes what it finds
 * (change the test instead, saying why the verdicts differ). Only these two
 * are frozen: the seal, session-block and writer modules it imports are the
 * live ones, so a change there moves both sides together.
 */
import { hash as sha256Once } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { LoggedEvent } from '../../../sim/log/read-log.ts';
import { SEAL_TYPE, verifySealSignature, type SealFields } from '../../../sim/log/seal.ts';
import {
  deriveSigningKey,
  SESSION_BLOCK_TYPE,
  SessionBlockTracker,
  verifySessionBlockSignature,
  type SessionBlockFields,
} from '../../../sim/log/session-block.ts';
import type { LogTrust, TamperKind, VerifyOptions, VerifyResult } from '../../../sim/log/verify.ts';
import { GENESIS_HASH } from '../../../sim/log/writer.ts';

/**
 * A line ends in `,"hash":"<64 hex>"}`, after a body that starts with `{`.
 * Read as a fixed-length suffix, not a regular expression: `^(\{.*),"hash"...$`
 * refused a line whose text holds U+2028 or U+2029 (which `.` does not match,
 * and which JSON writes unescaped). (The profiler put 17% of verify's time in
 * that expression; side by side, verify's CPU time did not change.)
 */
const HASH_MEMBER = ',"hash":"';
const HASH_SUFFIX_LENGTH = HASH_MEMBER.length + 64 + 2;
const HEX_64 = /^[0-9a-f]{64}$/;

/** The line without its hash member (`{...` up to `,"hash"`), and the hash; undefined if it does not end so. */
function splitHash(text: string): [withoutHash: string, hash: string] | undefined {
  const at = text.length - HASH_SUFFIX_LENGTH;
  if (at < 1 || text.charCodeAt(0) !== 0x7b || !text.endsWith('"}') || !text.startsWith(HASH_MEMBER, at)) return undefined;
  const hash = text.slice(at + HASH_MEMBER.length, text.length - 2);
  return HEX_64.test(hash) ? [text.slice(0, at), hash] : undefined;
}
const LEADING_KEYS = ['seq', 't', 'type', 'mission', 'actor'];

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

function parseLine(line: FileLine): ParsedLine | undefined {
  const match = splitHash(line.text);
  if (!match) return undefined;
  const body = parseJson(line.text);
  if (!body) return undefined;
  const keys = Object.keys(body);
  const shaped =
    LEADING_KEYS.every((key, i) => keys[i] === key) &&
    keys[keys.length - 2] === 'prev' &&
    keys[keys.length - 1] === 'hash' &&
    Number.isSafeInteger(body.seq) &&
    Number.isSafeInteger(body.t) &&
    typeof body.type === 'string' &&
    (typeof body.mission === 'string' || body.mission === null) &&
    typeof body.actor === 'string' &&
    typeof body.prev === 'string';
  if (!shaped) return undefined;
  const [withoutHash, hash] = match;
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
    selfConsistent: sha256Once('sha256', `${withoutHash}}`, 'hex') === hash,
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
    throw new Error(`${target}: no such file or folder`);
  }
  const path = isDir ? join(target, 'events.jsonl') : target;
  try {
    statSync(path);
  } catch {
    throw new Error(isDir ? `${target} has no events.jsonl: it is not a run folder` : `${path}: cannot be read`);
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
    throw new Error(`${manifestPath}: not a valid manifest (${(error as Error).message})`);
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
export function referenceVerifyLog(target: string, options: VerifyOptions = {}): VerifyResult {
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

function findSeqLater(path: string, fromLine: number, seq: number): boolean {
  for (const line of fileLines(path, fromLine)) {
    const match = /^\{"seq":(\d+),/.exec(line.text);
    if (match && Number(match[1]) === seq) return true;
  }
  return false;
}

/** One line of a text file, and whether a newline ended it (a last line without one was cut off). */
interface FileLine {
  text: string;
  number: number;
  terminated: boolean;
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/**
 * Reads a file line by line in chunks (1 MiB unless told), synchronously,
 * with flat memory. Lines are split on the newline byte and each is decoded
 * whole, so a multi-byte UTF-8 character that straddles two chunks is read
 * as itself, never as two U+FFFD halves.
 */
function* fileLines(path: string, fromLine = 1, chunkBytes = CHUNK): Generator<FileLine> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    // The bytes of a line begun in an earlier chunk, not yet ended.
    let pending: Buffer[] = [];
    let number = 0;
    const take = (tail: Buffer): string => {
      const text = pending.length === 0 ? tail.toString('utf8') : Buffer.concat([...pending, tail]).toString('utf8');
      pending = [];
      return text;
    };
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      let start = 0;
      for (let end = buffer.indexOf(NEWLINE, 0); end !== -1 && end < read; end = buffer.indexOf(NEWLINE, start)) {
        number++;
        if (number >= fromLine) yield { text: take(buffer.subarray(start, end)), number, terminated: true };
        else pending = [];
        start = end + 1;
      }
      // The buffer is reused for the next chunk: what is left of this one is copied.
      if (start < read) pending.push(Buffer.from(buffer.subarray(start, read)));
    }
    if (pending.length > 0) {
      number++;
      if (number >= fromLine) yield { text: take(Buffer.alloc(0)), number, terminated: false };
    }
  } finally {
    closeSync(fd);
  }
}
