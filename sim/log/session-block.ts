import { BatchSlots } from './batch-slots.ts';
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

// How many bytes of event hashes a root gathers before hashing them: 8 hex
// hashes with their newlines. One Hash.update per event was a native call per
// event (about 5% of a large run); SHA-256 of the concatenation is the same
// however it is split into updates, so batching changes no byte of the root.
// Every open mission holds a batch (a slot of BatchSlots), so its size is
// resident memory per agent: 8 hashes rather than 16 is 520 B less per open
// mission (about 15 MB at 30,000 agents) for 15-35 ns more per event (one
// more native update per 8 events; 30,000 roots, 2026-12-05).
const BATCH_BYTES = 8 * 65;

/**
 * A log that can add the hash of the event it wrote last to a block's root
 * (AuditSink): `root.add(lastHash)`, or the same bytes without the hex
 * string where the log holds the hash as bytes.
 */
export interface LastHashSource {
  lastHashInto(root: SessionBlockRoot): void;
}

/** The root of a block with no events: SHA-256 of nothing (what a fresh root's digest gives; a test checks it). */
export const EMPTY_ROOT = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Slots for roots that belong to no tracker (sessionBlockRoot, tests): each such root has a small memory of its own. */
function ownSlots(): BatchSlots {
  return new BatchSlots(BATCH_BYTES, 1);
}

/**
 * The root of a block, built as events go by: hex SHA-256 over the covered
 * events' hashes, in log order, joined by newlines. Constant memory per
 * mission however many events it has; `digest` starts the next block afresh
 * (so one object can follow a mission for the whole run).
 *
 * The hashes not yet hashed wait in a slot of `slots`, a memory shared with
 * the tracker's other blocks (batch-slots.ts), taken at the block's first
 * event and given back at its digest: an event reaches this object and the
 * slot's bytes, no object of the batch's own.
 */
export class SessionBlockRoot {
  // Made at the first flush (and again after each digest): a closed block holds no hasher.
  private hasher: Hash | undefined;
  // Where this block's slot starts in slots.memory, or -1 while it holds none (before its first event, after a digest).
  private batchAt = -1;
  private used = 0;
  count = 0;

  constructor(private readonly slots: BatchSlots = ownSlots()) {}

  add(eventHash: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit (hashes are hex: 1 byte each).
    const worst = 1 + eventHash.length * 3;
    if (this.used + worst > BATCH_BYTES) this.flush();
    if (worst > BATCH_BYTES) {
      this.hasher ??= createHash('sha256');
      this.hasher.update(this.count === 0 ? eventHash : `\n${eventHash}`);
    } else {
      const at = this.slot();
      const memory = this.slots.memory;
      let used = at + this.used;
      if (this.count > 0) memory.setUint8(used++, 0x0a);
      this.used = writeUtf8(memory, at, used, eventHash) - at;
    }
    this.count++;
  }

  /**
   * `add` for a hash held as ASCII bytes (`length` of them at `from` in
   * `source`): the audit writer's line in its chunk, copied into the batch
   * as it is, without a string made of it only to be encoded back into
   * bytes. (`add` reserves UTF-8's worst case, 3 bytes a character, so its
   * batch takes 6 hex hashes; this fills it with 8. The root is the same
   * however the bytes are split into updates.)
   */
  addAscii(source: DataView, from: number, length: number): void {
    if (1 + length > BATCH_BYTES) return this.add(Buffer.from(source.buffer, source.byteOffset + from, length).toString('latin1'));
    if (this.used + 1 + length > BATCH_BYTES) this.flush();
    const at = this.slot();
    // Read after slot(): taking a slot may have grown the memory.
    const memory = this.slots.memory;
    let used = at + this.used;
    if (this.count > 0) memory.setUint8(used++, 0x0a);
    // Eight bytes at a time, as a float64 (64 bytes in 8 steps: a byte loop took twice the time of 4-byte steps, these
    // save 20-35 ns more at 30,000-100,000 blocks, and a native copy's call costs more). Exact for ASCII: a NaN, the one
    // value whose bits a double might not keep, needs its two high bytes >= 0x7f and >= 0xf0 (the first two here: a
    // DataView reads and writes big-endian unless told otherwise).
    let i = 0;
    for (; i + 8 <= length; i += 8, used += 8) memory.setFloat64(used, source.getFloat64(from + i));
    for (; i + 4 <= length; i += 4, used += 4) memory.setUint32(used, source.getUint32(from + i));
    for (; i < length; i++) memory.setUint8(used++, source.getUint8(from + i));
    this.used = used - at;
    this.count++;
  }

