/**
 * The open session blocks' batches (session-block.ts) in one shared memory:
 * each open block holds a slot of it, taken at its first event and given
 * back when it is digested, so a slot is reused by the next block to open.
 *
 * Why shared: a batch of its own per mission (a Buffer seen through a
 * DataView) was two more heap objects and a backing store behind each
 * mission, each a cache miss per event once the world is large (a miss costs
 * 300-470 ns at 100,000 agents: docs/benchmarks/scaling.md, section 2). Here
 * an event reaches its block and one slot's bytes; the memory's own view is
 * shared by every block, so it stays in the cache.
 */
export class BatchSlots {
  /** The whole memory; replaced (contents copied) when it grows, so hold a slot's offset, never this view. */
  private view: DataView;
  /** Slots given back, taken again last-in first-out. */
  private readonly free: number[] = [];
  /** Slots ever handed out (the high-water mark); the memory holds at least this many. */
  private handedOut = 0;
  /**
   * 1 for each slot held now, by slot index: a slot given back twice would be handed to two blocks, each
   * then writing over the other's hashes (a slot's bounds are not checked on the per-event path), so
   * `release` refuses it. Touched once per block opened and closed, never per event.
   */
  private held: Uint8Array;

  /**
   * @param slotBytes the size of one batch
   * @param initialSlots how many slots the memory holds before it first grows (it doubles as needed)
   */
  constructor(
    readonly slotBytes: number,
    initialSlots = 64,
  ) {
    if (!Number.isInteger(slotBytes) || slotBytes < 1) throw new RangeError(`BatchSlots: slotBytes must be a positive whole number, not ${slotBytes}`);
    if (!Number.isInteger(initialSlots) || initialSlots < 1)
      throw new RangeError(`BatchSlots: initialSlots must be a positive whole number, not ${initialSlots}`);
    this.view = new DataView(new ArrayBuffer(slotBytes * initialSlots));
    this.held = new Uint8Array(initialSlots);
  }

  /** The whole memory, as it is now: read it again after a `take` (which may grow it), never keep it. */
  get memory(): DataView {
    return this.view;
  }

  /** A free slot; returns where it starts in `memory` (its byte offset). */
  take(): number {
    let at = this.free.pop();
    if (at === undefined) {
      at = this.handedOut * this.slotBytes;
      if (at + this.slotBytes > this.view.byteLength) this.grow();
      this.handedOut++;
    }
    this.held[at / this.slotBytes] = 1;
    return at;
  }

  /** Gives back the slot at `at` (as `take` returned it): the next `take` may hand it out again. */
  release(at: number): void {
    const index = at / this.slotBytes;
    if (this.held[index] !== 1) throw new Error(`BatchSlots: the slot at ${at} was given back twice, or never taken`);
    this.held[index] = 0;
    this.free.push(at);
  }

  /** The first `length` bytes of the slot at `at`, as a view to hash (valid until the memory grows). */
  bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.view.buffer, at, length);
  }

  /** How many slots are taken now (for tests and memory accounting). */
  get taken(): number {
    return this.handedOut - this.free.length;
  }

  /**
   * Doubles the memory, copying the slots handed out: a world that opens n blocks at once copies them about
   * log2(n / initialSlots) times in a run. It never shrinks: the high-water mark of blocks open at once stays
   * reserved for the rest of the run (at 100,000 agents about 68 MB for 51 MB of slots held; the part never
   * written is not resident).
   */
  private grow(): void {
    const old = new Uint8Array(this.view.buffer, 0, this.handedOut * this.slotBytes);
    const grown = new Uint8Array(this.view.byteLength * 2);
    grown.set(old);
    this.view = new DataView(grown.buffer);
    const held = new Uint8Array(this.held.length * 2);
    held.set(this.held);
    this.held = held;
  }
}
