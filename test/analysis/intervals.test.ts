import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapBca, bootstrapPercentile, mean, normalCdf, normalQuantile, quantileSorted, seededRandom, wilson } from '../../analysis/stats/intervals.ts';

function binomial(n: number, k: number, p: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return c * p ** k * (1 - p) ** (n - k);
}

/** Exact coverage of the Wilson interval at true proportion p with n trials. */
function wilsonCoverage(n: number, p: number): number {
  let covered = 0;
  for (let k = 0; k <= n; k++) {
    const interval = wilson(k, n);
    if (interval.low <= p && p <= interval.high) covered += binomial(n, k, p);
  }
  return covered;
}

describe('Wilson score interval (proportions)', () => {
  it('stays inside [0, 1] and contains the observed share, for every k of n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const k = Math.round(share * n);
        const { low, high } = wilson(k, n);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(k / n + 1e-12);
        expect(high).toBeGreaterThanOrEqual(k / n - 1e-12);
      }),
    );
  });

  it('is honest at 0/n and n/n (a t-interval would collapse to a point there)', () => {
    expect(wilson(0, 10).low).toBe(0);
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(wilson(30, 30).high).toBe(1);
    expect(wilson(30, 30).low).toBeCloseTo(0.8865, 3);
  });

  it('covers the true proportion about 95% of the time (exact binomial coverage)', () => {
    for (const n of [10, 30]) {
      const coverages = Array.from({ length: 91 }, (_, i) => wilsonCoverage(n, 0.05 + i * 0.01));
      expect(mean(coverages)).toBeGreaterThan(0.945);
      expect(mean(coverages)).toBeLessThan(0.965);
      expect(Math.min(...coverages)).toBeGreaterThan(0.9);
    }
  });

  it('refuses impossible counts', () => {
    expect(() => wilson(3, 2)).toThrow(/successes/);
    expect(() => wilson(0, 0)).toThrow(/n must be/);
  });
});

describe('bootstrap intervals (counts, durations, rates)', () => {
  const counts = fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 2, maxLength: 40 });

  it('BCa and percentile intervals of a mean stay inside the data range: never below zero for counts', () => {
    fc.assert(
      fc.property(counts, fc.integer({ min: 1, max: 2 ** 31 }), (values, seed) => {
        for (const interval of [bootstrapBca(values, mean, { resamples: 300, seed }), bootstrapPercentile(values, mean, { resamples: 300, seed })]) {
          expect(interval.low).toBeGreaterThanOrEqual(Math.min(...values));
          expect(interval.high).toBeLessThanOrEqual(Math.max(...values));
          expect(interval.low).toBeLessThanOrEqual(interval.high);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('is deterministic: the same data and seed give the same interval', () => {
    fc.assert(
      fc.property(counts, (values) => {
        expect(bootstrapBca(values, mean, { resamples: 200 })).toEqual(bootstrapBca(values, mean, { resamples: 200 }));
      }),
      { numRuns: 20 },
    );
  });

  it('the introspect case of issue 16: one run of 0.055 s among zeros gets no negative bound', () => {
    const interval = bootstrapBca([0, 0.055258, 0], mean);
    expect(interval.low).toBe(0);
    expect(interval.high).toBeLessThanOrEqual(0.055258);
  });

  it('a pooled p99 resampled by whole runs stays inside the pooled values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: 0, max: 3600, noNaN: true }), { minLength: 1, maxLength: 12 }), { minLength: 2, maxLength: 10 }),
        (runs) => {
          const p99 = (sample: readonly number[][]) =>
            quantileSorted(
              sample.flat().sort((a, b) => a - b),
              0.99,
            );
          const { low, high } = bootstrapPercentile(runs, p99, { resamples: 200 });
          expect(low).toBeGreaterThanOrEqual(Math.min(...runs.flat()));
          expect(high).toBeLessThanOrEqual(Math.max(...runs.flat()));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('BCa covers the mean of a skewed (exponential) distribution near 95% with 30 runs', () => {
    const random = seededRandom(7);
    let covered = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const sample = Array.from({ length: 30 }, () => -Math.log(1 - random()) * 10);
      const { low, high } = bootstrapBca(sample, mean, { resamples: 1000, seed: t + 1 });
      if (low <= 10 && 10 <= high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });
});

describe('normal distribution helpers', () => {
  it('the quantile inverts the CDF', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), (p) => {
        expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 5);
      }),
    );
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
  });
});
