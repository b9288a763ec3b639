import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, text } from './fields.ts';

/** The log's own integrity: signed session blocks and the closing seal. */
export const AUDIT_EVENTS = {
  'audit.session_block': fields(
    { event_count: count, root: Type.String({ pattern: '^[0-9a-f]{64}$' }), public_key: text, signature: text },
    "Ed25519-signed session block over the mission's events since its last block",
  ),
  'audit.log_sealed': fields(
    {
      event_count: count,
      last_hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      ingested_at: Type.Optional(text),
      source_sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
      public_key: text,
      signature: text,
    },
    "the log's last line: its signer's Ed25519 signature over the count and last hash of the events before it (and, from ingest, when and what was ingested); a log without it may have been cut off",
  ),
} satisfies Record<string, TObject>;
