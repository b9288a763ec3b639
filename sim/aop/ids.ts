import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS whose export is the function itself; its typings say otherwise.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/** RFC 8785 canonical JSON. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalized');
  return text;
}

/** Hex SHA-256 over the canonical JSON of `value`: how EODs, SPOs, scopes and plans are hashed. */
export function sha256Canonical(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

/** Unpadded base64url SHA-256 over the canonical JSON: the mission id, like an AAuth mission s256. */
export function s256Canonical(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('base64url');
}

/**
 * A UUID v4 (version and variant bits set) whose random bits come from
 * SHA-256 of `name`: session-scoped and unlinkable like the seed's
 * ephemeral_kia_ref, yet the same in every run of the same scenario.
 */
export function deterministicUuid(name: string): string {
  const bytes = createHash('sha256').update(`missionbench/uuid/${name}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An XPID derived from the parent's and the new identity (after KEE-1 section 10). */
export function deriveXpid(parentXpid: string, ephemeralKiaRef: string): string {
  return `xpid:${createHash('sha256').update(`${parentXpid}\n${ephemeralKiaRef}`).digest('hex').slice(0, 32)}`;
}
