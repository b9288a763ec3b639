import type { FutureEventSet } from './future-event-set.ts';

/**
 * The simulation's future-event set: a radix heap with 10-bit digits (close
 * kin of a hierarchical timing wheel), in typed arrays.
 *
 * Why this design: event times are integers and never earlier than the last
 * popped time, so entries can be filed by how far they lie from "now"
 * instead of being compared with one another. A binary heap pays ~log2(n)
 * unpredictable comparisons per event and, with a million pending, a cache
 * miss per level; here a push is an append to one bucket and an entry is
 * refiled once or twice before it is popped (in the engine benchmark's hold
 * model, 0.6 times on average with 1k pending events, 1.7 times with 1M), by
 * sequential passes that the cache and the branch predictor handle well.
 *
 * Buckets. `base` is a time no later than any entry. An entry at time t is
 * filed in bucket (level, digit): level is the highest base-1024 digit in
 * which t differs from `base`, digit is t's digit there (equal times: level
 * 0). Every time in level L exceeds every time in lower levels, and within a
 * level digits order the buckets, so the lowest occupied bucket holds the
 * minimum. A level-0 bucket holds a single time.
 *
 * The current run. Entries are popped from `current`, a bucket sorted by
 * time, which holds every entry earlier than `frontEnd`; later entries are
 * filed relative to `base`. When the run is used up, the lowest occupied
 * bucket becomes the run: a level-0 bucket as it is; a small bucket (the
 * common case with sparse events) sorted in place; a large one refiled
 * relative to its minimum, which sends every entry to a lower level (its
 * minimum to level 0). Pushes earlier than `frontEnd` are inserted into the
 * run, which rarely moves more than an entry or two.
 *
 * Ties. Same-time entries always share a bucket (the bucket is a function of
 * time and `base`, and `base` moves only to the minimum of the bucket that
 * becomes the run, which leaves every other bucket valid). Pushes append,
 * refiling is a stable pass into empty buckets and sorting and insertion are
 * stable, so same-time entries stay in push order. The caller's sequence
 * numbers grow with every push, so push order is seq order: seq is neither
 * stored nor compared.
 *
 * Memory. Buckets keep their storage when emptied, up to RETAIN_ENTRIES;
 * larger storage goes to a few spares that growing buckets take first, so
 * memory follows the number of pending events, not how long the run is.
 * Buckets from level SHARED_FROM_LEVEL up keep none: their storage, emptied
 * or outgrown, is recycled by size for the next one that grows.
 */

const DIGIT_BITS = 10;
const RADIX = 1 << DIGIT_BITS; // buckets per level
const DIGIT_MASK = RADIX - 1;
/** Times are split at bit 30 so each half fits int32 arithmetic: three digits below, three above. */
const LOW_BITS = 30;
const LOW_SPAN = 2 ** LOW_BITS;
const LOW_LEVELS = 3;
/** 6 levels x 10 bits cover every safe integer (53 bits). */
const LEVELS = 6;
/** 32-bit words in a level's occupancy bitmap (one bit per bucket). */
const WORDS = RADIX / 32;
/** Buckets this small are sorted in place when they become the run; larger ones are refiled. */
const SORT_LIMIT = 8;
/**
 * An emptied bucket keeps its storage for reuse up to this many entries. A
 * bucket that held more (with many pending events, each bucket of the level
 * they are first filed on does) hands its storage over to `spares`:
 * otherwise every bucket that was ever large would keep its peak size, and
 * memory would grow with simulated time rather than with pending events.
 * This holds for levels 0 and 1; buckets from level 2 up (about a second
 * each, reused only minutes later) give their storage up when emptied, to
 * `recycled` by size (see FIRST_SHARED_BUCKET).
 */
const RETAIN_ENTRIES = 1024;
/** Large arrays kept for buckets that grow past RETAIN_ENTRIES (no fresh allocation, no page faults). */
const SPARES = 4;
/**
 * From this level up, a bucket is filled again only once the clock has
 * moved on RADIX of its spans (at level 2, 2^30 us: 18 simulated minutes),
 * so keeping its storage buys nothing in a run of minutes to hours, while
 * many such buckets fill at once, each growing from nothing (at 10,000
 * agents about 300 level-2 buckets hold the next five minutes' events, each
 * growing to ~500 entries: 6,000 fresh off-heap arrays per 20 simulated
 * minutes, a few microseconds each, and memory that grows with the run).
 * Their storage is recycled instead: a bucket that outgrows or empties
 * its array hands it to `recycled`, where the next one growing into that
 * size takes it.
 */
