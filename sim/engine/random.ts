/** A uniform random source on [0, 1). */
export type Rng = () => number;

/**
 * One independent stream per entity, seeded from the run seed and the
 * entity's stable id (never its creation order), so that adding an entity
 * leaves every other entity's draws unchanged. The generator is Alea
 * (Johannes Baagøe, MIT licence), exactly as seedrandom's `alea` computes
 * it: pure JavaScript arithmetic, so its output is identical on every
 * machine. It is written out here rather than taken from seedrandom because
 * seedrandom hangs three extra functions and a property table off every
 * stream (about 1 KB each); a large run has tens of thousands of streams
 * (every agent, and every network link), and that was a third of its live heap.
 * test/sim/engine/random.test.ts checks the draws against seedrandom's.
 *
 * A stream is the state's `next` bound to it (about 110 B): no closure and
 * context of its own, and no boxed doubles (see AleaState). A large run has
 * ten streams per agent, so this is about 1 KB per agent.
 */
export function randomStream(runSeed: number | string, entityId: string): Rng {
  const state = randomState(runSeed, entityId);
  return state.next.bind(state);
}

/** A random stream as an object: `next()` draws what the stream's next call would return. */
export interface RandomState {
  next(): number;
}

/**
 * The same stream as `randomStream`, without the bound function (about 50
 * B): for an owner of very many streams that calls `next()` itself (the
 * network keeps one per directed link, 7-8 per agent).
 */
export function randomState(runSeed: number | string, entityId: string): RandomState {
  return AleaState.seeded(seedPrefix(runSeed), entityId);
}

/**
 * The part of every seed string that one run's streams share,
 * `missionbench/<seed>/`, with Mash's state once it is hashed (after Alea's
 * three leading ' '). A large run seeds tens of thousands of streams at
 * start-up (a network link each); starting each from this state, and
 * hashing the entity id as a second piece rather than a concatenated copy,
 * skips a third of the prefix's hashing and the string building, with the
 * same state bit for bit (Mash is a loop over characters, so hashing two
 * pieces in turn is hashing their concatenation).
 */
interface SeedPrefix {
  readonly runSeed: number | string;
  readonly text: string;
  readonly mashed: number;
}

// One run seeds its streams from one seed: a one-entry cache is enough.
let lastPrefix: SeedPrefix | undefined;

function seedPrefix(runSeed: number | string): SeedPrefix {
  if (lastPrefix === undefined || lastPrefix.runSeed !== runSeed) {
    const text = `missionbench/${runSeed}/`;
    lastPrefix = { runSeed, text, mashed: mash(MASH_AFTER_SPACES, text) };
  }
  return lastPrefix;
}

const TWO_POW_32 = 4294967296;
// 2^-32
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * Alea's state. Alea keeps three fractions s0, s1, s2 and a carry c; every
 * fraction is a multiple of 2^-32 (Mash's outputs are, and each step keeps
 * them so), so they are kept here as the 32-bit integers k = s * 2^32. The
 * arithmetic is then exact integer arithmetic in doubles (2091639 * k + c
 * is below 2^53), giving bit for bit the fractions Alea computes, and the
 * fields hold small integers (stored as int32, so V8 keeps them in place as
 * Smis) instead of three doubles V8 would box in objects of their own.
 */
export class AleaState implements RandomState {
  private k0 = 0;
  private k1 = 0;
  private k2 = 0;
  private c = 1;

  /**
   * Seeded from `seed`, or a copy of another stream's state: an object that
   * is its own stream (a network link) starts from the one
   * `ActorContext.streamState` gives for its id, with no second object kept.
   */
  constructor(seed: string | RandomState) {
    if (typeof seed !== 'string') {
      if (!(seed instanceof AleaState)) throw new TypeError('AleaState copies only another AleaState');
      this.k0 = seed.k0;
      this.k1 = seed.k1;
      this.k2 = seed.k2;
      this.c = seed.c;
      return;
    }
    this.seed(MASH_AFTER_SPACES, '', seed);
  }

  /** The stream seeded from `prefix.text + tail`, with the prefix's first hashing taken from the cache. */
  static seeded(prefix: SeedPrefix, tail: string): AleaState {
    const state = new AleaState(SEEDING_TEMPLATE); // a copy of constants (no hashing of its own), seeded next
    state.seed(prefix.mashed, prefix.text, tail);
    return state;
  }

  /**
   * Alea's seeding: s_i = mash(' ') - mash(seed) for i = 0, 1, 2, one Mash
   * state carried through all six hashes. The three ' ' hashes are
   * constants; `afterPrefix` is the state once the first hash of the seed
   * has taken in `prefix` (the seed is `prefix + tail`).
   */
  private seed(afterPrefix: number, prefix: string, tail: string): void {
    let n = mash(afterPrefix, tail);
    let k0 = SPACE_0 - (n >>> 0);
    n = mash(mash(n, prefix), tail);
    let k1 = SPACE_1 - (n >>> 0);
    n = mash(mash(n, prefix), tail);
    let k2 = SPACE_2 - (n >>> 0);
    if (k0 < 0) k0 += TWO_POW_32;
    if (k1 < 0) k1 += TWO_POW_32;
    if (k2 < 0) k2 += TWO_POW_32;
    this.k0 = k0 | 0;
    this.k1 = k1 | 0;
    this.k2 = k2 | 0;
  }

  next(): number {
    // Alea: t = 2091639 * s0 + c * 2^-32; c = t | 0; s2 = t - c. Here t is scaled by 2^32.
    const t = 2091639 * (this.k0 >>> 0) + this.c;
    const c = Math.floor(t * TWO_POW_MINUS_32);
    const k2 = t - c * TWO_POW_32;
    this.k0 = this.k1;
    this.k1 = this.k2;
    this.c = c;
    this.k2 = k2 | 0;
    return k2 * TWO_POW_MINUS_32;
  }
}

/**
 * Baagøe's Mash, the hash Alea seeds from, as a step function: the state
 * `n` after taking in `data`, from state `n`. Alea carries one state from
 * each hash to the next; a hash's value is the state as a 32-bit unsigned
 * integer (Mash's fraction times 2^32), `n >>> 0`.
 */
function mash(n: number, data: string): number {
  for (let i = 0; i < data.length; i++) {
    n += data.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    // Baagøe writes `h >>> 0`; h is never negative and stays below 2^31
    // (n stays below 2^32 + 2^27), where Math.floor is the same value and,
    // with this loop bound by its chain of dependent operations, measured
    // about a third faster.
    n = Math.floor(h);
    h -= n;
    h *= n;
    n = Math.floor(h);
    h -= n;
    n += h * 0x100000000; // 2^32
  }
  return n;
}

const MASH_START = 0xefc8249d;
// Alea's seeding starts with three hashes of ' ': the same for every seed.
const MASH_SPACE_0 = mash(MASH_START, ' ');
const MASH_SPACE_1 = mash(MASH_SPACE_0, ' ');
const MASH_AFTER_SPACES = mash(MASH_SPACE_1, ' ');
const SPACE_0 = MASH_SPACE_0 >>> 0;
const SPACE_1 = MASH_SPACE_1 >>> 0;
const SPACE_2 = MASH_AFTER_SPACES >>> 0;

/** What `AleaState.seeded` copies before it seeds (the stream of seed '', overwritten at once: copying skips hashing a seed of its own). */
const SEEDING_TEMPLATE = new AleaState('');
