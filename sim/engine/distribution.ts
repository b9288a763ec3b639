/**
 * Random distributions written in scenario files, such as `exp(2m)` or
 * `uniform(10, 20)`. The syntax lives in distribution-parser.ts; this file
 * gives the expressions their meaning and samples them.
 *
 * Every distribution has a kind. For `duration`, values that are times carry
 * a unit (`exp(2m)`, see duration.ts) and samples are integer microseconds:
 * Math.round, clamped to [0, Number.MAX_SAFE_INTEGER]. For `number`, values
 * are plain numbers (`uniform(10, 20)`) and samples are unrounded floats.
 * Shape parameters and weights are always plain numbers, never with a unit.
 * A bare value (`30s`, `3`) means const(value).
 *
 * Families, their parameters, and the rng() draws one sample costs (fixed,
 * so that a stream's sequence is reproducible; u is one draw on [0, 1)):
 *   const(x)              the value x.                 0 draws. mean x
 *   uniform(a, b)         a + (b - a) u, a <= b.       1 draw.  mean (a + b) / 2
 *   exp(mean)             exponential with the given MEAN (not rate), mean > 0:
 *                         -mean ln(1 - u).             1 draw.  mean `mean`
 *   lognormal(median, sigma)
 *                         median e^(sigma z), i.e. mu = ln(median); median > 0,
 *                         sigma > 0 a plain number; z = inverse normal CDF of u
 *                         (Acklam's rational approximation, relative error
 *                         about 1e-9).                 1 draw.  mean median e^(sigma^2 / 2)
 *   normal(mean, sd)      sd > 0. Box–Muller, cosine variate only: 2 draws per
 *   normal(mean, sd, min, max)
 *                         attempt, attempts repeated (rejection) until the value
 *                         lies in [min, max]. Durations default to min 0 and no
 *                         max; numbers are untruncated unless both bounds are
 *                         given. Without truncation the mean is `mean`; with it
 *                         (always, for durations) the mean property is the
 *                         COMPUTED truncated mean, accurate to about 7 digits.
 *                         Bounds keeping under 0.1% of the mass are rejected at
 *                         parse time, since rejection sampling would crawl.
 *   choice(v1: w1, v2: w2, ...)
 *                         v_i with probability w_i / sum(w); weights > 0 and
 *                         given for all values or none (none = equal weights).
 *                         Inverse CDF over cumulative weights. 1 draw.
 *   empirical(v1, v2, ...)
 *                         one of the observations uniformly (bootstrap
 *                         resampling); at least one.  1 draw.  mean = average
 *
 * `mean` is in the sample unit (µs for durations) and ignores the rounding and
 * clamping of duration samples (at most half a microsecond); it is undefined
 * only when it overflows to Infinity.
 *
 * `text` is a canonical spelling: no extra whitespace, durations rewritten by
 * formatDuration (`exp(120s)` -> `exp(2m)`), numbers by String (`1e3` ->
 * `1000`), bare values as const(...). Equal distributions parse to equal
 * text, and parsing the text again gives the same distribution.
 */
import { durationLiteral, ExpressionError, formatDuration } from './duration.ts';
import { numberLiteral, parseCall, type Call, type SyntaxHints, type Token } from './distribution-parser.ts';
import type { Rng } from './random.ts';

export const DISTRIBUTION_FAMILIES = ['const', 'uniform', 'exp', 'lognormal', 'normal', 'choice', 'empirical'] as const;
export type DistributionFamily = (typeof DISTRIBUTION_FAMILIES)[number];
export type DistributionKind = 'duration' | 'number';

export interface Distribution {
  /** The source text, canonicalised (see the top of this file). */
  readonly text: string;
  readonly kind: DistributionKind;
  /** Analytic mean in the sample unit (µs for durations), when it is finite. */
  readonly mean: number | undefined;
  /** Durations: integer µs >= 0. Numbers: a float. */
  sample(rng: Rng): number;
}