const SHARED_FROM_LEVEL = 2;
const FIRST_SHARED_BUCKET = SHARED_FROM_LEVEL * RADIX;
/** Bucket storage lengths are 16 << k doubles; `recycled` has a list per k up to 2 * RETAIN_ENTRIES. */
const SMALLEST_STORAGE_BITS = 4;
const SIZE_CLASSES = Math.log2(2 * RETAIN_ENTRIES) - SMALLEST_STORAGE_BITS + 1;
/** Recycled arrays kept per size (at most about 2 MB in all). */
const RECYCLED_PER_SIZE = 64;
const EMPTY = new Float64Array(0);

/** Level of the digit holding bit `i` of a 30-bit half. */
const LEVEL_OF_BIT = Int32Array.from({ length: 32 }, (_, i) => Math.floor(i / DIGIT_BITS));
/** Time span of one bucket of each level. */
const BUCKET_SPAN = Float64Array.from({ length: LEVELS }, (_, level) => 2 ** (level * DIGIT_BITS));

/** Index of the lowest set bit of a non-zero 32-bit integer. */
function lowestBit(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export class RadixQueue implements FutureEventSet {
  /** Per bucket (level * RADIX + digit): time and payload, interleaved. */
  private readonly buckets: Float64Array[] = [];
  /** Storage of emptied large buckets, for growing ones (see RETAIN_ENTRIES). */
  private readonly spares: Float64Array[] = [];
  /** Storage given up by buckets of shared levels, by size class (see SHARED_FROM_LEVEL). */
  private readonly recycled: Float64Array[][] = Array.from({ length: SIZE_CLASSES }, () => []);
  /** Entries per bucket (for `current`, including those already popped). */
  private readonly counts = new Int32Array(LEVELS * RADIX);
  /** Bit `digit` of level L's bitmap is set iff bucket (L, digit) is non-empty. */
  private readonly occupied = new Int32Array(LEVELS * WORDS);
  /** Per level: bit w set iff word w of its occupancy bitmap is non-zero. */
  private readonly occupiedWords = new Int32Array(LEVELS);
  /** Bit L set iff level L has a non-empty bucket. */
  private occupiedLevels = 0;

  /** Buckets are relative to `base`, split into high and low halves (`baseLo` below 2^30). */
  private base = 0;
  private baseHi = 0;
  private hiStart = 0;
  private hiEnd = LOW_SPAN;
  private baseLo = 0;

  /** The run being popped: a bucket sorted by time holding every entry before `frontEnd`. */
  private current = 0;
  /**
   * The run's storage and its next and end positions in it (array indices, two
   * per entry), mirrored from `buckets` and `counts` so that peek and pop, the
   * most frequent operations, read them directly rather than through the
   * bucket tables (with the division-free bucket ends in `advance`, measured
   * about a fifth off the queue's own time per event at 1k pending).
   */
  private run: Float64Array = EMPTY;
  private head = 0;
  private runEnd = 0;
  private frontEnd = 1;
  /** Time of the last pop. */
  private last = 0;
  private count = 0;

  constructor() {
    for (let b = 0; b < LEVELS * RADIX; b++) this.buckets.push(EMPTY);
  }

  get size(): number {
    return this.count;
  }

  get lastTime(): number {
    return this.last;
  }

  peekTime(): number {
    if (this.head < this.runEnd) return this.run[this.head] as number;
    if (this.count === 0) return Infinity;
    this.advance();
    return this.run[0] as number;
  }

  /** `seq` must exceed every earlier push's; it is not checked (see above). */
  push(time: number, seq: number, payload: number): void {
    // Cheap guards for what would corrupt the buckets silently.
    if (!(time >= this.last && time <= Number.MAX_SAFE_INTEGER) || Math.floor(time) !== time) {
      throw new RangeError(`time must be a safe integer >= ${this.last} (the last popped time), got ${time}`);
    }
    this.count++;
    if (time < this.frontEnd) this.insertIntoRun(time, payload);
    else this.file(time, payload);
  }

  pop(): number {
    if (this.head >= this.runEnd) {
      if (this.count === 0) return -1;
      this.advance();
    }
    this.count--;
    const entry = this.head;
    this.head = entry + 2;
    this.last = this.run[entry] as number;
    return this.run[entry + 1] as number;
  }

  popUntil(until: number): number {
    let entry = this.head;
    if (entry >= this.runEnd) {
      if (this.count === 0) return -1;
      this.advance();
      entry = 0;
    }
    const time = this.run[entry] as number;
    if (time > until) return -1;
    this.count--;
    this.head = entry + 2;
    this.last = time;
    return this.run[entry + 1] as number;
  }

  /** Appends an entry to the bucket its time belongs in, relative to `base`. */
  private file(time: number, payload: number): void {
    let level: number;
    let digit: number;
    if (time < this.hiEnd) {
      // Same high half as `base`: compare the low halves (`| 1` puts equal times on level 0).
      const lo = (time - this.hiStart) | 0;
      level = LEVEL_OF_BIT[31 - Math.clz32((lo ^ this.baseLo) | 1)] as number;
      digit = (lo >>> (level * DIGIT_BITS)) & DIGIT_MASK;
    } else {
      const hi = Math.floor(time / LOW_SPAN);
      const highLevel = LEVEL_OF_BIT[31 - Math.clz32(hi ^ this.baseHi)] as number;
      level = LOW_LEVELS + highLevel;
      digit = (hi >>> (highLevel * DIGIT_BITS)) & DIGIT_MASK;
    }
    const bucket = level * RADIX + digit;
    const n = this.counts[bucket] as number;
    let data = this.buckets[bucket] as Float64Array;
    if (2 * n === data.length) data = this.grow(bucket);
    data[2 * n] = time;
    data[2 * n + 1] = payload;
    this.counts[bucket] = n + 1;
    if (n === 0) this.markOccupied(level, digit);
  }

  /** Inserts into the run after every entry with the same or an earlier time. */
  private insertIntoRun(time: number, payload: number): void {
    const bucket = this.current;
    let n = this.counts[bucket] as number;
    if (n > 0 && this.head === 2 * n) {
      // The run is used up: start it afresh rather than letting it grow (zero-delay chains).
      this.head = 0;
      n = 0;
    }
    let data = this.buckets[bucket] as Float64Array;
    if (2 * n === data.length) data = this.grow(bucket);
    this.run = data;
    this.runEnd = 2 * (n + 1);
    let i = 2 * n;
    while (i > this.head && (data[i - 2] as number) > time) {
      data[i] = data[i - 2] as number;
      data[i + 1] = data[i - 1] as number;
      i -= 2;
    }
    data[i] = time;
    data[i + 1] = payload;
    if ((this.counts[bucket] as number) === 0) this.markOccupied(bucket >> DIGIT_BITS, bucket & DIGIT_MASK);
    this.counts[bucket] = n + 1;
  }

  /** The run is used up: makes the lowest occupied bucket the run. */
  private advance(): void {
    this.release(this.current);
    this.shed(this.current);
    this.head = 0;
    const level = lowestBit(this.occupiedLevels);
    const word = lowestBit(this.occupiedWords[level] as number);
    const digit = (word << 5) | lowestBit(this.occupied[level * WORDS + word] as number);
    const bucket = level * RADIX + digit;
    this.current = bucket;
    this.run = this.buckets[bucket] as Float64Array;
    this.runEnd = 2 * (this.counts[bucket] as number);
    if (level === 0) {
      // One time: `base` with its lowest digit replaced.
      this.setBase(this.base + digit - (this.baseLo & DIGIT_MASK));
      this.frontEnd = this.base + 1;
      return;
    }
    const data = this.buckets[bucket] as Float64Array;
    const end = 2 * (this.counts[bucket] as number);
    if (end <= 2 * SORT_LIMIT) {
      // Few entries (typical when events are sparse): sort them where they are.
      if (end > 2) sortRun(data, end);
      this.setBase(data[0] as number);
      // The run is the whole bucket: its time range ends where its digit does.
      // Below the high half that is bit arithmetic on the low half (no division).
      const span = BUCKET_SPAN[level] as number;
      this.frontEnd = level < LOW_LEVELS ? this.hiStart + (this.baseLo & -span) + span : (Math.floor(this.base / span) + 1) * span;
      return;
    }
    let min = data[0] as number;
    let max = min;
    for (let i = 2; i < end; i += 2) {
      const time = data[i] as number;
      if (time < min) min = time;
      else if (time > max) max = time;
    }
    this.setBase(min);
    this.frontEnd = min + 1;
    if (min === max) return; // all at one time: already a valid run
    // Refile relative to the new base: every entry lands on a lower level, in
    // buckets that are empty now, so the pass keeps same-time entries in order.
    this.release(bucket);
    const first = this.baseLo & DIGIT_MASK; // level 0, where the minimum lands
    for (let i = 0; i < end; i += 2) this.file(data[i] as number, data[i + 1] as number);
    this.shed(bucket);
    this.current = first;
    this.run = this.buckets[first] as Float64Array;
    this.runEnd = 2 * (this.counts[first] as number);
  }

  private setBase(time: number): void {
    this.base = time;
    if (time >= this.hiEnd) {
      this.baseHi = Math.floor(time / LOW_SPAN);
      this.hiStart = this.baseHi * LOW_SPAN;
      this.hiEnd = this.hiStart + LOW_SPAN;
    }
    this.baseLo = (time - this.hiStart) | 0;
  }

  private markOccupied(level: number, digit: number): void {
    const word = digit >> 5;
    const index = level * WORDS + word;
    this.occupied[index] = (this.occupied[index] as number) | (1 << (digit & 31));
    this.occupiedWords[level] = (this.occupiedWords[level] as number) | (1 << word);
    this.occupiedLevels |= 1 << level;
  }

  /** Empties a bucket (its storage is kept for reuse) and clears its occupancy bits. */
  private release(bucket: number): void {
    if ((this.counts[bucket] as number) === 0) return;
    this.counts[bucket] = 0;
    const level = bucket >> DIGIT_BITS;
    const digit = bucket & DIGIT_MASK;
    const word = digit >> 5;
    const index = level * WORDS + word;
    const bits = (this.occupied[index] as number) & ~(1 << (digit & 31));
    this.occupied[index] = bits;
    if (bits !== 0) return;
    const words = (this.occupiedWords[level] as number) & ~(1 << word);
    this.occupiedWords[level] = words;
    if (words === 0) this.occupiedLevels &= ~(1 << level);
  }

  private grow(bucket: number): Float64Array {
    const old = this.buckets[bucket] as Float64Array;
    const capacity = Math.max(1 << SMALLEST_STORAGE_BITS, old.length * 2);
    const shared = bucket >= FIRST_SHARED_BUCKET;
    let data: Float64Array | undefined;
    if (capacity > 2 * RETAIN_ENTRIES) {
      const spares = this.spares;
      for (let i = 0; i < spares.length; i++) {
        if ((spares[i] as Float64Array).length >= capacity) {
          data = spares[i] as Float64Array;
          spares[i] = spares[spares.length - 1] as Float64Array;
          spares.pop();
          break;
        }
      }
    } else if (shared) data = (this.recycled[sizeClass(capacity)] as Float64Array[]).pop();
    if (data === undefined) data = new Float64Array(capacity);
    data.set(old);
    this.buckets[bucket] = data;
    if (shared && old !== EMPTY) this.recycle(old);
    return data;
  }

  /** Hands an emptied bucket's storage over for reuse if it is larger than buckets keep, or the bucket's level keeps none. */
  private shed(bucket: number): void {
    const data = this.buckets[bucket] as Float64Array;
    if (data === EMPTY || (data.length <= 2 * RETAIN_ENTRIES && bucket < FIRST_SHARED_BUCKET)) return;
    this.buckets[bucket] = EMPTY;
    this.recycle(data);
  }

  /** Keeps storage no bucket holds any more: by size up to 2 * RETAIN_ENTRIES, else among the largest spares. */
  private recycle(data: Float64Array): void {
    if (data.length <= 2 * RETAIN_ENTRIES) {
      const sameSize = this.recycled[sizeClass(data.length)] as Float64Array[];
      if (sameSize.length < RECYCLED_PER_SIZE) sameSize.push(data);
      return;
    }
    const spares = this.spares;
    if (spares.length < SPARES) {
      spares.push(data);
      return;
    }
    // Keep the largest: they serve every request the smaller ones would.
    let smallest = 0;
    for (let i = 1; i < spares.length; i++) {
      if ((spares[i] as Float64Array).length < (spares[smallest] as Float64Array).length) smallest = i;
    }
    if ((spares[smallest] as Float64Array).length < data.length) spares[smallest] = data;
  }
}

/** The size class of a storage length (16 << class doubles). */
function sizeClass(length: number): number {
  return 31 - Math.clz32(length) - SMALLEST_STORAGE_BITS;
}

/** Stable insertion sort by time of the first `end / 2` (time, payload) pairs. */
function sortRun(data: Float64Array, end: number): void {
  for (let i = 2; i < end; i += 2) {
    const time = data[i] as number;
    if ((data[i - 2] as number) <= time) continue;
    const payload = data[i + 1] as number;
    let j = i;
    do {
      data[j] = data[j - 2] as number;
      data[j + 1] = data[j - 1] as number;
      j -= 2;
    } while (j > 0 && (data[j - 2] as number) > time);
    data[j] = time;
    data[j + 1] = payload;
  }
}
