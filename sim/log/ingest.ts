import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { writeRunFolder } from '../output-dir.ts';
import { loadValidator, type ValidatorSpec } from '../precompiled-validator.ts';
import { MISSIONBENCH_VERSION } from '../version.ts';
import { eventJsonSchema } from './catalogue.ts';
import { defaultIngestKeyPath, loadOrCreateSigningKey } from './key-file.ts';
import { fileLines } from './line-reader.ts';
import { SEAL_TYPE, sealLog } from './seal.ts';
import { SESSION_BLOCK_TYPE, SessionBlockTracker, signSessionBlock, type SigningKey } from './session-block.ts';
import { AuditLogWriter } from './writer.ts';

/** One problem with a line of a log brought from elsewhere. */
export interface IngestProblem {
  line: number;
  field: string;
  message: string;
}

export class IngestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: IngestProblem[],
  ) {
    super(problems.map((p) => `${file}:${p.line}: ${p.field}: ${p.message}`).join('\n'));
    this.name = 'IngestError';
  }
}

const COMMON = new Set(['seq', 't', 'type', 'mission', 'actor', 'prev', 'hash']);
const MAX_PROBLEMS = 50;
/** The signer of session blocks over an ingested log: missionbench vouches only for what it received. */
export const INGEST_SIGNER = 'missionbench:ingest';

export interface IngestManifest {
  missionbench_version: string;
  /** What was received, and when (UTC): the chain proves nothing about the log before then. */
  ingested: { path: string; sha256: string; lines: number; at: string };
  /** Who chained and sealed it: the ingesting party's real Ed25519 public key (base64url). */
  signer: { id: string; public_key: string };
  events: number;
  fingerprint: string;
  last_hash: string;
}

export interface IngestOptions {
  /**
   * When the ingesting party received the log (UTC, to the second, e.g.
   * 2026-12-05T12:26:18Z): the seal's ingested_at. The caller reads its own
   * clock (cli/ingest-time.ts); the log contract reads none.
   */
  at: string;
  /** The ingesting party's key; by default the key file at defaultIngestKeyPath(), made on first use. */
  key?: SigningKey | undefined;
  /** Chunk size of the line reader (tests use tiny ones). */
  chunkBytes?: number | undefined;
  /** For a log converted from another format (aauth-call): what was really received (its SHA-256 is the one the seal names). */
  source?: Omit<IngestManifest['ingested'], 'at'> & Record<string, unknown>;
  /** Files to keep beside the log (e.g. the conversion's report). */
  sidecars?: Record<string, string>;
}

/**
 * The catalogue's schema, compiled by the build (sim/precompiled-validator.ts): compiling it takes longer than
 * checking a small log. verbose: errors carry the value found (error.data), which every message names.
 */
export const EVENT_VALIDATOR: ValidatorSpec = {
  name: 'event',
  options: { allErrors: true, strict: false, verbose: true },
  formats: {},
  schema: eventJsonSchema,
};

let compiled: ValidateFunction | undefined;
function eventValidator(): ValidateFunction {
  compiled ??= loadValidator(EVENT_VALIDATOR);
  return compiled;
}

/**
 * Takes a mission log written elsewhere (JSON Lines in the documented
 * schema; prev/hash optional), checks every line first, and only then
 * writes it chained and signed as received into a run folder, so replay,
 * verify and analysis work on it. A bad log writes nothing.
 */
export function ingestLog(file: string, outDir: string, options: IngestOptions): IngestManifest {
  const validate = eventValidator();
  const problems: IngestProblem[] = [];
  let lastT = 0;
  let lines = 0;
  for (const line of fileLines(file, 1, options.chunkBytes)) {
    if (line.text.trim() === '') continue;
    lines++;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line.text) as Record<string, unknown>;
    } catch {
      problems.push({ line: line.number, field: '(line)', message: 'expected a JSON object on one line' });
      if (problems.length >= MAX_PROBLEMS) break;
      continue;
    }
    // The chain is rebuilt on ingest, so the source's own seq is not required to be consecutive.
    if (!validate(event)) {
      for (const error of validate.errors ?? []) {
        if (error.keyword === 'if') continue;
        problems.push({ line: line.number, field: fieldOf(error), message: messageOf(error) });
      }
    } else if ((event.t as number) < lastT) {
      problems.push({ line: line.number, field: 't', message: `expected a time >= ${lastT} (the previous line's), found ${String(event.t)}` });
    } else {
      lastT = event.t as number;
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }
  if (lines === 0) problems.push({ line: 1, field: '(file)', message: 'expected at least one event, found none' });
  if (problems.length > 0) throw new IngestError(file, problems);

  const sourceSha256 = options.source?.sha256 ?? createHash('sha256').update(readFileSync(file)).digest('hex');
  const key = options.key ?? loadOrCreateSigningKey(defaultIngestKeyPath(), true);
  const ingestedAt = options.at;
  return writeRunFolder(outDir, (output): IngestManifest => {
    const writer = new AuditLogWriter(output.file('events.jsonl'));
    const tracker = new SessionBlockTracker();
    let t = 0;
    for (const line of fileLines(file, 1, options.chunkBytes)) {
      if (line.text.trim() === '') continue;
      const event = JSON.parse(line.text) as Record<string, unknown>;
      // The source's own blocks and seal cannot be re-verified once re-chained.
      if (event.type === SESSION_BLOCK_TYPE || event.type === SEAL_TYPE) continue;
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(event)) if (!COMMON.has(key)) fields[key] = value;
      t = event.t as number;
      writer.emit(t, event.type as string, event.mission as string | null, event.actor as string, fields);
      tracker.observe(event.mission as string | null, writer.lastHash);
    }
    for (const mission of tracker.openMissions()) {
      const covered = tracker.close(mission);
      writer.emit(t, SESSION_BLOCK_TYPE, mission, INGEST_SIGNER, { ...signSessionBlock(key, mission, covered.count, covered.root) });
    }
    sealLog(writer, t, INGEST_SIGNER, key, { ingested_at: ingestedAt, source_sha256: sourceSha256 });
    const log = writer.close();
    for (const [name, text] of Object.entries(options.sidecars ?? {})) writeFileSync(output.file(name), text);
    return {
      missionbench_version: MISSIONBENCH_VERSION,
      ingested: { ...(options.source ?? { path: resolve(file), sha256: sourceSha256, lines }), at: ingestedAt },
      signer: { id: INGEST_SIGNER, public_key: key.publicKey },
      events: log.events,
      fingerprint: log.fingerprint,
      last_hash: log.lastHash,
    };
  });
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.slice(1).replace(/\//g, '.');
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const extra = params.missingProperty ?? params.additionalProperty;
  return [path, extra].filter(Boolean).join('.') || '(event)';
}

function messageOf(error: ErrorObject): string {
  const params = error.params as { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
  if (params.missingProperty) return 'expected this field, found nothing';
  if (params.additionalProperty) return 'expected no such field for this event type';
  if (params.allowedValues) return `expected one of the catalogue's event types, found ${JSON.stringify(error.data)}`;
  return `expected a value that ${error.message ?? 'matches the schema'}, found ${JSON.stringify(error.data)}`;
}
