import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionBlockTracker } from '../../../sim/log/session-block.ts';

/**
 * A tracker's blocks stage their event hashes in one buffer shared by all
 * missions (hash-staging.ts) and reach their hashers only when it fills or
 * a block is signed. The contract is the definition of a root: SHA-256 of
 * the block's event hashes in log order, joined by newlines, in UTF-8,
 * computed here from the strings alone. Small stagings make them fill
 * (and drain) every few events.
 */
const rootOf = (hashes: readonly string[]): string => createHash('sha256').update(hashes.join('\n'), 'utf8').digest('hex');

const hexHash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('hex'));
// Anything a damaged log could hold as a hash: any length, non-ASCII, lone surrogates, 64 characters not all ASCII.
const oddHash = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'binary', minLength: 64, maxLength: 64 }),
  hexHash.map((hash) => `${hash.slice(0, 63)}é`),
);

type Step = { kind: 'hash'; mission: number; hash: string; asBytes: boolean } | { kind: 'close'; mission: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 12, arbitrary: fc.record({ kind: fc.constant('hash' as const), mission: fc.nat(5), hash: hexHash, asBytes: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hash' as const), mission: fc.nat(5), hash: oddHash, asBytes: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), mission: fc.nat(5) }) },
);

/** An ASCII hash's bytes in a view at an offset, as the audit writer's chunk holds a line's hash. */
function asView(hash: string): { view: DataView; from: number } {
  const bytes = Buffer.alloc(hash.length + 11);
  bytes.write(hash, 7, 'latin1');
  return { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length), from: 7 };
}

const isAscii = (text: string): boolean => [...text].every((c) => c.charCodeAt(0) < 0x80);

describe('SessionBlockTracker with staged hashes', () => {
  it('gives every block the root of its hashes in order, however the staging fills and drains', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), fc.integer({ min: 1, max: 9 }), (steps, staged) => {
        const tracker = new SessionBlockTracker(staged);
        const expected = new Map<number, string[]>();
        for (const s of steps) {
          const mission = `m${s.mission}`;
          const open = expected.get(s.mission) ?? [];
          expected.set(s.mission, open);
          if (s.kind === 'close') {
            expect(tracker.close(mission)).toEqual({ count: open.length, root: rootOf(open) });
            open.length = 0;
          } else if (s.asBytes && isAscii(s.hash)) {
            // addAscii takes ASCII bytes (the writer's hex): only ASCII hashes can come that way.
            const { view, from } = asView(s.hash);
            tracker.block(mission).addAscii(view, from, s.hash.length);
            open.push(s.hash);
          } else {
            tracker.observeBlock(tracker.block(mission), s.hash);
            open.push(s.hash);
          }
        }
        for (const [index, open] of expected) expect(tracker.close(`m${index}`)).toEqual({ count: open.length, root: rootOf(open) });
      }),
      { numRuns: 300 },
    );
  });

  it('splits a long run of one block across updates and keeps the others apart', () => {
    // 3,000 slots: one block with 2,500 staged hashes (more than one gather of 1,024) between two others.
    const tracker = new SessionBlockTracker(3000);
    const hash = (i: number): string => createHash('sha256').update(String(i)).digest('hex');
    const long = Array.from({ length: 2500 }, (_, i) => hash(i));
    const other = [hash(-1), hash(-2)];
    tracker.observe('a', other[0] as string);
    for (const h of long) tracker.observe('long', h);
    tracker.observe('a', other[1] as string);
    // A drain settles all three (the 2,503rd to 3,000th slots fill it), then the long block goes on.
    for (let i = 0; i < 600; i++) tracker.observe('long', hash(10_000 + i));
    const longAll = [...long, ...Array.from({ length: 600 }, (_, i) => hash(10_000 + i))];
    expect(tracker.close('a')).toEqual({ count: 2, root: rootOf(other) });
    expect(tracker.close('long')).toEqual({ count: 3100, root: rootOf(longAll) });
  });
});
