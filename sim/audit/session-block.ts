import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Session blocks (after AOP's GEC): at mission close the Person Server signs,
 * with Ed25519, the root of the hashes of every event of that mission, so a
 * regulator holding only the log can check that no event of the mission was
 * added, removed or altered, and who vouched for it.
 *
 * The key is derived from the run seed and the signer's id, and Ed25519
 * signatures are deterministic: logs stay byte-identical across runs.
 */
export const SESSION_BLOCK_TYPE = 'audit.session_block' as const;

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  privateKey: KeyObject;
  /** Unpadded base64url of the raw 32-byte public key. */
  publicKey: string;
}

export function deriveSigningKey(runSeed: number | string, signerId: string): SigningKey {
  const seed = createHash('sha256').update(`missionbench/${runSeed}/${signerId}/ed25519`).digest();
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as { x: string };
  return { privateKey, publicKey: jwk.x };
}

/** Hex SHA-256 over the covered events' hashes, in log order, joined by newlines. */
export function sessionBlockRoot(eventHashes: readonly string[]): string {
  return createHash('sha256').update(eventHashes.join('\n')).digest('hex');
}

function message(mission: string, eventCount: number, root: string): Buffer {
  return Buffer.from(`missionbench-session-block/v1\n${mission}\n${eventCount}\n${root}`, 'utf8');
}

/** The fields of an audit.session_block event, in log order. */
export interface SessionBlockFields {
  event_count: number;
  root: string;
  public_key: string;
  signature: string;
}

export function signSessionBlock(key: SigningKey, mission: string, eventHashes: readonly string[]): SessionBlockFields {
  const root = sessionBlockRoot(eventHashes);
  const signature = sign(null, message(mission, eventHashes.length, root), key.privateKey).toString('base64url');
  return { event_count: eventHashes.length, root, public_key: key.publicKey, signature };
}

export function verifySessionBlockSignature(mission: string, fields: SessionBlockFields): boolean {
  try {
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: fields.public_key }, format: 'jwk' });
    return verify(null, message(mission, fields.event_count, fields.root), publicKey, Buffer.from(fields.signature, 'base64url'));
  } catch {
    return false;
  }
}

/**
 * Collects each mission's event hashes as the log is written (or read), so a
 * block can be signed (or checked) at close. A second block for the same
 * mission covers the events since the previous one.
 */
export class SessionBlockTracker {
  private readonly hashes = new Map<string, string[]>();

  observe(mission: string | null, hash: string): void {
    if (mission === null) return;
    let list = this.hashes.get(mission);
    if (!list) {
      list = [];
      this.hashes.set(mission, list);
    }
    list.push(hash);
  }

  /** The hashes covered by a block for `mission` now; forgets them. */
  close(mission: string): string[] {
    const list = this.hashes.get(mission) ?? [];
    this.hashes.delete(mission);
    return list;
  }

  openMissions(): string[] {
    return [...this.hashes.keys()];
  }
}
