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
  memory: DataView;
  /** Slots given back, taken again last-in first-out. */
  private readonly free: number[] = [];
  /** Slots ever handed out (the high-water mark); the memory holds at least this many. */
  private handedOut = 0;

  /**
   * @param slotBytes the size of one batch
   * @param initialSlots how many slots the memory holds before it first grows (it doubles as needed)
   */
  constructor(
    readonly slotBytes: number,
    initialSlots = 64,
  ) {
    this.memory = new DataView(new ArrayBuffer(slotBytes * Math.max(1, initialSlots)));
  }

  /** A free slot; returns where it starts in `memory` (its byte offset). */
  take(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const at = this.handedOut * this.slotBytes;
    if (at + this.slotBytes > this.memory.byteLength) this.grow();
    this.handedOut++;
    return at;
  }

  /** Gives back the slot at `at` (as `take` returned it): the next `take` may hand it out again. */
  release(at: number): void {
    this.free.push(at);
  }

  /** The first `length` bytes of the slot at `at`, as a view to hash (valid until the memory grows). */
  bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, at, length);
  }

  /** How many slots are taken now (for tests and memory accounting). */
  get taken(): number {
    return this.handedOut - this.free.length;
  }

  private grow(): void {
    const old = new Uint8Array(this.memory.buffer, 0, this.handedOut * this.slotBytes);
    // Doubling: a world that opens n blocks at once copies its slots about log2(n / 64) times in a run.
    const grown = new Uint8Array(this.memory.byteLength * 2);
    grown.set(old);
    this.memory = new DataView(grown.buffer);
  }
}
