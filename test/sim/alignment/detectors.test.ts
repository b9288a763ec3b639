import { describe, expect, it } from 'vitest';
import { CusumDetector, SlidingWindowDetector } from '../../../sim/alignment/detectors.ts';

const feed = (detector: { add(flag: boolean): { alarm: boolean } }, flags: string) => [...flags].map((c) => detector.add(c === '1').alarm);

describe('drift detectors', () => {
  it('the sliding window forgets: three flags spread wider than the window never alarm', () => {
    expect(feed(new SlidingWindowDetector(4, 3), '1000100010001000').some(Boolean)).toBe(false);
    expect(feed(new SlidingWindowDetector(4, 3), '1101').at(-1)).toBe(true);
  });

  it('CUSUM accumulates a slow excess of flags that the window misses, and resets on clean runs', () => {
    // Flag rate 0.5 against k = 0.25: +0.5 per pair, alarm at h = 2 on the fourth flag.
    const slow = feed(new CusumDetector(0.25, 2), '10101010');
    expect(slow.indexOf(true)).toBe(6);
    expect(feed(new SlidingWindowDetector(4, 3), '10101010').some(Boolean)).toBe(false);
    // One flag in five (0.2 < k) keeps the statistic near 0: no alarm ever.
    expect(feed(new CusumDetector(0.25, 1), '10000'.repeat(20)).some(Boolean)).toBe(false);
  });

  it('reports the statistic and the run of operations the alarm rests on', () => {
    const cusum = new CusumDetector(0.5, 1);
    cusum.add(false);
    cusum.add(true);
    expect(cusum.add(true)).toEqual({ alarm: true, flagged: 2, observed: 2, statistic: 1 });
  });
});
