import { type AtlasMetric, intervalMethod } from './atlas-metrics.ts';
import { bootstrapBca, bootstrapPercentile, type Interval, type IntervalMethod, mean, quantileSorted, wilson } from './stats/intervals.ts';

/** One run's value of one metric (the atlas_runs query). */
export interface RunValue {
  design: string;
  seed: number;
  metric: string;
  value: number;
}

/** One terminated mission's runtime stop (the atlas_stops query). */
export interface MissionStop {
  design: string;
  seed: number;
  revocation_window_s: number;
}

/** A metric of one design over its runs: the estimate, its 95% interval and how it was made. */
export interface MetricSummary {
  metric: string;
  label: string;
  unit: string;
  /** Runs the estimate is over. */
  n: number;
  mean: number | null;
  ci95: Interval | null;
  interval: IntervalMethod | null;
  /** Why there is no interval, or what a degenerate one means. */
  note?: string;
}

export interface SummaryOptions {
  /** The scenario draws nothing random: one run is the answer (n = 1, no interval). */
  deterministic?: boolean;
  /** Only runs with these seeds (a checkpoint of the sequential procedure). */
  maxSeed?: number;
}

/**
 * A metric's estimate and interval for one design: the mean over runs (a
 * share of runs for a 0/1 proportion, with Wilson's interval; BCa bootstrap
 * otherwise), or the pooled p99 runtime stop with a percentile bootstrap
 * that resamples whole runs. A metric that took the same value in every run
 * gets no interval (a bootstrap would draw a point): the note says so.
 */
export function summarize(
  metric: AtlasMetric,
  design: string,
  runs: readonly RunValue[],
  stops: readonly MissionStop[],
  options: SummaryOptions = {},
): MetricSummary {
  const inPlay = (seed: number) => options.maxSeed === undefined || seed <= options.maxSeed;
  let seeds = [...new Set(runs.filter((run) => run.design === design && inPlay(run.seed)).map((run) => run.seed))].sort((a, b) => a - b);
  if (options.deterministic) seeds = seeds.slice(0, 1);
  const base = { metric: metric.name, label: metric.label, unit: metric.unit };
  const empty = (note: string): MetricSummary => ({ ...base, n: 0, mean: null, ci95: null, interval: null, note });

  if (metric.statistic === 'pooled-p99') {
    const byRun = seeds
      .map((seed) => stops.filter((stop) => stop.design === design && stop.seed === seed).map((stop) => stop.revocation_window_s))
      .filter((values) => values.length > 0);
    if (byRun.length === 0) return empty('no mission was terminated');
    const pooledP99 = (sample: readonly number[][]) =>
      quantileSorted(
        sample.flat().sort((a, b) => a - b),
        0.99,
      );
    const estimate = pooledP99(byRun);
    return finish(base, byRun.length, estimate, byRun.flat(), () => bootstrapPercentile(byRun, pooledP99), 'bootstrap-percentile', options);
  }

  const values: number[] = [];
  for (const seed of seeds) {
    const row = runs.find((run) => run.design === design && run.seed === seed && run.metric === metric.name);
    if (row) values.push(row.value);
    else if (metric.absentIsZero) values.push(0);
  }
  if (values.length === 0) return empty('no run carries this metric');
  const estimate = mean(values);
  if (metric.kind === 'proportion') {
    const bad = values.find((value) => value !== 0 && value !== 1);
    if (bad !== undefined) throw new Error(`metric ${metric.name} is declared a 0/1 proportion but a run of ${design} has ${bad}`);
    if (options.deterministic)
      return { ...base, n: 1, mean: estimate, ci95: null, interval: null, note: 'the scenario has nothing random: one run is the answer' };
    if (values.length === 1) return { ...base, n: 1, mean: estimate, ci95: null, interval: null, note: 'one run: no interval' };
    return {
      ...base,
      n: values.length,
      mean: estimate,
      ci95: wilson(
        values.reduce((sum, value) => sum + value, 0),
        values.length,
      ),
      interval: 'wilson',
    };
  }
  return finish(base, values.length, estimate, values, () => bootstrapBca(values, mean), intervalMethod(metric), options);
}

function finish(
  base: Pick<MetricSummary, 'metric' | 'label' | 'unit'>,
  n: number,
  estimate: number,
  pooled: readonly number[],
  interval: () => Interval,
  method: IntervalMethod,
  options: SummaryOptions,
): MetricSummary {
  if (options.deterministic)
    return { ...base, n: 1, mean: estimate, ci95: null, interval: null, note: 'the scenario has nothing random: one run is the answer' };
  if (n === 1) return { ...base, n, mean: estimate, ci95: null, interval: null, note: 'one run: no interval' };
  if (pooled.every((value) => value === pooled[0])) {
    // The rule of three: with no variation in n runs, the chance that a run differs is below 3/n (95%).
    return {
      ...base,
      n,
      mean: estimate,
      ci95: null,
      interval: null,
      note: `the same in all ${n} runs (a run that differs has probability below ${Number((3 / n).toPrecision(2))})`,
    };
  }
  return { ...base, n, mean: estimate, ci95: interval(), interval: method };
}

/** The interval a comparison uses: the 95% interval, or the point itself when there is none (constant or deterministic). */
export function bounds(summary: MetricSummary): Interval | null {
  if (summary.mean === null) return null;
  return summary.ci95 ?? { low: summary.mean, high: summary.mean };
}

/** The width of a summary's interval (0 for a constant or deterministic metric; Infinity when unmeasured). */
export function width(summary: MetricSummary): number {
  if (summary.mean === null) return Infinity;
  if (summary.ci95 === null) return summary.n >= 2 || summary.note?.startsWith('the scenario has nothing random') ? 0 : Infinity;
  return summary.ci95.high - summary.ci95.low;
}

/** Whether `a`'s interval lies entirely on the better side of `b`'s. */
export function strictlyBetter(a: MetricSummary, b: MetricSummary, better: 'lower' | 'higher'): boolean {
  const x = bounds(a);
  const y = bounds(b);
  if (!x || !y) return false;
  return better === 'lower' ? x.high < y.low : x.low > y.high;
}
