import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { RunningSha256 } from './sha256.ts';

/**
 * Session blocks (after AOP's GEC): at mission close the Person Server signs,
 * with Ed25519, the root of the hashes of every event of that mission, so a
 * regulator holding only the log can check that no event of the mission was
 * added, removed or altered, and who vouched for it.
 *
 * In a simulated run the key is derived from the run seed and the signer's
 * id, and Ed25519 signatures are deterministic: logs stay byte-identical
 * across runs, and the signatures prove integrity against accident only
 * (anyone who knows the seed can re-sign). `ingest` signs with a real key
 * that nothing in the log derives (key-file.ts).
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

/**
 * The root of a block, built as events go by: hex SHA-256 over the covered
 * events' hashes, in log order, joined by newlines. Constant memory per
 * mission however many events it has, and little of it: a large run keeps
 * one root per open mission, so the running hash is RunningSha256 (a few
 * fields) rather than a node:crypto Hash with its OpenSSL context and a
 * batch buffer (about 2 KB per mission; issue 19 item 4). The same bytes are
 * hashed, so every root is unchanged.
 */
export class SessionBlockRoot {
  private readonly hasher = new RunningSha256();
  count = 0;

  add(eventHash: string): void {
    this.hasher.update(this.count === 0 ? eventHash : `\n${eventHash}`);
    this.count++;
  }

  digest(): string {
    return this.hasher.digestHex();
  }
}

export function sessionBlockRoot(eventHashes: readonly string[]): string {
  const root = new SessionBlockRoot();
  for (const hash of eventHashes) root.add(hash);
  return root.digest();
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

export function signSessionBlock(key: SigningKey, mission: string, eventCount: number, root: string): SessionBlockFields {
  const signature = sign(null, message(mission, eventCount, root), key.privateKey).toString('base64url');
  return { event_count: eventCount, root, public_key: key.publicKey, signature };
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
 * Follows each mission's events as the log is written (or read), so a block
 * can be signed (or checked) at close. A second block for the same mission
 * covers the events since the previous one.
 */
export class SessionBlockTracker {
  private readonly roots = new Map<string, SessionBlockRoot>();

  observe(mission: string | null, hash: string): void {
    if (mission === null) return;
    let root = this.roots.get(mission);
    if (!root) {
      root = new SessionBlockRoot();
      this.roots.set(mission, root);
    }
    root.add(hash);
  }

  /** What a block for `mission` covers now ({count 0} if nothing); starts afresh. */
  close(mission: string): { count: number; root: string } {
    const root = this.roots.get(mission) ?? new SessionBlockRoot();
    this.roots.delete(mission);
    return { count: root.count, root: root.digest() };
  }

  openMissions(): string[] {
    return [...this.roots.keys()];
  }
}
