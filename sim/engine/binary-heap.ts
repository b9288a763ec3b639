import type { FutureEventSet } from './future-event-set.ts';

/**
 * The textbook binary min-heap keyed by (time, sequence number), in typed
 * arrays so that a million pending events cost three flat arrays rather than
 * a million objects.
 *
 * It is the plain compare-and-swap reference: the radix queue is tested
 * against it, and the engine benchmark runs the simulation on both. It
 * needs neither guarantee of FutureEventSet: any times and sequence numbers
 * come out in (time, seq) order.
 */
export class BinaryHeap implements FutureEventSet {
  private times: Float64Array;
  private seqs: Float64Array;
  private payloads: Int32Array;
  private count = 0;
  private last = 0;

  constructor(initialCapacity = 1024) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.payloads = new Int32Array(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  get lastTime(): number {
    return this.last;
  }

  peekTime(): number {
    return this.count === 0 ? Infinity : (this.times[0] as number);
  }

  popUntil(until: number): number {
    return this.count === 0 || (this.times[0] as number) > until ? -1 : this.pop();
  }

  push(time: number, seq: number, payload: number): void {
    if (this.count === this.times.length) this.grow();
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    // Sift the hole up from the end, moving parents down, then drop the entry in.
    let hole = this.count++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
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

  pop(): number {
    if (this.count === 0) return -1;
    const times = this.times;
    const seqs = this.seqs;
    const payloads = this.payloads;
    const top = payloads[0] as number;
    this.last = times[0] as number;
    const last = --this.count;
    if (last === 0) return top;
    const time = times[last] as number;
    const seq = seqs[last] as number;
    const payload = payloads[last] as number;
    // Sift the hole down from the root, pulling the smaller child up.
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= last) break;
      let ct = times[child] as number;
      let cs = seqs[child] as number;
      const right = child + 1;
      if (right < last) {
        const rt = times[right] as number;
        const rs = seqs[right] as number;
        if (rt < ct || (rt === ct && rs < cs)) {
          child = right;
          ct = rt;
          cs = rs;
        }
      }
      if (ct > time || (ct === time && cs > seq)) break;
      times[hole] = ct;
      seqs[hole] = cs;
      payloads[hole] = payloads[child] as number;
      hole = child;
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
