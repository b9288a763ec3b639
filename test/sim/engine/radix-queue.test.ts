import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap } from '../../../sim/engine/binary-heap.ts';
import { RadixQueue } from '../../../sim/engine/radix-queue.ts';

// Delays at every scale the radix queue files differently: ties with the
// current time, inside one level-0/1/2 bucket, across the 2^30 split between
// the low and high halves, and far out.
const delay = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 40 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 3_000_000 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 2 ** 31 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 45 }) },
);
const operation = fc.oneof(
  { weight: 3, arbitrary: fc.record({ push: delay }) },
  { weight: 2, arbitrary: fc.constant({ pop: true as const }) },
  { weight: 1, arbitrary: fc.constant({ peek: true as const }) },
  { weight: 2, arbitrary: fc.record({ popUntil: delay }) },
);
// Start near 0, just below the 2^30 split, and near 2^50.
const start = fc.oneof(fc.constant(0), fc.integer({ min: 2 ** 30 - 3_000, max: 2 ** 30 }), fc.integer({ min: 2 ** 50 - 5, max: 2 ** 50 + 5 }));

describe('RadixQueue', () => {
  it('pops exactly the (time, seq) order of the reference heap, under any monotone interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(start, fc.array(operation, { maxLength: 600 }), (origin, operations) => {
        const queue = new RadixQueue();
        const reference = new BinaryHeap(4);
        let seq = 0;
        // The caller's guarantee: no push earlier than the last popped time.
        let now = origin;
        let lastPopped = 0; // lastTime before any pop
        for (const op of operations) {
          if ('push' in op) {
            const time = now + op.push;
            queue.push(time, seq, seq);
            reference.push(time, seq, seq);
            seq++;
          } else if ('pop' in op) {
            const expectedTime = reference.peekTime();
            const expected = reference.pop();
            expect(queue.peekTime()).toBe(expectedTime);
            expect(queue.pop()).toBe(expected);
            if (expected !== -1) now = lastPopped = expectedTime;
            expect(queue.lastTime).toBe(lastPopped);
          } else if ('popUntil' in op) {
            // Pops only an entry due by `until`; the reference's answer by peek and pop.
            const until = now + op.popUntil;
            const due = reference.size > 0 && reference.peekTime() <= until;
            const expectedTime = reference.peekTime();
            const expected = due ? reference.pop() : -1;
            expect(queue.popUntil(until)).toBe(expected);
            if (due) now = lastPopped = expectedTime;
            expect(queue.lastTime).toBe(lastPopped);
          } else {
            expect(queue.peekTime()).toBe(reference.peekTime());
          }
          expect(queue.size).toBe(reference.size);
        }
        // Drain: the rest comes out in order too.
        while (reference.size > 0) {
          expect(queue.peekTime()).toBe(reference.peekTime());
          expect(queue.pop()).toBe(reference.pop());
        }
        expect(queue.pop()).toBe(-1);
        expect(queue.peekTime()).toBe(Infinity);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a hold model (exponential increments, many pending) in reference order', () => {
    // Large buckets take the refile path that short property runs rarely reach.
    const queue = new RadixQueue();
    const reference = new BinaryHeap();
    let state = 12345;
    const uniform = (): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return (state + 0.5) / 2 ** 32;
    };
    const draw = (): number => Math.floor(-Math.log(uniform()) * 1_000_000 + 0.5);
    let seq = 0;
    for (let i = 0; i < 5_000; i++, seq++) {
      const time = draw();
      queue.push(time, seq, seq);
      reference.push(time, seq, seq);
    }
    for (let i = 0; i < 100_000; i++, seq++) {
      const now = reference.peekTime();
      const expected = reference.pop();
      if (queue.peekTime() !== now || queue.pop() !== expected) {
        throw new Error(`diverged at pop ${i}: expected payload ${expected} at ${now}`);
      }
      const time = now + draw();
      queue.push(time, seq, seq);
      reference.push(time, seq, seq);
    }
    expect(queue.size).toBe(reference.size);
  });

  it('keeps reference order while level-2 buckets hand their storage on (recycled by size) and take it back', () => {
    // Hold models a second to half a minute apart per event, with a few to a
    // few hundred pending, fill many level-2 buckets (about a second each)
    // at once to different sizes; pops drain them (refiling each), so
    // storage moves from bucket to bucket with stale entries in it. Each
    // runs until the clock is past 2^30 us (18 minutes), when the level-2
    // buckets emptied first are used again.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.constantFrom(2 ** 20, 2 ** 23, 2 ** 25), fc.nat(), (pending, mean, salt) => {
        const queue = new RadixQueue();
        const reference = new BinaryHeap(4);
        let state = salt;
        const draw = (): number => {
          state = (Math.imul(state, 1103515245) + 12345) >>> 0;
          return Math.floor(-Math.log((state + 0.5) / 2 ** 32) * mean);
        };
        let seq = 0;
        for (; seq < pending; seq++) {
          const time = draw();
          queue.push(time, seq, seq);
          reference.push(time, seq, seq);
        }
        while (reference.peekTime() < 1.1 * 2 ** 30) {
          const now = reference.peekTime();
          const expected = reference.pop();
          if (queue.peekTime() !== now || queue.pop() !== expected) throw new Error(`diverged at ${now}: expected payload ${expected}`);
          const time = now + draw();
          queue.push(time, seq, seq);
          reference.push(time, seq, seq);
          seq++;
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses times earlier than the last pop, fractional or unsafe times', () => {
    const queue = new RadixQueue();
    queue.push(10, 0, 0);
    queue.pop();
    expect(() => queue.push(9, 1, 1)).toThrow(RangeError);
    expect(() => queue.push(10.5, 1, 1)).toThrow(RangeError);
    expect(() => queue.push(2 ** 53, 1, 1)).toThrow(RangeError);
    queue.push(10, 1, 1);
    expect(queue.pop()).toBe(1);
  });
});
