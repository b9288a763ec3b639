import type { FutureEventSet } from './future-event-set.ts';
import { RadixQueue } from './radix-queue.ts';

/** What runs when an event fires. `arg` is whatever was scheduled with it. */
export type Handler<A = any> = (arg: A) => void;

/** Identifies a scheduled event so that it can be cancelled. */
export type EventHandle = number;

// A handle packs a slot index and that slot's generation, so that cancelling
// an event that already ran (its slot since reused) is a harmless no-op.
const SLOT_BITS = 2 ** 24;
const MAX_GENERATIONS = 2 ** 29; // SLOT_BITS * MAX_GENERATIONS stays a safe integer

// Each slot is three consecutive entries of one array (handler, argument,
// generation), so running an event touches one cache line rather than one per
// array: with a million pending events every slot read is a cache miss.
// A pending event's handler is a function; a cancelled one's is null; a free
// slot's is undefined.
const SLOT_SIZE = 3;
const HANDLER = 0;
const ARG = 1;
const GENERATION = 2;

/**
 * The simulation kernel: an integer-microsecond clock and the future-event
 * set. Events at the same time run in the order they were scheduled.
 * It knows nothing about authorization, files or statistics.
 */
export class Simulation {
  /** Current simulated time in integer microseconds. */
  now = 0;
  /** Number of events executed so far (cancelled ones excluded). */
  executed = 0;

  private nextSeq = 0;
  private stopped = false;
  // Slot storage (see SLOT_SIZE) per pending event, reused via a free list:
  // a stack in a typed array (its first freeCount entries), grown by doubling.
  private readonly slots: unknown[] = [];
  private slotCount = 0;
  private freeSlots = new Int32Array(1024);
  private freeCount = 0;
  private cancelledPending = 0;

  /**
   * `queue` is the future-event set (empty): the radix queue unless a test
   * or benchmark passes another, such as the binary heap. Every
   * implementation gives the same order, so the same run.
   */
  constructor(private readonly queue: FutureEventSet = new RadixQueue()) {
    if (queue.size !== 0) throw new RangeError('a simulation starts with an empty future-event set');
  }

  /** Events still waiting to run. */
  get pending(): number {
    return this.queue.size - this.cancelledPending;
  }

  /** Schedules `handler(arg)` after `delay` microseconds (an integer >= 0). */
  schedule<A>(delay: number, handler: Handler<A>, arg?: A): EventHandle {
    if (!(delay >= 0) || !Number.isSafeInteger(delay)) {
      throw new RangeError(`delay must be a non-negative integer number of microseconds, got ${delay}`);
    }
    return this.enqueue(this.now + delay, handler, arg);
  }

  /** Schedules `handler(arg)` at absolute time `time` (>= now). */
  scheduleAt<A>(time: number, handler: Handler<A>, arg?: A): EventHandle {
    if (!(time >= this.now) || !Number.isSafeInteger(time)) {
      throw new RangeError(`time must be an integer >= now (${this.now}), got ${time}`);
    }
    return this.enqueue(time, handler, arg);
  }

  /** Cancels a pending event. Returns false if it already ran or was cancelled. */
  cancel(handle: EventHandle): boolean {
    const slot = handle % SLOT_BITS;
    const generation = (handle - slot) / SLOT_BITS;
    const base = slot * SLOT_SIZE;
    // A finished event's slot is free (undefined) or reused under a newer generation.
    if (this.slots[base + GENERATION] !== generation || this.slots[base + HANDLER] == null) return false;
    this.slots[base + HANDLER] = null;
    this.slots[base + ARG] = undefined;
    this.cancelledPending++;
    return true;
  }

  /**
   * Whether the run goes on after the event running now and no other event
   * is due at this time: then anything that event schedules for now as its
   * very last act would run next anyway, and may as well be done in place,
   * with no event of its own and the same run (Signal.fireAsLastAct). A
   * cancelled event still due now counts as due: the answer is then a
   * cautious no.
   */
  get nothingElseDueNow(): boolean {
    return !this.stopped && this.queue.peekTime() > this.now;
  }

  /** Makes `run` return after the event that is executing now. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Runs events in (time, schedule order) until none is left, `stop()` is
   * called, or the next event lies after `until`; the clock then reads
   * `until` (if given and the run was not stopped).
   */
  run(until = Infinity): void {
    this.stopped = false;
    const queue = this.queue;
    const slots = this.slots;
    while (!this.stopped) {
      const slot = queue.popUntil(until);
      if (slot < 0) break;
      this.now = queue.lastTime;
      const base = slot * SLOT_SIZE;
      const handler = slots[base + HANDLER] as Handler | null;
      const arg = slots[base + ARG];
      slots[base + HANDLER] = undefined;
      slots[base + ARG] = undefined;
      this.freeSlot(slot);
      if (handler === null) {
        this.cancelledPending--;
        continue;
      }
      this.executed++;
      handler(arg);
    }
    if (!this.stopped && until !== Infinity && until > this.now) this.now = until;
  }

  private freeSlot(slot: number): void {
    if (this.freeCount === this.freeSlots.length) {
      const grown = new Int32Array(2 * this.freeCount);
      grown.set(this.freeSlots);
      this.freeSlots = grown;
    }
    this.freeSlots[this.freeCount++] = slot;
  }

  private enqueue(time: number, handler: Handler, arg: unknown): EventHandle {
    const slots = this.slots;
    let slot: number;
    let generation = 0;
    if (this.freeCount === 0) {
      slot = this.slotCount;
      if (slot >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} events pending`);
      this.slotCount++;
      slots.push(handler, arg, generation);
    } else {
      slot = this.freeSlots[--this.freeCount] as number;
      const base = slot * SLOT_SIZE;
      generation = ((slots[base + GENERATION] as number) + 1) & (MAX_GENERATIONS - 1);
      slots[base + HANDLER] = handler;
      slots[base + ARG] = arg;
      slots[base + GENERATION] = generation;
    }
    this.queue.push(time, this.nextSeq++, slot);
    return generation * SLOT_BITS + slot;
  }
}