const HINTS: Record<DistributionKind, SyntaxHints> = {
  duration: {
    families: DISTRIBUTION_FAMILIES,
    expression: 'a distribution such as exp(2m), uniform(1s, 5s) or 30s',
    value: 'a value such as 30s',
  },
  number: {
    families: DISTRIBUTION_FAMILIES,
    expression: 'a distribution such as uniform(10, 20), exp(5) or 3',
    value: 'a number such as 2.5',
  },
};

// Parsed distributions by kind, then text. A distribution is immutable and
// draws only from the rng it is given, so one parsed object can serve every
// use of the same text: scenarios repeat a few expressions across all their
// agents' plan steps, and 10,000 agents held 30,000 copies (with closures)
// of `exp(30s)`. Cleared when it grows past a bound, so a long sweep in one
// process cannot grow it without limit.
const PARSED: Record<DistributionKind, Map<string, Distribution>> = { duration: new Map(), number: new Map() };
const MAX_PARSED = 10_000;

/** Parses `text` (see the top of this file) or throws ExpressionError. */
export function parseDistribution(text: string, kind: DistributionKind): Distribution {
  const cache = PARSED[kind];
  let distribution = cache.get(text);
  if (distribution === undefined) {
    distribution = parseUncached(text, kind);
    if (cache.size >= MAX_PARSED) cache.clear();
    cache.set(text, distribution);
  }
  return distribution;
}

function parseUncached(text: string, kind: DistributionKind): Distribution {
  const call = parseCall(text, HINTS[kind]);
  const family = FAMILIES[call.family as DistributionFamily];
  checkShape(call, family);
  const built = family.build(new Args(call, kind));
  const raw = built.sample;
  return Object.freeze({
    text: `${call.family}(${built.args.join(', ')})`,
    kind,
    mean: built.mean !== undefined && Number.isFinite(built.mean) ? built.mean : undefined,
    sample: kind === 'duration' ? (rng: Rng) => toMicros(raw(rng)) : raw,
  });
}

function toMicros(x: number): number {
  return x > 0 ? Math.min(Math.round(x), Number.MAX_SAFE_INTEGER) : 0; // also maps NaN and -0 to 0
}

interface Family {
  /** Allowed argument counts. */
  readonly counts: readonly number[] | 'one or more';
  /** Shown as `expected ...` when the count is wrong. */
  readonly usage: string;
  readonly weighted?: boolean;
  build(args: Args): Built;
}

interface Built {
  /** Canonical argument texts. */
  readonly args: readonly string[];
  readonly mean: number | undefined;
  readonly sample: (rng: Rng) => number;
}

const tokenError = (expected: string, token: Token): ExpressionError => new ExpressionError(expected, token.text, token.column);

function checkShape(call: Call, family: Family): void {
  if (!family.weighted) {
    const colon = call.args.find((arg) => arg.colon)?.colon;
    if (colon) throw tokenError("',' or ')' (only choice takes weights)", colon);
  }
  const n = call.args.length;
  const { counts, usage } = family;
  if (counts === 'one or more') {
    if (n === 0) throw tokenError(usage, call.close);
    return;
  }
  const max = Math.max(...counts);
  if (n > max) throw tokenError(usage, call.args[max]!.value); // the first extra argument
  if (!counts.includes(n)) throw tokenError(usage, call.close);
}

/** Typed access to a call's arguments, reporting errors at their columns. */
class Args {
  constructor(
    private readonly call: Call,
    readonly kind: DistributionKind,
  ) {}

  get count(): number {
    return this.call.args.length;
  }

  /** A value in the kind's unit: a duration in µs, or a plain number. */
  value(i: number): number {
    const token = this.token(i);
    return this.kind === 'duration' ? durationLiteral(token.text, token.column) : numberLiteral(token);
  }

  /** A plain number whatever the kind (shape parameters). */
  plain(i: number): number {
    return numberLiteral(this.token(i));
  }

