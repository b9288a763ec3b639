/**
 * What the simulation needs of its future-event set: entries ordered by
 * (time, sequence number) ascending, carrying an integer payload (the
 * simulation stores a slot index there; the set knows nothing about what
 * events mean). The caller guarantees two things implementations may rely
 * on for speed: times are integers never earlier than the last popped time
 * (the clock never goes backwards), and sequence numbers strictly increase
 * from one push to the next, so equal times come out in push order.
 *
 * Two implementations: `RadixQueue` (the default, radix-queue.ts) and
 * `BinaryHeap` (binary-heap.ts, the textbook reference). `npm run bench --
 * --only engine.hold` measures both.
 */
export interface FutureEventSet {
  readonly size: number;
  /** Time of the earliest entry; Infinity when empty. */
  peekTime(): number;
  push(time: number, seq: number, payload: number): void;
  /** Removes the earliest entry and returns its payload; -1 when empty. */
  pop(): number;
  /**
   * `pop` when the earliest entry's time is <= `until`, else -1 (also when
   * empty): the simulation's loop in one call rather than three (size,
   * peekTime, pop), about 5% of the engine's time per event.
   */
  popUntil(until: number): number;
  /** Time of the entry popped last (0 before any). */
  readonly lastTime: number;
}
