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
 */
export function randomStream(runSeed: number | string, entityId: string): Rng {
  const state = new AleaState(`missionbench/${runSeed}/${entityId}`);
  return () => state.next();
}

// 2^-32
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

class AleaState {
  // Initialised to numbers here, not only in the constructor: a field that
  // starts undefined holds any value, so V8 boxes every fraction stored in
  // it afresh (garbage on every draw); one that starts a number is stored
  // in place.
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private c = 1;

  constructor(seed: string) {
    const mash = new Mash();
    this.s0 = mash.hash(' ');
    this.s1 = mash.hash(' ');
    this.s2 = mash.hash(' ');
    this.s0 -= mash.hash(seed);
    if (this.s0 < 0) this.s0 += 1;
    this.s1 -= mash.hash(seed);
    if (this.s1 < 0) this.s1 += 1;
    this.s2 -= mash.hash(seed);
    if (this.s2 < 0) this.s2 += 1;
  }

  next(): number {
    const t = 2091639 * this.s0 + this.c * TWO_POW_MINUS_32;
    this.s0 = this.s1;
    this.s1 = this.s2;
    this.c = t | 0;
    this.s2 = t - this.c;
    return this.s2;
  }
}

/** Baagøe's Mash, the hash Alea seeds from; its state carries over from one call to the next. */
class Mash {
  private n = 0xefc8249d;

  hash(data: string): number {
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    this.n = n;
    return (n >>> 0) * TWO_POW_MINUS_32;
  }
}