  hasWeight(i: number): boolean {
    return this.call.args[i]?.weight !== undefined;
  }

  weight(i: number): number {
    return numberLiteral(this.weightToken(i));
  }

  fail(i: number, expected: string): ExpressionError {
    return tokenError(expected, this.token(i));
  }

  failWeight(i: number, expected: string): ExpressionError {
    return tokenError(expected, this.weightToken(i));
  }

  format(value: number): string {
    return this.kind === 'duration' ? formatDuration(value) : String(value);
  }

  private token(i: number): Token {
    return this.call.args[i]!.value;
  }

  private weightToken(i: number): Token {
    return this.call.args[i]!.weight!;
  }
}

const FAMILIES: Record<DistributionFamily, Family> = {
  const: {
    counts: [1],
    usage: '1 argument: const(value)',
    build(a) {
      const value = a.value(0);
      return { args: [a.format(value)], mean: value, sample: () => value };
    },
  },

  uniform: {
    counts: [2],
    usage: '2 arguments: uniform(min, max)',
    build(a) {
      const min = a.value(0);
      const max = a.value(1);
      if (min > max) throw a.fail(1, `a maximum of at least ${a.format(min)}`);
      const width = max - min;
      if (!Number.isFinite(width)) throw a.fail(1, 'a maximum within a finite distance of the minimum');
      return { args: [a.format(min), a.format(max)], mean: min + width / 2, sample: (rng) => min + width * rng() };
    },
  },

  exp: {
    counts: [1],
    usage: '1 argument: exp(mean)',
    build(a) {
      const mean = a.value(0);
      if (!(mean > 0)) throw a.fail(0, 'a positive mean');
      return { args: [a.format(mean)], mean, sample: (rng) => -mean * Math.log(1 - rng()) };
    },
  },

  lognormal: {
    counts: [2],
    usage: '2 arguments: lognormal(median, sigma)',
    build(a) {
      const median = a.value(0);
      if (!(median > 0)) throw a.fail(0, 'a positive median');
      const sigma = a.plain(1);
      if (!(sigma > 0)) throw a.fail(1, 'a positive sigma');
      return {
        args: [a.format(median), String(sigma)],
        mean: median * Math.exp((sigma * sigma) / 2),
        sample: (rng) => median * Math.exp(sigma * normalQuantile(rng())),
      };
    },
  },

  normal: {
    counts: [2, 4],
    usage: '2 or 4 arguments: normal(mean, sd) or normal(mean, sd, min, max)',
    build(a) {
      const mean = a.value(0);
      const sd = a.value(1);
      if (!(sd > 0)) throw a.fail(1, 'a positive standard deviation');
      let min = a.kind === 'duration' ? 0 : -Infinity;
      let max = Infinity;
      const args = [a.format(mean), a.format(sd)];
      if (a.count === 4) {
        min = a.value(2);
        max = a.value(3);
        if (!(max > min)) throw a.fail(3, `a maximum greater than the minimum ${a.format(min)}`);
        args.push(a.format(min), a.format(max));
      }
      const truncated = truncatedNormal(mean, sd, min, max);
      if (truncated.mass < MIN_ACCEPTANCE) {
        throw a.fail(a.count === 4 ? 2 : 0, "bounds that keep at least 0.1% of the normal's probability mass");
      }
      return {
        args,
        mean: truncated.mean,
        sample(rng) {
          for (;;) {
            const x = mean + sd * standardNormal(rng);
            if (x >= min && x <= max) return x;
          }
        },
      };
    },
  },

  choice: {
    counts: 'one or more',
    usage: 'at least 1 argument: choice(value: weight, ...) or choice(value, ...)',
    weighted: true,
    build(a) {
      const weighted = a.hasWeight(0);
      const values: number[] = [];
      const cumulative: number[] = [];
      const args: string[] = [];
      let total = 0;
      let weightedSum = 0;
      for (let i = 0; i < a.count; i++) {
        const value = a.value(i);
        if (a.hasWeight(i) !== weighted) throw a.fail(i, 'a weight for every value (value: weight) or for none');
        const weight = weighted ? a.weight(i) : 1;
        if (!(weight > 0)) throw a.failWeight(i, 'a positive weight');
        total += weight;
        if (!Number.isFinite(total)) throw a.failWeight(i, 'weights with a finite sum');
        weightedSum += value * weight;
        values.push(value);
        cumulative.push(total);
        args.push(weighted ? `${a.format(value)}: ${weight}` : a.format(value));
      }
      const last = values.length - 1;
      return {
        args,
        mean: weightedSum / total,
        sample(rng) {
          // Binary search for the first cumulative weight above u * total.
          const target = rng() * total;
          let lo = 0;
          let hi = last;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (cumulative[mid]! > target) hi = mid;
            else lo = mid + 1;
          }
          return values[lo]!;
        },
      };
    },
  },

  empirical: {
    counts: 'one or more',
    usage: 'at least 1 argument: empirical(value, ...)',
    build(a) {
      const values: number[] = [];
      for (let i = 0; i < a.count; i++) values.push(a.value(i));
      const n = values.length;
      return {
        args: values.map((value) => a.format(value)),
        mean: values.reduce((sum, value) => sum + value, 0) / n,
        sample: (rng) => values[Math.min(n - 1, Math.floor(rng() * n))]!,
      };
    },
  },
};

