import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { replicationInterval, withReplicationIntervals, withLoadIntervals } from '../../analysis/replication-intervals.ts';

/** The old replications interval: mean +- t(0.975, n - 1) * sd / sqrt(n). */
function tInterval(values: number[], t: number): [number, number] {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  return [m - (t * sd) / Math.sqrt(values.length), m + (t * sd) / Math.sqrt(values.length)];
}

describe('replications intervals respect the metric range', () => {
  it('a rare count: the t-interval goes below zero, the bootstrap one does not', () => {
    const values = [0, 0, 0, 0, 1];
    expect(tInterval(values, 2.776)[0]).toBeLessThan(0);
    const { ci95, method } = replicationInterval('ops_after_termination', values);
    expect(method).toBe('bootstrap-bca');
    expect(ci95?.low).toBeGreaterThanOrEqual(0);
    expect(ci95?.high).toBeGreaterThan(0);
  });

  it('counts, durations and rates (any metric of run_metrics): inside [0, inf), between the smallest and largest run, method named', () => {
    const metric = fc.constantFrom('ops_after_termination', 'revocation_window_p99_s', 'ps_load_rps', 'detection_delay_s', 'not_in_the_atlas');
    const values = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(metric, values, (name, runs) => {
        const { ci95, method } = replicationInterval(name, runs);
        if (runs.length === 1) return ci95 === null && method === 'none: one run';
        if (runs.every((value) => value === runs[0])) return ci95 === null && method === 'none: the same value in every run';
        if (method !== 'bootstrap-bca' || ci95 === null) return false;
        // A mean of resamples is within the runs' range, up to the rounding of a floating-point mean.
        const max = Math.max(...runs);
        return ci95.low >= 0 && ci95.low >= Math.min(...runs) && ci95.high <= max * (1 + 1e-12) && ci95.low <= ci95.high;
      }),
      // The run that found the rounding past the smallest run (fixed by withinRuns): always tried.
      { numRuns: 200, examples: [['ops_after_termination', [9.775802854052462e-204, 9.775803040083185e-204, 9.775802844033775e-204]]] },
    );
  });

  it('a 0/1 proportion the atlas declares: Wilson, inside [0, 1]', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1), { minLength: 2, maxLength: 40 }), (runs) => {
        const { ci95, method } = replicationInterval('runs_irreversible_after_termination', runs);
        if (runs.every((value) => value === runs[0])) return ci95 === null;
        return method === 'wilson' && ci95 !== null && ci95.low >= 0 && ci95.high <= 1 && ci95.low <= ci95.high;
      }),
    );
  });

  it('replaces run_values with the bounds and the method, the same on every call', () => {
    const rows = [{ design: 'd', metric: 'revocation_calls', n: 3, mean: 2, sd: 1, run_values: [1, 2, 3] }];
    const finished = withReplicationIntervals(rows);
    expect(Object.keys(finished[0]!)).toEqual(['design', 'metric', 'n', 'mean', 'sd', 'ci95_low', 'ci95_high', 'interval_method']);
    expect(finished[0]!.interval_method).toBe('bootstrap-bca');
    expect(withReplicationIntervals(rows)).toEqual(finished);
  });
});

describe('withLoadIntervals (the architect query)', () => {
  it("gives each design's Person Server load an interval inside [0, inf) from its runs, and names the method", () => {
    const [rare, single] = withLoadIntervals([
      { design: 'rare', ps_load_rps: 0.0002, ps_load_values: [0, 0, 0, 0, 0.001] },
      { design: 'single', ps_load_rps: 0.05, ps_load_values: [0.05] },
    ]);
    // A t-interval would go below zero here: mean 0.0002, sd 0.00045, t(0.975, 4) = 2.78.
    expect(rare?.ps_load_ci95_low).toBeGreaterThanOrEqual(0);
    expect(rare?.ps_load_ci95_high).toBeLessThanOrEqual(0.001);
    expect(rare?.ps_load_interval_method).toBe('bootstrap-bca');
    expect(rare).not.toHaveProperty('ps_load_values');
    expect(single).toMatchObject({ ps_load_ci95_low: null, ps_load_ci95_high: null, ps_load_interval_method: 'none: one run' });
  });
});
