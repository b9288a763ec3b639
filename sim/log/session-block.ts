import { createHash, createPrivateKey, createPublicKey, sign, verify, type Hash, type KeyObject } from 'node:crypto';

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

// How many event hashes a root gathers before hashing them. They are held as
// their 32 bytes, not their 64 hex digits (spelled out into one shared
// scratch at each flush): an event touches half the bytes of its mission's
// batch, a cache line rather than two, and at 30,000-100,000 open missions
// every batch is cold. 16 of them are 512 B, what 8 hex hashes with their
// newlines took (520 B), so an open mission holds no more memory, and a
// batch makes one native update per 16 events instead of per 8. SHA-256 of
// the concatenation is the same however it is split into updates, so
// neither changes a byte of the root.
const BATCH_DIGESTS = 16;
const DIGEST_BYTES = 32;
const BATCH_BYTES = BATCH_DIGESTS * DIGEST_BYTES;
// A full batch spelled out: each hash in hex after its newline.
const SCRATCH = new DataView(new ArrayBuffer(BATCH_DIGESTS * (1 + 2 * DIGEST_BYTES)));
const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer);
// A byte's two hex digits as one big-endian 16-bit unit.
const HEX_DIGITS = '0123456789abcdef';
const HEX_PAIRS = Uint16Array.from({ length: 256 }, (_, b) => (HEX_DIGITS.charCodeAt(b >> 4) << 8) | HEX_DIGITS.charCodeAt(b & 15));
// A lowercase hex digit's value by character code (-1 for anything else), for add's hex strings.
const HEX_VALUES = Int8Array.from({ length: 128 }, (_, code) => HEX_DIGITS.indexOf(String.fromCharCode(code)));

/**
 * A log that can add the hash of the event it wrote last to a block's root
 * (AuditSink): `root.add(lastHash)`, or the same hash without its hex
 * string where the log holds the hash as bytes.
 */
export interface LastHashSource {
  lastHashInto(root: SessionBlockRoot): void;
}

/**
 * The root of a block, built as events go by: hex SHA-256 over the covered
 * events' hashes, in log order, joined by newlines. Constant memory per
 * mission however many events it has; `digest` starts the next block afresh
 * (so one object can follow a mission for the whole run).
 */
export class SessionBlockRoot {
  // Made at the first flush (and again after each digest): a closed block holds no hasher.
  private hasher: Hash | undefined;
  // BATCH_BYTES from Buffer's pool (as Buffer.allocUnsafe gives them): the batched hashes' bytes, each in 32.
  private batch: DataView | undefined;
  /** How many hashes the batch holds. */
  private held = 0;
  count = 0;

  /** Adds an event's hash; a 64-digit lowercase hex hash (every hash a log writer makes) is batched as its bytes. */
  add(eventHash: string): void {
    if (eventHash.length === 2 * DIGEST_BYTES && this.addHex(eventHash)) return;
    // Anything else (a log read back may hold any string) goes to the hasher as it is, after what is batched.
    this.flush();
    this.hasher ??= createHash('sha256');
    this.hasher.update(this.count === 0 ? eventHash : `\n${eventHash}`, 'utf8');
    this.count++;
  }

  /**
   * `add` for a hash held as its 32 bytes, one latin1 character each (the
   * audit writer's digest of its last line): `add(hex)` of the same hash,
   * without a hex string made of it only to be read back into bytes.
   */
  addDigest(digest: string): void {
    const batch = this.slot();
    const at = this.held * DIGEST_BYTES;
    for (let i = 0; i < DIGEST_BYTES; i += 4) {
      const word = (digest.charCodeAt(i) << 24) | (digest.charCodeAt(i + 1) << 16) | (digest.charCodeAt(i + 2) << 8) | digest.charCodeAt(i + 3);
      batch.setUint32(at + i, word);
    }
    this.held++;
    this.count++;
  }

  /** The root of the events added since the last digest; the next add starts a new block (the batch is let go till then). */
  digest(): string {
    this.flush();
    const root = (this.hasher ?? createHash('sha256')).digest('hex');
    this.hasher = undefined;
    this.batch = undefined;
    this.count = 0;
    return root;
  }