// ---------------------------------------------------------------------------
// Normal-distribution numerics.

const MIN_ACCEPTANCE = 1e-3;

/** Box–Muller, cosine variate only, so every call costs exactly two draws. */
function standardNormal(rng: Rng): number {
  const radius = Math.sqrt(-2 * Math.log(1 - rng())); // 1 - u is in (0, 1]: finite
  return radius * Math.cos(2 * Math.PI * rng());
}

/**
 * Probability mass of N(mean, sd^2) inside [min, max] and the mean of the
 * normal truncated there: mean + sd (pdf(a) - pdf(b)) / mass.
 */
function truncatedNormal(mean: number, sd: number, min: number, max: number): { mass: number; mean: number } {
  if (min === -Infinity && max === Infinity) return { mass: 1, mean };
  const a = (min - mean) / sd;
  const b = (max - mean) / sd;
  // Work in whichever tail keeps the subtraction away from 1 - 1.
  const mass = a > 0 ? upperTail(a) - upperTail(b) : upperTail(-b) - upperTail(-a);
  return { mass, mean: mean + (sd * (pdf(a) - pdf(b))) / mass };
}

function pdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** P(Z > z) for a standard normal Z. */
function upperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * Complementary error function, Numerical Recipes' Chebyshev fit (erfcc):
 * fractional error below 1.2e-7 everywhere, tails included.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const result = t * Math.exp(-z * z + polynomial(ERFC, t));
  return x >= 0 ? result : 2 - result;
}

// Highest degree first, for polynomial().
const ERFC = [0.17087277, -0.82215223, 1.48851587, -1.13520398, 0.27886807, -0.18628806, 0.09678418, 0.37409196, 1.00002368, -1.26551223];
// Acklam's inverse normal CDF: central region A/B, tails C/D.
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1, 1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416, 1];
const P_LOW = 0.02425;

/** Inverse standard normal CDF (Acklam), relative error about 1.15e-9. */
function normalQuantile(u: number): number {
  const p = u > 0 ? u : Number.MIN_VALUE; // rng() may return exactly 0
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polynomial(C, q) / polynomial(D, q);
  }
  if (p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -polynomial(C, q) / polynomial(D, q);
  }
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(A, r) * q) / polynomial(B, r);
}

/** Horner evaluation; coefficients highest degree first. */
function polynomial(coefficients: readonly number[], x: number): number {
  let sum = 0;
  for (const c of coefficients) sum = sum * x + c;
  return sum;
}
