import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionBlockRoot, sessionBlockRoot, SessionBlockTracker } from '../../../sim/log/session-block.ts';

const hash = (i: number): string => i.toString(16).padStart(64, '0');

describe('SessionBlockTracker', () => {
  it('gives one handle per mission for the whole run; after a block is signed the same handle starts the next block', () => {
    const tracker = new SessionBlockTracker();
    const handle = tracker.block('m1');
    expect(tracker.block('m1')).toBe(handle);
    for (let i = 0; i < 20; i++) tracker.observeBlock(handle, hash(i));
    tracker.observe('m1', hash(20));
    const first = Array.from({ length: 21 }, (_, i) => hash(i));
    expect(tracker.close('m1')).toEqual({ count: 21, root: sessionBlockRoot(first) });
    // The next block covers only what came after the close, through the handle kept from before.
    tracker.observeBlock(handle, hash(99));
    expect(tracker.close('m1')).toEqual({ count: 1, root: sessionBlockRoot([hash(99)]) });
    expect(tracker.close('m1')).toEqual({ count: 0, root: sessionBlockRoot([]) });
  });

  it('lists open missions in the order their open block began (a mission re-opened after a close goes last)', () => {
    const tracker = new SessionBlockTracker();
    tracker.observe('a', hash(1));
    tracker.observe('b', hash(2));
    tracker.observe('c', hash(3));
    tracker.close('a');
    tracker.observeBlock(tracker.block('a'), hash(4));
    tracker.block('d'); // a handle with no events opens nothing
    tracker.close('c');
    expect(tracker.openMissions()).toEqual(['b', 'a']);
  });

  it('ignores events with no mission', () => {
    const tracker = new SessionBlockTracker();
    tracker.observe(null, hash(1));
    expect(tracker.openMissions()).toEqual([]);
  });

  it('gives the root of the hashes joined by newlines however they were added (ASCII bytes or strings, full batches or not)', () => {
    const source = new DataView(new ArrayBuffer(64));
    // Up to 60 events, 17 or more often enough: a batch (520 bytes, eight joined hashes) is first full at the 17th.
    // Then the same root again: a block signed and reopened starts afresh.
    const block = fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 60, size: 'max' });
    fc.assert(
      fc.property(block, block, (first, second) => {
        const root = new SessionBlockRoot();
        for (const events of [first, second]) {
          for (const [i, asBytes] of events) {
            const eventHash = hash(i);
            if (!asBytes) root.add(eventHash);
            else {
              for (let at = 0; at < 64; at++) source.setUint8(at, eventHash.charCodeAt(at));
              root.addAscii(source, 0, 64);
            }
          }
          const joined = events.map(([i]) => hash(i)).join('\n');
          expect(root.digest()).toBe(createHash('sha256').update(joined).digest('hex'));
        }
      }),
    );
  });
});
