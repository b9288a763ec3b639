import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose export is the function itself; its typings say otherwise.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/** The approved mission blob (AAuth): what the person approved, as the PS records it. */
export interface MissionBlob {
  approver?: string;
  agent: string;
  approved_at: string;
  description: string;
  approved_tools?: string[];
  capabilities?: string[];
  expires_at?: string;
  /** Mission Authority Model: the approved envelope (docs/truth-records.md). */
  envelope?: Record<string, unknown>;
}

/**
 * The mission's identifier: unpadded base64url SHA-256 over the blob's
 * canonical JSON (RFC 8785), so every party computes the same s256 from the
 * same blob whatever its key order.
 */
export function missionS256(blob: MissionBlob): string {
  const canonical = canonicalize(blob);
  if (canonical === undefined) throw new Error('mission blob cannot be canonicalized');
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

/** Simulated wall clock: t=0 is this day at the scenario's clock_origin, in UTC. */
export function simulatedInstant(clockOrigin: string, t: number): string {
  const origin = Date.UTC(2026, 0, 1, Number(clockOrigin.slice(0, 2)), Number(clockOrigin.slice(3, 5)));
  return new Date(origin + Math.floor(t / 1000)).toISOString();
}
