import { atlasMetric, isAtlasMetric } from './atlas-metrics.ts';
import { bootstrapBca, type Interval, mean, wilson } from './stats/intervals.ts';

/**
 * How the 95% interval of a `replications` row was made: the atlas's
 * methods (analysis/stats/intervals.ts), or none and why.
 */
export type ReplicationMethod = 'wilson' | 'bootstrap-bca' | 'none: one run' | 'none: the same value in every run';

/**
 * The 95% interval for the mean of one metric over a design's runs, inside
 * the metric's range: Wilson's for a metric the atlas declares a 0/1
 * proportion (a share of runs, inside [0, 1]); otherwise (every metric of
 * run_metrics is a count, a duration or a rate, never below zero) the
 * seeded BCa bootstrap of the mean, whose bounds are means of resamples and
 * so lie between the smallest and largest run value. One run, or the same
 * value in every run, gives no interval (a bootstrap would draw a point).
 */
export function replicationInterval(metric: string, values: readonly number[]): { ci95: Interval | null; method: ReplicationMethod } {
  if (values.length <= 1) return { ci95: null, method: 'none: one run' };
  if (values.every((value) => value === values[0])) return { ci95: null, method: 'none: the same value in every run' };
  if (isAtlasMetric(metric) && atlasMetric(metric).kind === 'proportion' && values.every((value) => value === 0 || value === 1)) {
    return { ci95: wilson(values.filter((value) => value === 1).length, values.length), method: 'wilson' };
  }
  return { ci95: withinRuns(bootstrapBca(values, mean), values), method: 'bootstrap-bca' };
}

/**
 * A bootstrap interval of the mean kept between the smallest and largest
 * run: its bounds are means of resamples, which lie there exactly, but a
 * floating-point mean can round an ulp past them (three runs near 1e-204
 * gave a low bound below the smallest).
 */
function withinRuns(interval: Interval | null, values: readonly number[]): Interval | null {
  if (interval === null) return null;
  const smallest = Math.min(...values);
  const largest = Math.max(...values);
  return { ...interval, low: Math.min(Math.max(interval.low, smallest), largest), high: Math.max(Math.min(interval.high, largest), smallest) };
}

/** Replaces each row's run_values (from replications.sql) with ci95_low, ci95_high and interval_method. */
export function withReplicationIntervals(rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map(({ run_values: runValues, ...row }) => {
    const values = (runValues as unknown[]).map(Number);
    const { ci95, method } = replicationInterval(String(row.metric), values);
    return { ...row, ci95_low: ci95?.low ?? null, ci95_high: ci95?.high ?? null, interval_method: method };
  });
}

/** Replaces each architect row's ps_load_values with the load's interval (ps_load_ci95_low/high) and its method, as replications does. */
export function withLoadIntervals(rows: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map(({ ps_load_values: loads, ...row }) => {
    const { ci95, method } = replicationInterval('ps_load_rps', (loads as unknown[]).map(Number));
    return { ...row, ps_load_ci95_low: ci95?.low ?? null, ps_load_ci95_high: ci95?.high ?? null, ps_load_interval_method: method };
  });
}
