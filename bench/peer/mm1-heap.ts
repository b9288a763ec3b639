/**
 * The same M/M/1 as bench/peer/mm1_simpy.py, written the plainest fast way
 * in Node: a binary heap of (time, kind) events in typed arrays, a FIFO of
 * arrival times, and the engine's random generator (so it draws the way
 * missionbench does). No processes, no signals, no log: it marks what this
 * runtime can do at best, the limit missionbench's figures are read against.
 *
 * Run by the peer benchmark through bench/peer/mm1-heap-child.ts; the
 * test imports it.
 */
import { randomStream } from '../../sim/engine/random.ts';

export const LAMBDA = 0.6;
export const MU = 1;

const ARRIVAL = 0;
const DEPARTURE = 1;

/** A binary min-heap of (time, kind), ties in no particular order (M/M/1 has none that matter). */
class EventHeap {
  private times = new Float64Array(16);
  private kinds = new Uint8Array(16);
  size = 0;

  push(time: number, kind: number): void {
    if (this.size === this.times.length) {
      const times = new Float64Array(this.size * 2);
      const kinds = new Uint8Array(this.size * 2);
      times.set(this.times);
      kinds.set(this.kinds);
      this.times = times;
      this.kinds = kinds;
    }
    let hole = this.size++;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if ((this.times[parent] as number) <= time) break;
      this.times[hole] = this.times[parent] as number;
      this.kinds[hole] = this.kinds[parent] as number;
      hole = parent;
    }
    this.times[hole] = time;
    this.kinds[hole] = kind;
  }

  /** Time of the earliest event (the heap must not be empty). */
  peekTime(): number {
    return this.times[0] as number;
  }

  /** Removes the earliest event and returns its kind. */
  pop(): number {
    const top = this.kinds[0] as number;
    const last = --this.size;
    const time = this.times[last] as number;
    const kind = this.kinds[last] as number;
    let hole = 0;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= last) break;
      if (child + 1 < last && (this.times[child + 1] as number) < (this.times[child] as number)) child++;
      if ((this.times[child] as number) >= time) break;
      this.times[hole] = this.times[child] as number;
      this.kinds[hole] = this.kinds[child] as number;
      hole = child;
    }
    this.times[hole] = time;
    this.kinds[hole] = kind;
    return top;
  }
}

export interface Mm1Result {
  customers: number;
  events: number;
  mean_sojourn: number;
}

/** Serves `customers` customers (arrivals stop after that many) and returns their mean sojourn time. */
export function mm1Heap(customers: number, seed = 1): Mm1Result {
  const rng = randomStream(seed, 'bench/peer/mm1-heap');
  const exp = (rate: number): number => -Math.log(1 - rng()) / rate;
  const heap = new EventHeap();
  // Arrival times of the customers in the system, oldest first (a growable ring would do; an array with a head index is plainer).
  const inSystem: number[] = [];
  let head = 0;
  let arrived = 0;
  let served = 0;
  let events = 0;
  let totalSojourn = 0;
  heap.push(exp(LAMBDA), ARRIVAL);
  while (heap.size > 0) {
    const now = heap.peekTime();
    const kind = heap.pop();
    events++;
    if (kind === ARRIVAL) {
      arrived++;
      inSystem.push(now);
      if (inSystem.length - head === 1) heap.push(now + exp(MU), DEPARTURE);
      if (arrived < customers) heap.push(now + exp(LAMBDA), ARRIVAL);
    } else {
      totalSojourn += now - (inSystem[head++] as number);
      served++;
      if (head > 4096 && head * 2 > inSystem.length) {
        inSystem.splice(0, head);
        head = 0;
      }
      if (inSystem.length > head) heap.push(now + exp(MU), DEPARTURE);
    }
  }
  return { customers: served, events, mean_sojourn: totalSojourn / served };
}
