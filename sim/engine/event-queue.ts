/**
 * What the simulation needs of its future-event set: entries ordered by
 * (time, sequence number) ascending, carrying an integer payload. The caller
 * guarantees two things implementations may rely on for speed: times are
 * integers never earlier than the last popped time (the clock never goes
 * backwards), and sequence numbers strictly increase from one push to the
 * next, so equal times come out in push order.
 */
export interface FutureEventSet {
  readonly size: number;
  /** Time of the earliest entry; Infinity when empty. */
  peekTime(): number;
  push(time: number, seq: number, payload: number): void;
  /** Removes the earliest entry and returns its payload; -1 when empty. */
  pop(): number;
}

/**
 * A 4-ary min-heap keyed by (time, sequence number),
 * kept in typed arrays so that a million pending events cost three flat
 * arrays rather than a million objects. Same-time events come out in the
 * order they were pushed because the sequence number only grows.
 *
 * Each entry carries an opaque integer payload (the simulation stores a slot
 * index there); the queue knows nothing about what events mean.
 *
 * The simulation uses `RadixQueue` (radix-queue.ts), which does far less work
 * per event; this heap stays as the plain compare-and-swap reference the
 * radix queue is tested against. It needs neither guarantee above: any times
 * and sequence numbers come out in (time, seq) order.
 */
export class EventQueue implements FutureEventSet {
  private times: Float64Array;
  private seqs: Float64Array;
  private payloads: Int32Array;
  private count = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.payloads = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Time of the earliest entry; Infinity when empty. */
  peekTime(): number {
    return this.count === 0 ? Infinity : (this.times[0] as number);
  }

  push(time: number, seq: number, payload: number): void {
    if (this.count === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    // Sift the hole up from the end, moving parents down, then drop the entry in.
    let hole = this.count++;
    while (hole > 0) {
      const parent = (hole - 1) >> 2;
      const pt = times[parent] as number;
      if (pt < time || (pt === time && (seqs[parent] as number) < seq)) break;
      times[hole] = pt;
      seqs[hole] = seqs[parent] as number;
      payloads[hole] = payloads[parent] as number;
      hole = parent;
    }
    times[hole] = time;
    seqs[hole] = seq;
    payloads[hole] = payload;
  }

  /** Removes the earliest entry and returns its payload; -1 when empty. */
  pop(): number {
    if (this.count === 0) return -1;
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const top = payloads[0] as number;
    const last = --this.count;
    if (last === 0) return top;
    const time = times[last] as number;
    const seq = seqs[last] as number;
    const payload = payloads[last] as number;
    // Sift the hole down from the root, pulling the smallest child up.
    let hole = 0;
    for (;;) {
      const first = (hole << 2) + 1;
      if (first >= last) break;
      let best = first;
      let bt = times[first] as number;
      let bs = seqs[first] as number;
      const end = first + 4 < last ? first + 4 : last;
      for (let child = first + 1; child < end; child++) {
        const ct = times[child] as number;
        if (ct < bt || (ct === bt && (seqs[child] as number) < bs)) {
          best = child;
          bt = ct;
          bs = seqs[child] as number;
        }
      }
      if (bt > time || (bt === time && bs > seq)) break;
      times[hole] = bt;
      seqs[hole] = bs;
      payloads[hole] = payloads[best] as number;
      hole = best;
    }
    times[hole] = time;
    seqs[hole] = seq;
    payloads[hole] = payload;
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    const payloads = new Int32Array(capacity);
    times.set(this.times);
    seqs.set(this.seqs);
    payloads.set(this.payloads);
    this.times = times;
    this.seqs = seqs;
    this.payloads = payloads;
  }
}
