import { EventQueue, type FutureEventSet } from './event-queue.ts';

/** What runs when an event fires. `arg` is whatever was scheduled with it. */
export type Handler<A = any> = (arg: A) => void;

/** Identifies a scheduled event so that it can be cancelled. */
export type EventHandle = number;

// A handle packs a slot index and that slot's generation, so that cancelling
// an event that already ran (its slot since reused) is a harmless no-op.
const SLOT_BITS = 2 ** 24;
const MAX_GENERATIONS = 2 ** 29; // SLOT_BITS * MAX_GENERATIONS stays a safe integer

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

  // Behind an interface so another future-event set can be swapped in and benchmarked.
  private readonly queue: FutureEventSet = new EventQueue();
  private nextSeq = 0;
  private stopped = false;
  // Slot storage: handler and argument per pending event, reused via a free list.
  private handlers: Array<Handler | undefined> = [];
  private args: unknown[] = [];
  private generations: number[] = [];
  private cancelled: Uint8Array = new Uint8Array(1024);
  private freeSlots: number[] = [];
  private cancelledPending = 0;

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
    if (this.generations[slot] !== generation || this.handlers[slot] === undefined) return false;
    if (this.cancelled[slot] === 1) return false;
    this.cancelled[slot] = 1;
    this.cancelledPending++;
    return true;
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
    while (!this.stopped && queue.size > 0) {
      const time = queue.peekTime();
      if (time > until) break;
      const slot = queue.pop();
      this.now = time;
      const handler = this.handlers[slot] as Handler;
      const arg = this.args[slot];
      this.handlers[slot] = undefined;
      this.args[slot] = undefined;
      this.freeSlots.push(slot);
      if (this.cancelled[slot] === 1) {
        this.cancelled[slot] = 0;
        this.cancelledPending--;
        continue;
      }
      this.executed++;
      handler(arg);
    }
    if (!this.stopped && until !== Infinity && until > this.now) this.now = until;
  }

  private enqueue(time: number, handler: Handler, arg: unknown): EventHandle {
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.handlers.length;
      if (slot >= SLOT_BITS) throw new RangeError(`more than ${SLOT_BITS} events pending`);
      this.handlers.push(undefined);
      this.args.push(undefined);
      this.generations.push(0);
      if (slot >= this.cancelled.length) {
        const bigger = new Uint8Array(this.cancelled.length * 2);
        bigger.set(this.cancelled);
        this.cancelled = bigger;
      }
    } else {
      this.generations[slot] = ((this.generations[slot] as number) + 1) % MAX_GENERATIONS;
    }
    this.handlers[slot] = handler;
    this.args[slot] = arg;
    this.queue.push(time, this.nextSeq++, slot);
    return (this.generations[slot] as number) * SLOT_BITS + slot;
  }
}
