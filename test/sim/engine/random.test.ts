import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { randomState, randomStream } from '../../../sim/engine/random.ts';

describe('randomStream', () => {
  it('draws exactly what seedrandom.alea draws for the same seed', () => {
    for (const [seed, entity] of [
      [1, 'agent:a'],
      [2, 'net:agent:x->ps:ps'],
      ['s', ''],
      [42, 'résumé/ünïcode'],
    ] as const) {
      const ours = randomStream(seed, entity);
      const reference = seedrandom.alea(`missionbench/${seed}/${entity}`);
      for (let i = 0; i < 10_000; i++) expect(ours()).toBe(reference());
    }
  });

  it('draws what seedrandom.alea draws for any seed and entity (the state kept as 32-bit integers is exact)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), fc.string({ unit: 'grapheme' }), (seed, entity) => {
        const ours = randomStream(seed, entity);
        const reference = seedrandom.alea(`missionbench/${seed}/${entity}`);
        for (let i = 0; i < 200; i++) expect(ours()).toBe(reference());
      }),
      { numRuns: 300 },
    );
  });

  it('randomState draws the same stream through next()', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), fc.string(), (seed, entity) => {
        const state = randomState(seed, entity);
        const stream = randomStream(seed, entity);
        for (let i = 0; i < 50; i++) expect(state.next()).toBe(stream());
      }),
      { numRuns: 100 },
    );
  });

  it('seeds like seedrandom.alea when many streams of one run seed follow each other (the cached seed prefix), or seeds alternate', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.string()), { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.nat(), fc.string({ unit: 'grapheme' })), { minLength: 1, maxLength: 30 }),
        (seeds, streams) => {
          for (const [which, entity] of streams) {
            const seed = seeds[which % seeds.length] as number | string;
            const state = randomState(seed, entity);
            const reference = seedrandom.alea(`missionbench/${seed}/${entity}`);
            for (let i = 0; i < 5; i++) expect(state.next()).toBe(reference());
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives independent streams per entity', () => {
    expect(randomStream(1, 'a')()).not.toBe(randomStream(1, 'b')());
  });
});
