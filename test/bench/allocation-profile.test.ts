import { describe, expect, it } from 'vitest';
import { profileBytes, startAllocationSampling } from '../../bench/allocation-profile.ts';

describe("the allocation profile behind the bench's bytes per event", () => {
  it("sums every node's own bytes over the call tree", () => {
    const leaf = (selfSize: number) => ({ selfSize, children: [] });
    expect(profileBytes({ selfSize: 1, children: [leaf(2), { selfSize: 3, children: [leaf(4), leaf(5)] }] })).toBe(15);
    expect(profileBytes(leaf(0))).toBe(0);
  });

  it('estimates the bytes a piece of code allocates, and counts garbage only when asked for every allocation', () => {
    const churn = (): number => {
      // About 64 MB of short-lived arrays on the V8 heap (8 KiB each; a typed array's bytes would live outside it).
      let kept = 0;
      for (let i = 0; i < 8_000; i++) kept += new Array<number>(1_024).fill(i).length;
      return kept;
    };
    const all = startAllocationSampling('all');
    churn();
    const allocated = all.stop();
    const survivors = startAllocationSampling('survivors');
    churn();
    const survived = survivors.stop();
    expect(allocated).toBeGreaterThan(40e6);
    expect(allocated).toBeLessThan(120e6);
    expect(survived).toBeLessThan(allocated / 4);
  });
});
