import { createPublicKey, sign, verify } from 'node:crypto';
import type { SigningKey } from '../audit/session-block.ts';
import type { CommittedSacr } from './gec-checks.ts';
import { canonicalJson } from './ids.ts';

/** A SACR as the GEC commits it (MAD section 4), before its signature. */
export interface SacrRecord extends CommittedSacr {
  sacr_id: string;
  mission_id: string;
  agent: string;
  parent_xpid: string;
  ephemeral_kia_ref: string;
  xpid: string;
}

/** Ed25519 over the canonical JSON of every field (CONF-AOP-SEC-05). */
export function signSacr(key: SigningKey, sacr: SacrRecord): string {
  return sign(null, Buffer.from(canonicalJson(sacr), 'utf8'), key.privateKey).toString('base64url');
}

/** Does `signature` cover exactly this SACR? A SACR with any field altered fails. */
export function verifySacr(publicKey: string, sacr: SacrRecord, signature: string): boolean {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
  return verify(null, Buffer.from(canonicalJson(sacr), 'utf8'), key, Buffer.from(signature, 'base64url'));
}
