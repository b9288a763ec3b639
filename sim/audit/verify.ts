import { hash as sha256Once } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileLines, type FileLine } from './line-reader.ts';
import { SESSION_BLOCK_TYPE, SessionBlockTracker, verifySessionBlockSignature, type SessionBlockFields } from './session-block.ts';
import { GENESIS_HASH } from './writer.ts';

export type TamperKind = 'edited' | 'dropped' | 'inserted' | 'reordered' | 'truncated' | 'bad signature';

export type VerifyResult =
  | { ok: true; events: number; sessionBlocks: number; lastHash: string }
  | { ok: false; kind: TamperKind; line: number; seq: number | null; reason: string };

const LINE_PATTERN = /^(\{.*),"hash":"([0-9a-f]{64})"\}$/;
const LEADING_KEYS = ['seq', 't', 'type', 'mission', 'actor'];

interface ParsedLine {
  line: FileLine;
  seq: number;
  t: number;
  type: string;
  mission: string | null;
  prev: string;
  hash: string;
  body: Record<string, unknown>;
  /** The line's content matches its own hash. */
  selfConsistent: boolean;
}

function parseLine(line: FileLine): ParsedLine | undefined {
  const match = LINE_PATTERN.exec(line.text);
  if (!match) return undefined;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(line.text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const keys = Object.keys(body);
  const shaped =
    LEADING_KEYS.every((key, i) => keys[i] === key) &&
    keys[keys.length - 2] === 'prev' &&
    keys[keys.length - 1] === 'hash' &&
    Number.isSafeInteger(body.seq) &&
    Number.isSafeInteger(body.t) &&
    typeof body.type === 'string' &&
    (typeof body.mission === 'string' || body.mission === null) &&
    typeof body.prev === 'string';
  if (!shaped) return undefined;
  const [, withoutHash = '', hash = ''] = match;
  return {
    line,
    seq: body.seq as number,
    t: body.t as number,
    type: body.type as string,
    mission: body.mission as string | null,
    prev: body.prev as string,
    hash,
    body,
    selfConsistent: sha256Once('sha256', `${withoutHash}}`, 'hex') === hash,
  };
}

/** The run's manifest figures, when verifying a run folder. */
interface ManifestFacts {
  events: number;
  last_hash: string;
}

/**
 * Checks a log's hash chain and session blocks in one streaming pass and
 * reports the first thing wrong: which line (and seq), and what kind of
 * tampering explains it. A run folder's manifest is checked too.
 */
export function verifyLog(target: string): VerifyResult {
  const isDir = existsSync(target) && statSync(target).isDirectory();
  const path = isDir ? join(target, 'events.jsonl') : target;
  const manifestPath = isDir ? join(target, 'manifest.json') : undefined;
  const manifest = manifestPath && existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestFacts) : undefined;

  const missions = new SessionBlockTracker();
  let expectedSeq = 0;
  let lastHash = GENESIS_HASH;
  let lastT = 0;
  let blocks = 0;
  const lines = fileLines(path);
  let lookahead = lines.next();
  const fail = (kind: TamperKind, line: FileLine, seq: number | null, reason: string): VerifyResult => ({ ok: false, kind, line: line.number, seq, reason });

  while (!lookahead.done) {
    const line = lookahead.value;
    lookahead = lines.next();
    if (!line.terminated) return fail('truncated', line, null, 'the last line is cut off (no newline at the end)');
    const event = parseLine(line);
    if (!event) return fail('edited', line, null, 'not a well-formed event line');
    if (!event.selfConsistent) return fail('edited', line, event.seq, "the line's content does not match its hash");
    if (event.seq < expectedSeq) return fail('inserted', line, event.seq, `seq ${event.seq} appears again (expected ${expectedSeq})`);
    if (event.seq > expectedSeq) {
      const later = findSeqLater(path, line.number + 1, expectedSeq);
      return later
        ? fail('reordered', line, event.seq, `seq ${event.seq} comes before seq ${expectedSeq}`)
        : fail('dropped', line, event.seq, `seq ${expectedSeq} is missing`);
    }
    if (event.prev !== lastHash) {
      const next = lookahead.done ? undefined : parseLine(lookahead.value);
      if (next && next.seq === event.seq) return fail('inserted', line, event.seq, 'a line that does not belong to the chain was inserted here');
      return fail('edited', line, event.seq, "prev does not match the previous line's hash (a line was changed and re-hashed)");
    }
    if (event.t < lastT) return fail('edited', line, event.seq, 'time goes backwards');
    if (event.type === SESSION_BLOCK_TYPE && event.mission !== null) {
      const fields = event.body as unknown as SessionBlockFields;
      const { count, root } = missions.close(event.mission);
      if (fields.event_count !== count || fields.root !== root) {
        return fail('bad signature', line, event.seq, `the session block does not cover the mission's ${count} events as logged`);
      }
      if (!verifySessionBlockSignature(event.mission, fields)) return fail('bad signature', line, event.seq, 'the Ed25519 signature does not verify');
      blocks++;
    } else {
      missions.observe(event.mission, event.hash);
    }
    lastHash = event.hash;
    lastT = event.t;
    expectedSeq++;
  }
  const end: FileLine = { text: '', number: expectedSeq + 1, terminated: true };
  if (manifest) {
    if (expectedSeq < manifest.events) return fail('truncated', end, expectedSeq, `the manifest says ${manifest.events} events; the log ends after ${expectedSeq}`);
    if (expectedSeq > manifest.events) return fail('inserted', end, manifest.events, `the manifest says ${manifest.events} events; the log has ${expectedSeq}`);
    if (manifest.last_hash !== lastHash) return fail('edited', end, expectedSeq - 1, "the last hash differs from the manifest's");
  }
  if (expectedSeq === 0) return fail('truncated', end, 0, 'the log is empty');
  return { ok: true, events: expectedSeq, sessionBlocks: blocks, lastHash };
}

function findSeqLater(path: string, fromLine: number, seq: number): boolean {
  for (const line of fileLines(path, fromLine)) {
    const match = /^\{"seq":(\d+),/.exec(line.text);
    if (match && Number(match[1]) === seq) return true;
  }
  return false;
}
