/**
 * A block root that stages its event hashes in a HashStaging: its staged
 * hashes as a chain of slots (`first` to `last`, -1 for none), and where
 * they go when settled.
 */
export interface StagedRoot {
  first: number;
  last: number;
  /** Hashes, each after a newline (the block's very first one too: the root drops that newline). */
  hashJoined(bytes: Uint8Array): void;
}

/** A hex SHA-256: what every slot holds. */
export const STAGED_HASH_LENGTH = 64;
// How many staged hashes go to a root's hasher in one update at most (the gather buffer's size).
const GATHER_HASHES = 1024;

/**
 * The event hashes of every open mission's block, staged in log order in one
 * buffer, then added to their roots a mission at a time when the buffer is
 * full (or a block is signed). A protocol run interleaves thousands of
 * missions line by line, so a hash handed straight to its mission's root
 * lands in memory untouched since that mission's previous event (its own
 * batch, its own native hasher): cache misses on every event. Staged, a hash
 * is copied to the next slot of one buffer, and each root's hasher is
 * reached once per fill with all its hashes since the last one in a single
 * update. The root is SHA-256 of the same bytes (the hashes joined by
 * newlines, in each mission's log order) however they are split into
 * updates.
 *
 * Memory is the buffer's, fixed (about 77 bytes a slot), in place of a batch
 * per open mission.
 */
export class HashStaging {
  private readonly slots: DataView;
  /** The next slot of the same root, or -1. */
  private readonly next: Int32Array;
  /** The root whose chain begins at each slot, if one does (cleared once settled): what a drain visits. */
  private readonly heads: Array<StagedRoot | undefined>;
  private fill = 0;
  private readonly gather: DataView;

  constructor(readonly capacity: number) {
    const slots = Buffer.allocUnsafeSlow(capacity * STAGED_HASH_LENGTH);
    this.slots = new DataView(slots.buffer, slots.byteOffset, slots.length);
    this.next = new Int32Array(capacity);
    this.heads = new Array<StagedRoot | undefined>(capacity).fill(undefined);
    const gather = Buffer.allocUnsafeSlow(GATHER_HASHES * (STAGED_HASH_LENGTH + 1));
    this.gather = new DataView(gather.buffer, gather.byteOffset, gather.length);
  }

  /** Stages a hex hash held as 64 ASCII bytes at `from` in `source` (the audit writer's line). */
  stageAscii(root: StagedRoot, source: DataView, from: number): void {
    const slots = this.slots;
    const at = this.fill * STAGED_HASH_LENGTH;
    // Four bytes at a time (16 steps; a native copy's call costs more).
    for (let i = 0; i < STAGED_HASH_LENGTH; i += 4) slots.setUint32(at + i, source.getUint32(from + i));
    this.link(root);
  }

  /** Stages a hash given as a string; false (nothing staged) unless it is 64 ASCII characters. */
  stageString(root: StagedRoot, hash: string): boolean {
    if (hash.length !== STAGED_HASH_LENGTH) return false;
    const slots = this.slots;
    const at = this.fill * STAGED_HASH_LENGTH;
    for (let i = 0; i < STAGED_HASH_LENGTH; i++) {
      const code = hash.charCodeAt(i);
      if (code >= 0x80) return false;
      slots.setUint8(at + i, code);
    }
    this.link(root);
    return true;
  }

  /** Adds the root's staged hashes to its hasher, in order; nothing is staged for it afterwards. */
  settle(root: StagedRoot): void {
    let slot = root.first;
    if (slot < 0) return;
    this.heads[slot] = undefined;
    const gather = this.gather;
    const slots = this.slots;
    let used = 0;
    for (; slot >= 0; slot = this.next[slot] as number) {
      if (used + 1 + STAGED_HASH_LENGTH > gather.byteLength) {
        root.hashJoined(new Uint8Array(gather.buffer, gather.byteOffset, used));
        used = 0;
      }
      gather.setUint8(used++, 0x0a);
      const at = slot * STAGED_HASH_LENGTH;
      for (let i = 0; i < STAGED_HASH_LENGTH; i += 4, used += 4) gather.setUint32(used, slots.getUint32(at + i));
    }
    root.hashJoined(new Uint8Array(gather.buffer, gather.byteOffset, used));
    root.first = -1;
    root.last = -1;
  }

  private link(root: StagedRoot): void {
    const slot = this.fill;
    this.next[slot] = -1;
    if (root.last >= 0) this.next[root.last] = slot;
    else {
      root.first = slot;
      this.heads[slot] = root;
    }
    root.last = slot;
    if (++this.fill === this.capacity) this.drain();
  }

  /** Settles every root with hashes staged, in the order of their first staged hash. */
  private drain(): void {
    const heads = this.heads;
    for (let slot = 0; slot < this.fill; slot++) {
      const root = heads[slot];
      if (root !== undefined) this.settle(root);
    }
    this.fill = 0;
  }
}
