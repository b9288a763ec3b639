import { createPublicKey, sign, verify } from 'node:crypto';
import type { SigningKey } from '../log/session-block.ts';
import type { CommittedSacr } from './gec-checks.ts';
import { canonicalJson } from './ids.ts';
import { scopeHash } from './scope.ts';

/** A SACR as the GEC commits it (MAD section 4), before its signature. */
export interface SacrRecord extends CommittedSacr {
  sacr_id: string;
  mission_id: string;
  agent: string;
  parent_xpid: string;
  ephemeral_kia_ref: string;
  xpid: string;
}

/**
 * What the signature covers: every SACR field as ALE-043 logs it (the scope
 * bound by its hash, the sub-agent by its ephemeral reference), so an
 * auditor holding only the log and the GEC's public key can check each one.
 */
export function signedSacrFields(sacr: SacrRecord): Record<string, unknown> {
  return {
    mission_id: sacr.mission_id,
    sacr_id: sacr.sacr_id,
    sub_goal_id: sacr.sub_goal_id,
    parent_xpid: sacr.parent_xpid,
    ephemeral_kia_ref: sacr.ephemeral_kia_ref,
    scope_hash: scopeHash(sacr.scope),
    xpid: sacr.xpid,
    can_decompose: sacr.can_decompose,
    max_spawn_depth: sacr.max_spawn_depth,
    hub_only: sacr.hub_only,
    replan_authority: sacr.replan_authority,
  };
}

const message = (fields: Record<string, unknown>) => Buffer.from(`missionbench-sacr/v1\n${canonicalJson(fields)}`, 'utf8');

/** Ed25519 over every field (CONF-AOP-SEC-05). */
export function signSacr(key: SigningKey, sacr: SacrRecord): string {
  return sign(null, message(signedSacrFields(sacr)), key.privateKey).toString('base64url');
}

/** Does `signature` cover exactly these fields (as signed, or as read back from ALE-043)? */
export function verifySacrFields(publicKey: string, fields: Record<string, unknown>, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
    return verify(null, message(fields), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export function verifySacr(publicKey: string, sacr: SacrRecord, signature: string): boolean {
  return verifySacrFields(publicKey, signedSacrFields(sacr), signature);
}
