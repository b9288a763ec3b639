import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LastExecutors } from '../../../sim/world/last-executors.ts';

describe('LastExecutors', () => {
  it('answers, for every block, the record kept for it last, as a map by block would, whatever order blocks are kept in', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(300), fc.option(fc.string({ maxLength: 3 }), { nil: undefined })), { maxLength: 200 }), (keeps) => {
        const hints = new LastExecutors<string>();
        const reference = new Map<number, string | undefined>();
        for (const [block, record] of keeps) {
          hints.keep(block, record);
          reference.set(block, record);
        }
        for (let block = 0; block <= 301; block++) expect(hints.of(block)).toBe(reference.get(block));
      }),
    );
  });

  it('answers undefined for a block nothing was kept for, below and beyond the ones kept', () => {
    const hints = new LastExecutors<string>();
    hints.keep(3, 'a');
    expect([hints.of(0), hints.of(2), hints.of(3), hints.of(4), hints.of(10_000)]).toEqual([undefined, undefined, 'a', undefined, undefined]);
  });
});
