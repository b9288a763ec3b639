/**
 * 95% intervals that stay inside the metric's range, for the atlas.
 *
 * - Wilson score interval for a proportion (runs in which something
 *   happened out of all runs): always inside [0, 1], and honest at 0/n and
 *   n/n where the t-interval collapses to a point.
 * - Bootstrap intervals for counts, durations and rates: every bound is a
 *   value of the statistic on a resample of the data, so the mean of
 *   non-negative counts never gets a negative bound. BCa (bias-corrected
 *   and accelerated) for smooth statistics such as the mean; the plain
 *   percentile interval for quantiles, whose jackknife acceleration is
 *   unreliable.
 *
 * Resampling is seeded: the same data give the same interval on every machine.
 */

export type IntervalMethod = 'wilson' | 'bootstrap-bca' | 'bootstrap-percentile';

export interface Interval {
  low: number;
  high: number;
}

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;
export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_SEED = 20251205;

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; enough for resampling indices. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Wilson score interval for `successes` out of `n` trials (95% by default). */
export function wilson(successes: number, n: number, z = Z95): Interval {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`wilson: n must be a positive integer, found ${n}`);
  if (!Number.isInteger(successes) || successes < 0 || successes > n)
    throw new RangeError(`wilson: successes must be an integer in 0..${n}, found ${successes}`);
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Exact at the ends (rounding can leave 1e-17 outside otherwise).
  return { low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === n ? 1 : Math.min(1, centre + half) };
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(x)) / Math.SQRT2);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Standard normal quantile (Acklam's rational approximation; relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549671010115, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

export const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The q-quantile of sorted values, interpolated as DuckDB's quantile_cont does. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return (sorted[below] as number) + ((sorted[above] as number) - (sorted[below] as number)) * (position - below);
}

interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/** The statistic on `resamples` resamples (with replacement) of the units, sorted. */
function bootstrapDistribution<T>(units: readonly T[], statistic: (sample: readonly T[]) => number, options: BootstrapOptions): number[] {
  const random = seededRandom(options.seed ?? BOOTSTRAP_SEED);
  const resamples = options.resamples ?? BOOTSTRAP_RESAMPLES;
  const replicates: number[] = [];
  const sample: T[] = new Array<T>(units.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < units.length; i++) sample[i] = units[Math.floor(random() * units.length)] as T;
    replicates.push(statistic(sample));
  }
  return replicates.sort((x, y) => x - y);
}

function checkUnits(units: readonly unknown[], name: string): void {
  if (units.length < 2) throw new RangeError(`${name}: needs at least 2 units, found ${units.length}`);
}

/**
 * Bootstrap percentile interval of `statistic` over the units (values, or
 * whole runs for a pooled statistic): the 2.5% and 97.5% points of the
 * statistic over resamples.
 */
export function bootstrapPercentile<T>(units: readonly T[], statistic: (sample: readonly T[]) => number, options: BootstrapOptions = {}): Interval {
  checkUnits(units, 'bootstrapPercentile');
  const replicates = bootstrapDistribution(units, statistic, options);
  return { low: quantileSorted(replicates, 0.025), high: quantileSorted(replicates, 0.975) };
}

/**
 * BCa interval (Efron 1987): percentile points shifted by the bias of the
 * bootstrap distribution (z0) and the skew of the jackknife (acceleration a).
 * Its bounds are still points of the bootstrap distribution, so they stay
 * inside the statistic's range.
 */
export function bootstrapBca<T>(units: readonly T[], statistic: (sample: readonly T[]) => number, options: BootstrapOptions = {}): Interval {
  checkUnits(units, 'bootstrapBca');
  const replicates = bootstrapDistribution(units, statistic, options);
  const estimate = statistic(units);
  const below = replicates.filter((value) => value < estimate).length;
  const equal = replicates.filter((value) => value === estimate).length;
  const share = (below + equal / 2) / replicates.length;
  // All replicates on one side (or all equal): no bias correction is estimable.
  const z0 = share <= 0 || share >= 1 ? 0 : normalQuantile(share);
  const jackknife = units.map((_, i) => statistic(units.filter((__, j) => j !== i)));
  const jackMean = mean(jackknife);
  const num = jackknife.reduce((sum, value) => sum + (jackMean - value) ** 3, 0);
  const den = 6 * jackknife.reduce((sum, value) => sum + (jackMean - value) ** 2, 0) ** 1.5;
  const a = den === 0 ? 0 : num / den;
  const adjusted = (z: number) => normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z)));
  return { low: quantileSorted(replicates, adjusted(-Z95)), high: quantileSorted(replicates, adjusted(Z95)) };
}
