import { createPublicKey, sign, verify } from 'node:crypto';
import type { SigningKey } from './session-block.ts';
import type { AuditSink } from './writer.ts';

/**
 * The closing record of every log: the signer signs (Ed25519) how many
 * events came before it and the last one's hash. A hash chain cannot show
 * that its tail was cut; a log whose last line is not a valid seal can be
 * told apart from a whole one without its manifest.
 *
 * A simulated run seals with the run's simulated key (derived from its seed,
 * like the Person Servers' keys), so logs stay byte-identical; `ingest`
 * seals with a real key of the ingesting party and says when (ingested_at)
 * and what it received (source_sha256).
 */
export const SEAL_TYPE = 'audit.log_sealed' as const;
/** Who seals a simulated run's log: the same actor as its run.started. */
export const RUN_SIGNER = 'missionbench';

/** What an ingest adds to its seal: when, and the SHA-256 of the file received. */
export interface IngestFacts {
  ingested_at: string;
  source_sha256: string;
}

/** The fields of an audit.log_sealed event, in log order. */
export interface SealFields {
  event_count: number;
  last_hash: string;
  ingested_at?: string;
  source_sha256?: string;
  public_key: string;
  signature: string;
}

/** What the signature covers: everything on the seal's line but its seq, mission (always null), prev and hash, which the chain covers. */
function message(signer: string, t: number, eventCount: number, lastHash: string, ingest: Partial<IngestFacts>): Buffer {
  return Buffer.from(
    `missionbench-log-seal/v1\n${signer}\n${t}\n${eventCount}\n${lastHash}\n${ingest.ingested_at ?? ''}\n${ingest.source_sha256 ?? ''}`,
    'utf8',
  );
}

/** Writes the seal as the log's last event, at time `t` (no earlier than the last event's). */
export function sealLog(sink: AuditSink, t: number, signer: string, key: SigningKey, ingest?: IngestFacts): void {
  const eventCount = sink.count;
  const lastHash = sink.lastHash;
  const signature = sign(null, message(signer, t, eventCount, lastHash, ingest ?? {}), key.privateKey).toString('base64url');
  const fields: SealFields = { event_count: eventCount, last_hash: lastHash, ...ingest, public_key: key.publicKey, signature };
  sink.emit(t, SEAL_TYPE, null, signer, { ...fields });
}

export function verifySealSignature(signer: string, t: number, fields: SealFields): boolean {
  try {
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: fields.public_key }, format: 'jwk' });
    return verify(null, message(signer, t, fields.event_count, fields.last_hash, fields), publicKey, Buffer.from(fields.signature, 'base64url'));
  } catch {
    return false;
  }
}