  /** The root of the events added since the last digest; the next add starts a new block (its slot is given back till then). */
  digest(): string {
    this.flush();
    const root = (this.hasher ?? createHash('sha256')).digest('hex');
    this.hasher = undefined;
    if (this.batchAt >= 0) this.slots.release(this.batchAt);
    this.batchAt = -1;
    this.count = 0;
    return root;
  }

  /** Where this block's slot starts, taking one if it holds none. */
  private slot(): number {
    let at = this.batchAt;
    if (at < 0) at = this.batchAt = this.slots.take();
    return at;
  }

  private flush(): void {
    if (this.used === 0) return;
    this.hasher ??= createHash('sha256');
    this.hasher.update(this.slots.bytes(this.batchAt, this.used));
    this.used = 0;
  }
}

/**
 * `text` in UTF-8 at `at` of the slot starting at `slot` (room known to be there); returns where it ends. ASCII (a hex
 * hash) code unit by code unit.
 */
function writeUtf8(memory: DataView, slot: number, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) {
      // Where the text started: written again from there, all of it, by Buffer (its offsets are from the slot's start).
      const start = at - i;
      return start + Buffer.from(memory.buffer, slot, BATCH_BYTES).write(text, start - slot, 'utf8');
    }
    memory.setUint8(at++, code);
  }
  return at;
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
 *
 * A party holds it typed as `MissionLog` (sim/context/actor-context.ts),
 * which shows only the mission id it was asked for: the log's bookkeeping
 * here (the events counted under the mission by every party, when the block
 * opened, its number among the run's missions) is out of a party's reach by
 * type only, as every object the world hands a party is; no party reads it.
 */
export class MissionBlock extends SessionBlockRoot {
  /** Order in which blocks (re)opened, so `openMissions` lists them as a table re-filled at each close would. */
  openedAt = 0;

  /**
   * @param number the block's place among the run's missions (0, 1, 2, ... in the order they were first
   * recorded), so that a reader can keep its own facts per mission in an array rather than a table by
   * mission id (the world's hint of who executed last, sim/world/last-executors.ts)
   */
  constructor(
    readonly mission: string,
    readonly number: number,
    slots: BatchSlots,
  ) {
    super(slots);
  }
}

/**
 * Follows each mission's events as the log is written (or read), so a block
 * can be signed (or checked) at close. A second block for the same mission
 * covers the events since the previous one.
 */
export class SessionBlockTracker {
  private readonly blocks = new Map<string, MissionBlock>();
  /** The open blocks' batches, one memory for all (batch-slots.ts). */
  private readonly slots: BatchSlots;
  private opened = 0;

  /** @param initialSlots how many open blocks' batches the shared memory holds before it first grows */
  constructor(initialSlots?: number) {
    this.slots = new BatchSlots(BATCH_BYTES, initialSlots);
  }

  /** How many batch slots blocks hold now: at most one per open block (a digested block gave its slot back). */
  get batchSlotsTaken(): number {
    return this.slots.taken;
  }

  /** The mission's block (made on first use; the same object for the whole run). */
  block(mission: string): MissionBlock {
    let block = this.blocks.get(mission);
    if (!block) {
      block = new MissionBlock(mission, this.blocks.size, this.slots);
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
    if (!block || block.count === 0) return { count: 0, root: EMPTY_ROOT };
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
