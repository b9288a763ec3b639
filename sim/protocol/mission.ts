import { createHash } from 'node:crypto';

/** The approved mission blob (AAuth): what the person approved, as the PS records it. */
export interface MissionBlob {
  approver?: string;
  agent: string;
  approved_at: string;
  description: string;
  approved_tools?: string[];
  approved_resources?: string[];
  capabilities?: string[];
  expires_at?: string;
  /** Mission Authority Model: the approved envelope (docs/truth-records.md). */
  envelope?: Record<string, unknown>;
}

/**
 * The bytes the PS persists and returns for an approved mission. Which
 * serialisation a PS uses is its own choice; this one writes the blob's
 * keys in the order the PS built them. Nobody re-serialises it: the body
 * travels and is logged as this exact string.
 */
export function missionBody(blob: MissionBlob): string {
  return JSON.stringify(blob);
}

/**
 * The mission's identifier as the drafts define it: unpadded base64url
 * SHA-256 over the exact bytes of the body the PS stores and returns (not a
 * re-canonicalised form), so a verifier recomputes it from the body as
 * received.
 */
export function missionS256(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('base64url');
}

/** Simulated wall clock: t=0 is this day at the scenario's clock_origin, in UTC. */
export function simulatedInstant(clockOrigin: string, t: number): string {
  const origin = Date.UTC(2026, 0, 1, Number(clockOrigin.slice(0, 2)), Number(clockOrigin.slice(3, 5)));
  return new Date(origin + Math.floor(t / 1000)).toISOString();
}
