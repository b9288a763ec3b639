import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '../../../sim/engine/binary-heap.ts';

describe('BinaryHeap', () => {
  it('pops exactly what sorting by (time, seq) gives, for any monotone interleaving of pushes and pops', () => {
    const operation = fc.oneof(fc.record({ push: fc.nat(50) }), fc.constant({ pop: true as const }), fc.record({ popUntil: fc.nat(30) }));
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 400 }), (operations) => {
        const queue = new BinaryHeap(4); // small, so growth is exercised
        const reference: Array<{ time: number; seq: number }> = [];
        let seq = 0;
        let now = 0;
        for (const op of operations) {
          if ('push' in op) {
            const time = now + (op.push % 7 === 0 ? 0 : op.push); // many ties at the current time
            queue.push(time, seq, seq);
            reference.push({ time, seq });
            seq++;
          } else if ('popUntil' in op) {
            // Only an entry due by `until` comes out.
            reference.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const until = now + op.popUntil;
            const expected = reference[0] !== undefined && reference[0].time <= until ? reference.shift() : undefined;
            expect(queue.popUntil(until)).toBe(expected ? expected.seq : -1);
            if (expected) now = expected.time;
            expect(queue.lastTime).toBe(now);
          } else {
            reference.sort((a, b) => a.time - b.time || a.seq - b.seq);
            const expected = reference.shift();
            expect(queue.peekTime()).toBe(expected ? expected.time : Infinity);
            expect(queue.pop()).toBe(expected ? expected.seq : -1);
            if (expected) now = expected.time;
            expect(queue.lastTime).toBe(now);
          }
          expect(queue.size).toBe(reference.length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is empty at first: pop gives -1 and peekTime Infinity', () => {
    const queue = new BinaryHeap();
    expect(queue.pop()).toBe(-1);
    expect(queue.peekTime()).toBe(Infinity);
  });

  it('orders times near 2^50 exactly', () => {
    const queue = new BinaryHeap();
    const big = 2 ** 50;
    queue.push(big + 1, 0, 10);
    queue.push(big, 1, 11);
    queue.push(big, 2, 12);
    expect([queue.pop(), queue.pop(), queue.pop()]).toEqual([11, 12, 10]);
  });
});