  /** Batches a 64-character hex string's bytes; false (nothing added) if it is not lowercase hex. */
  private addHex(hex: string): boolean {
    for (let i = 0; i < hex.length; i++) {
      const code = hex.charCodeAt(i);
      if (code >= 128 || (HEX_VALUES[code] as number) < 0) return false;
    }
    const batch = this.slot();
    const at = this.held * DIGEST_BYTES;
    for (let i = 0; i < DIGEST_BYTES; i++) {
      batch.setUint8(at + i, ((HEX_VALUES[hex.charCodeAt(2 * i)] as number) << 4) | (HEX_VALUES[hex.charCodeAt(2 * i + 1)] as number));
    }
    this.held++;
    this.count++;
    return true;
  }

  /** The batch, with room for one more hash. */
  private slot(): DataView {
    if (this.held === BATCH_DIGESTS) this.flush();
    return (this.batch ??= newBatch());
  }

  /** Spells the batched hashes out in hex, each after a newline but the block's first, and hashes them. */
  private flush(): void {
    const held = this.held;
    if (held === 0) return;
    const batch = this.batch as DataView;
    // The block's first hash has no newline before it.
    let pos = this.count === held ? -1 : 0;
    for (let at = 0; at < held * DIGEST_BYTES; at += 4) {
      if (at % DIGEST_BYTES === 0) {
        if (pos >= 0) SCRATCH.setUint8(pos, 0x0a);
        pos++;
      }
      const word = batch.getUint32(at);
      SCRATCH.setUint32(pos, ((HEX_PAIRS[word >>> 24] as number) << 16) | (HEX_PAIRS[(word >>> 16) & 255] as number));
      SCRATCH.setUint32(pos + 4, ((HEX_PAIRS[(word >>> 8) & 255] as number) << 16) | (HEX_PAIRS[word & 255] as number));
      pos += 8;
    }
    this.hasher ??= createHash('sha256');
    this.hasher.update(SCRATCH_BYTES.subarray(0, pos));
    this.held = 0;
  }
}

function newBatch(): DataView {
  const bytes = Buffer.allocUnsafe(BATCH_BYTES);
  return new DataView(bytes.buffer, bytes.byteOffset, BATCH_BYTES);
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
 * One mission's block as the log is written: a handle the world hands out
 * once (WorldContext.missionLog) so that recording under the mission looks
 * nothing up in a table as large as the world. It lives as long as the
 * run: after a block is signed, the same handle starts the next one.
 */
export class MissionBlock extends SessionBlockRoot {
  /** Order in which blocks (re)opened, so `openMissions` lists them as a table re-filled at each close would. */
  openedAt = 0;

  constructor(readonly mission: string) {
    super();
  }
}

/**
 * Follows each mission's events as the log is written (or read), so a block
 * can be signed (or checked) at close. A second block for the same mission
 * covers the events since the previous one.
 */
export class SessionBlockTracker {
  private readonly blocks = new Map<string, MissionBlock>();
  private opened = 0;

  /** The mission's block (made on first use; the same object for the whole run). */
  block(mission: string): MissionBlock {
    let block = this.blocks.get(mission);
    if (!block) {
      block = new MissionBlock(mission);
      this.blocks.set(mission, block);
    }
    return block;
  }

  observe(mission: string | null, hash: string): void {
    if (mission === null) return;
    this.observeBlock(this.block(mission), hash);
  }

  /** `observe` through a handle already held. */
  observeBlock(block: MissionBlock, hash: string): void {
    if (block.count === 0) block.openedAt = this.opened++;
    block.add(hash);
  }

  /** `observeBlock` with the hash of the event `log` wrote last, read from it as it holds it. */
  observeLast(block: MissionBlock, log: LastHashSource): void {
    if (block.count === 0) block.openedAt = this.opened++;
    log.lastHashInto(block);
  }

  /** What a block for `mission` covers now ({count 0} if nothing); starts afresh. */
  close(mission: string): { count: number; root: string } {
    const block = this.blocks.get(mission);
    if (!block || block.count === 0) return { count: 0, root: new SessionBlockRoot().digest() };
    const count = block.count;
    return { count, root: block.digest() };
  }

  /** Missions with events since their last block, in the order their open block began. */
  openMissions(): string[] {
    return [...this.blocks.values()]
      .filter((block) => block.count > 0)
      .sort((a, b) => a.openedAt - b.openedAt)
      .map((block) => block.mission);
  }
}
