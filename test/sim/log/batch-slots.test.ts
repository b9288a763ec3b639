import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchSlots } from '../../../sim/log/batch-slots.ts';
import { EMPTY_ROOT, SessionBlockRoot, sessionBlockRoot, SessionBlockTracker } from '../../../sim/log/session-block.ts';

/** What the root is defined as: SHA-256 over the hashes joined by newlines, in hex. */
const rootOf = (hashes: readonly string[]): string => createHash('sha256').update(hashes.join('\n'), 'utf8').digest('hex');

const hexHash = fc.stringMatching(/^[0-9a-f]{64}$/);
// Mostly hex hashes as the writer adds them (ASCII bytes from its chunk), some as strings as a log read back adds
// them, a few that are not hashes at all (non-ASCII, or longer than a batch) to cross the other paths.
const eventHash = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(hexHash, fc.constant(true)) },
  { weight: 2, arbitrary: fc.tuple(hexHash, fc.constant(false)) },
  // Any ASCII bytes (NUL and DEL included) through addAscii, which copies them eight at a time as a float64.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)), maxLength: 100 }), fc.constant(true)),
  },
  // Any UTF-16 units (non-ASCII after ASCII too, in any slot: writeUtf8's way out to Buffer.write).
  { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.constantFrom('é', '😀', 'x'.repeat(600))), fc.constant(false)) },
);
type Step = { kind: 'add'; mission: number; hash: string; asBytes: boolean } | { kind: 'close'; mission: number };
const step = (missions: number): fc.Arbitrary<Step> =>
  fc.oneof(
    // Adds outnumber closes about 20 to 1, so blocks run past 8 and 16 events (one and two full batches).
    { weight: 20, arbitrary: fc.tuple(fc.nat(missions - 1), eventHash).map(([mission, [hash, asBytes]]): Step => ({ kind: 'add', mission, hash, asBytes })) },
    { weight: 1, arbitrary: fc.nat(missions - 1).map((mission): Step => ({ kind: 'close', mission })) },
  );

describe('session blocks sharing one batch memory', () => {
  it('give each block the root of its own hashes, however many missions add, close and reopen in any order', () => {
    const source = new DataView(new ArrayBuffer(100 + 7));
    // Blocks checked with more than two full batches (8 hashes of 65 bytes each): the runs must reach them.
    let pastTwoBatches = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((missions) => fc.tuple(fc.constant(missions), fc.array(step(missions), { maxLength: 600, size: 'max' }))),
        // Room for one batch at first, or for all: the memory grows while blocks are open, or never.
        fc.constantFrom(1, 2, 64),
        ([missions, steps], initialSlots) => {
          const tracker = new SessionBlockTracker(initialSlots);
          const handles = Array.from({ length: missions }, (_, i) => tracker.block(`m-${i}`));
          const open: string[][] = handles.map(() => []);
          for (const s of steps) {
            const handle = handles[s.mission]!;
            const hashes = open[s.mission]!;
            if (s.kind === 'add') {
              if (s.asBytes) {
                // At an odd offset, as a line's hash sits anywhere in the writer's chunk.
                for (let i = 0; i < s.hash.length; i++) source.setUint8(7 + i, s.hash.charCodeAt(i));
                tracker.observeLast(handle, { lastHashInto: (root) => root.addAscii(source, 7, s.hash.length) });
              } else tracker.observeBlock(handle, s.hash);
              hashes.push(s.hash);
            } else {
              const closed = tracker.close(`m-${s.mission}`);
              expect(closed).toEqual({ count: hashes.length, root: rootOf(hashes) });
              expect(closed.root).toBe(sessionBlockRoot(hashes));
              if (hashes.length > 16) pastTwoBatches++;
              hashes.length = 0;
            }
          }
          // Every block still open has its own root; once all are closed, every slot is back.
          for (let mission = 0; mission < missions; mission++) {
            const hashes = open[mission]!;
            expect(tracker.close(`m-${mission}`)).toEqual({ count: hashes.length, root: rootOf(hashes) });
            if (hashes.length > 16) pastTwoBatches++;
          }
          expect(tracker.batchSlotsTaken).toBe(0);
        },
      ),
      { numRuns: 300 },
    );
    expect(pastTwoBatches).toBeGreaterThan(100);
  });

  it("reuse a digested block's slot for the next block to open, and grow only when every slot is held", () => {
    const slots = new BatchSlots(10, 2);
    const a = slots.take();
    const b = slots.take();
    expect([a, b]).toEqual([0, 10]);
    slots.memory.setUint8(b + 9, 42);
    // Given back a then b: taken again b then a (last in, first out), with no growth while slots were free.
    slots.release(a);
    slots.release(b);
    expect(slots.take()).toBe(b);
    expect(slots.take()).toBe(a);
    expect(slots.memory.byteLength).toBe(20);
    const c = slots.take();
    expect(c).toBe(20);
    expect(slots.memory.byteLength).toBe(40);
    // Growing kept what the slots held.
    expect(slots.memory.getUint8(b + 9)).toBe(42);
    expect(slots.taken).toBe(3);
  });

  it('give a block with no events the root of nothing', () => {
    expect(new SessionBlockRoot().digest()).toBe(EMPTY_ROOT);
    expect(new SessionBlockTracker().close('never-seen')).toEqual({ count: 0, root: EMPTY_ROOT });
  });

  it('refuse a size that is not a positive whole number of slots, and a slot given back twice', () => {
    expect(() => new BatchSlots(10, Number.NaN)).toThrow(/initialSlots/);
    expect(() => new BatchSlots(0, 1)).toThrow(/slotBytes/);
    const slots = new BatchSlots(10, 1);
    const a = slots.take();
    slots.release(a);
    expect(() => slots.release(a)).toThrow(/twice/);
  });
});
