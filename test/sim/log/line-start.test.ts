import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineStart } from '../../../sim/log/line-start.ts';

/** What a line starts with for `seq`, written from the number. */
function spelled(seq: number): string {
  return `{"seq":${seq},"t":`;
}

describe('LineStart', () => {
  it('counts up through every carry, one digit more after all nines', () => {
    const start = new LineStart(0);
    for (let seq = 0; seq < 120_000; seq++) {
      expect(start.bytes.toString('latin1')).toBe(spelled(seq));
      start.next(seq + 1);
    }
  });

  it('counts on from any safe seq as the number written out', () => {
    const from = fc.oneof(fc.nat(), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 2_000 }), fc.constantFrom(9, 99, 999_999_999, 1e15 - 3));
    fc.assert(
      fc.property(from, fc.integer({ min: 1, max: 2_000 }), (first, count) => {
        const start = new LineStart(first);
        for (let seq = first + 1; seq <= first + count; seq++) start.next(seq);
        expect(start.bytes.toString('latin1')).toBe(spelled(first + count));
      }),
      { numRuns: 300 },
    );
  });
});
