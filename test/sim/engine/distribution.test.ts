import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ExpressionError } from '../../../sim/engine/duration.ts';
import { DISTRIBUTION_FAMILIES, parseDistribution, type DistributionKind } from '../../../sim/engine/distribution.ts';
import { randomStream, type Rng } from '../../../sim/engine/random.ts';

const SECOND = 1_000_000;
const FAMILIES_EXPECTED = 'one of const, uniform, exp, lognormal, normal, choice, empirical';
const MISSING_UNIT = 'a unit after the number: us, ms, s (sec), m (min), h (hr) or d (day)';
const NO_UNIT = 'a plain number without a unit';

function expressionError(f: () => unknown): ExpressionError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error('expected an ExpressionError, but nothing was thrown');
}

/** Wraps a stream to count how many draws the sampler takes. */
function counting(rng: Rng): Rng & { draws: number } {
  const counted = Object.assign(
    () => {
      counted.draws++;
      return rng();
    },
    { draws: 0 },
  );
  return counted;
}

describe('parseDistribution: parsing', () => {
  it('lists its families for schema descriptions', () => {
    expect(DISTRIBUTION_FAMILIES).toEqual(['const', 'uniform', 'exp', 'lognormal', 'normal', 'choice', 'empirical']);
  });

  it.each<[DistributionKind, string, string, number]>([
    // kind, text, canonical text, exact mean
    ['duration', 'exp(2m)', 'exp(2m)', 120 * SECOND],
    ['duration', ' exp ( 120s ) ', 'exp(2m)', 120 * SECOND],
    ['duration', '30s', 'const(30s)', 30 * SECOND],
    ['duration', 'const(1.5s)', 'const(1.5s)', 1.5 * SECOND],
    ['duration', 'uniform(1s, 5s)', 'uniform(1s, 5s)', 3 * SECOND],
    ['duration', 'uniform(250ms,250ms)', 'uniform(250ms, 250ms)', 250_000],
    ['duration', 'lognormal(1s, 0.5)', 'lognormal(1s, 0.5)', SECOND * Math.exp(0.125)],
    ['duration', 'choice(1s: 1, 5s: 3)', 'choice(1s: 1, 5s: 3)', 4 * SECOND],
    ['duration', 'choice(1s, 5s)', 'choice(1s, 5s)', 3 * SECOND],
    ['duration', 'empirical(1s, 2s, 6000ms)', 'empirical(1s, 2s, 6s)', 3 * SECOND],
    ['number', '3', 'const(3)', 3],
    ['number', 'const(-2.5)', 'const(-2.5)', -2.5],
    ['number', 'uniform(10, 20)', 'uniform(10, 20)', 15],
    ['number', 'exp(1e3)', 'exp(1000)', 1000],
    ['number', 'normal(10, 2)', 'normal(10, 2)', 10],
    ['number', 'lognormal(4, 1)', 'lognormal(4, 1)', 4 * Math.exp(0.5)],
    ['number', 'choice(1: 3, 2: 1)', 'choice(1: 3, 2: 1)', 1.25],
    ['number', 'empirical(+1, 2.0, 6)', 'empirical(1, 2, 6)', 3],
  ])('%s %j -> %j', (kind, text, canonical, mean) => {
    const d = parseDistribution(text, kind);
    expect(d.text).toBe(canonical);
    expect(d.kind).toBe(kind);
    expect(d.mean).toBeCloseTo(mean, 6);
    // The canonical text means the same distribution.
    expect(parseDistribution(d.text, kind).text).toBe(canonical);
  });

  it('computes the mean of a truncated normal', () => {
    // Standard normal on [0, 5]: (pdf(0) - pdf(5)) / (Phi(5) - Phi(0)).
    const pdf = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
    const exact = (pdf(0) - pdf(5)) / (0.5 - 2.866515718125129e-7);
    expect(parseDistribution('normal(0, 1, 0, 5)', 'number').mean).toBeCloseTo(exact, 6);
    // Symmetric bounds leave the mean in the middle.
    expect(parseDistribution('normal(0, 1, -1, 1)', 'number').mean).toBeCloseTo(0, 6);
    // Durations are truncated at 0, which moves a far-from-zero mean by almost nothing.
    expect(parseDistribution('normal(5m, 30s)', 'duration').mean).toBeCloseTo(300 * SECOND, 3);
    // ... but a mean near zero a lot: half-normal mean is sd * sqrt(2 / pi).
    expect(parseDistribution('normal(0s, 1s)', 'duration').mean! / SECOND).toBeCloseTo(Math.sqrt(2 / Math.PI), 5);
  });

  it.each<[DistributionKind, string, number, string, string]>([
    // kind, text, column, expected, found
    ['duration', '', 1, 'a distribution such as exp(2m), uniform(1s, 5s) or 30s', ''],
    ['number', '  ', 3, 'a distribution such as uniform(10, 20), exp(5) or 3', ''],
    ['duration', 'expo(2m)', 1, FAMILIES_EXPECTED, 'expo'],
    ['number', 'NaN', 1, FAMILIES_EXPECTED, 'NaN'],
    ['duration', ')', 1, 'a distribution such as exp(2m), uniform(1s, 5s) or 30s', ')'],
    ['duration', 'exp 2m', 5, "'(' after exp", '2m'],
    ['duration', 'exp', 4, "'(' after exp", ''],
    // Unbalanced parentheses and trailing text.
    ['duration', 'exp(2m', 7, "',' or ')'", ''],
    ['duration', 'exp(2m))', 8, 'end of input', ')'],
    ['duration', 'exp((2m))', 5, 'a value such as 30s', '('],
    ['duration', 'exp(2m) x', 9, 'end of input', 'x'],
    ['duration', '30s 40s', 5, 'end of input', '40s'],
    ['duration', 'exp(2m,)', 8, 'a value such as 30s', ')'],
    ['number', 'uniform(1 2)', 11, "',' or ')'", '2'],
    // Arity.
    ['duration', 'exp()', 5, '1 argument: exp(mean)', ')'],
    ['duration', 'exp(1s, 2s)', 9, '1 argument: exp(mean)', '2s'],
    ['duration', 'uniform(1s)', 11, '2 arguments: uniform(min, max)', ')'],
    ['number', 'normal(1, 2, 3)', 15, '2 or 4 arguments: normal(mean, sd) or normal(mean, sd, min, max)', ')'],
    ['number', 'normal(1, 2, 3, 4, 5)', 20, '2 or 4 arguments: normal(mean, sd) or normal(mean, sd, min, max)', '5'],
    ['duration', 'empirical()', 11, 'at least 1 argument: empirical(value, ...)', ')'],
    ['duration', 'choice()', 8, 'at least 1 argument: choice(value: weight, ...) or choice(value, ...)', ')'],
    // Missing, extra and bad units; bad numbers.
    ['duration', 'exp(2)', 5, MISSING_UNIT, '2'],
    ['duration', '30', 1, MISSING_UNIT, '30'],
    ['duration', 'exp(30x)', 5, 'a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day))', '30x'],
    ['duration', 'exp(2 m)', 7, "',' or ')'", 'm'],
    ['duration', 'exp(-2m)', 5, 'a non-negative duration', '-2m'],
    ['number', 'uniform(10s, 20s)', 9, NO_UNIT, '10s'],
    ['duration', 'lognormal(1s, 0.5s)', 15, NO_UNIT, '0.5s'],
    ['duration', 'choice(1s: 2s)', 12, NO_UNIT, '2s'],
    ['number', 'const(1.2.3)', 7, 'a number such as 2.5', '1.2.3'],
    ['number', 'const(Infinity)', 7, 'a number such as 2.5', 'Infinity'],
    ['number', 'const(1e999)', 7, 'a finite number', '1e999'],
    ['number', 'const(0x10)', 7, 'a number such as 2.5', '0x10'],
    // Parameter constraints.
    ['duration', 'uniform(5s, 1s)', 13, 'a maximum of at least 5s', '1s'],
    ['number', 'uniform(-1e308, 1e308)', 17, 'a maximum within a finite distance of the minimum', '1e308'],
    ['duration', 'exp(0s)', 5, 'a positive mean', '0s'],
    ['number', 'exp(-1)', 5, 'a positive mean', '-1'],
    ['duration', 'lognormal(0s, 1)', 11, 'a positive median', '0s'],
    ['duration', 'lognormal(1s, 0)', 15, 'a positive sigma', '0'],
    ['number', 'normal(1, 0)', 11, 'a positive standard deviation', '0'],
    ['number', 'normal(0, 1, 2, 2)', 17, 'a maximum greater than the minimum 2', '2'],
    ['number', 'normal(0, 1, 5, 6)', 14, "bounds that keep at least 0.1% of the normal's probability mass", '5'],
    ['duration', 'choice(1s: 0)', 12, 'a positive weight', '0'],
    ['duration', 'choice(1s: -1, 2s: 1)', 12, 'a positive weight', '-1'],
    ['duration', 'choice(1s: 1, 2s)', 15, 'a weight for every value (value: weight) or for none', '2s'],
    ['duration', 'choice(1s, 2s: 1)', 12, 'a weight for every value (value: weight) or for none', '2s'],
    ['number', 'choice(1: 1e308, 2: 1e308)', 21, 'weights with a finite sum', '1e308'],
    ['duration', 'exp(1s: 2)', 7, "',' or ')' (only choice takes weights)", ':'],
    ['duration', 'choice(1s: )', 12, 'a weight such as 2', ')'],
  ])('%s %j fails at column %i', (kind, text, column, expected, found) => {
    const error = expressionError(() => parseDistribution(text, kind));
    expect({ column: error.column, expected: error.expected, found: error.found }).toEqual({ column, expected, found });
  });

  it('writes a message naming what was expected and found', () => {
    expect(expressionError(() => parseDistribution('expo(2m)', 'duration')).message).toBe(`expected ${FAMILIES_EXPECTED}, found "expo" at column 1`);
  });
});

describe('parseDistribution: sampling', () => {
  const N = 200_000;

  // Each sample mean must lie within 5 standard errors (estimated from the
  // sample itself) of the analytic mean: a false alarm is a one-in-a-million
  // event, while a wrong parameterisation (say rate for mean) is far outside.
  it.each<[DistributionKind, string]>([
    ['duration', 'exp(2m)'],
    ['duration', 'uniform(1s, 5s)'],
    ['duration', 'lognormal(1s, 0.5)'],
    ['duration', 'lognormal(100ms, 1.5)'],
    ['duration', 'normal(5m, 30s)'],
    ['duration', 'normal(1s, 1s)'], // visibly truncated at 0
    ['duration', 'normal(5s, 1s, 4s, 8s)'],
    ['duration', 'choice(1s: 1, 5s: 3)'],
    ['duration', 'choice(1s, 5s, 9s)'],
    ['duration', 'empirical(1s, 2s, 6s, 10s)'],
    ['number', 'exp(5)'],
    ['number', 'uniform(-10, 20)'],
    ['number', 'normal(10, 2)'],
    ['number', 'normal(0, 1, 0, 5)'],
    ['number', 'lognormal(4, 0.25)'],
  ])('%s %s has the analytic mean', (kind, text) => {
    const d = parseDistribution(text, kind);
    const rng = randomStream(1, 'test');
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < N; i++) {
      const x = d.sample(rng);
      sum += x;
      sumSquares += x * x;
    }
    const mean = sum / N;
    const standardError = Math.sqrt((sumSquares / N - mean * mean) / N);
    expect(d.mean).toBeDefined();
    expect(Math.abs(mean - d.mean!)).toBeLessThan(5 * standardError);
  });

  it('hits every choice in proportion to its weight', () => {
    const d = parseDistribution('choice(1: 1, 2: 2, 3: 7)', 'number');
    const rng = randomStream(1, 'test');
    const counts = new Map<number, number>();
    for (let i = 0; i < N; i++) {
      const x = d.sample(rng);
      counts.set(x, (counts.get(x) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3]);
    expect(counts.get(1)! / N).toBeCloseTo(0.1, 2);
    expect(counts.get(2)! / N).toBeCloseTo(0.2, 2);
    expect(counts.get(3)! / N).toBeCloseTo(0.7, 2);
  });

  it('keeps uniform samples within [a, b]', () => {
    const rng = randomStream(1, 'test');
    const durations = parseDistribution('uniform(1s, 5s)', 'duration');
    const numbers = parseDistribution('uniform(-1.5, 2.5)', 'number');
    for (let i = 0; i < 50_000; i++) {
      const us = durations.sample(rng);
      expect(us >= SECOND && us <= 5 * SECOND).toBe(true);
      const x = numbers.sample(rng);
      expect(x >= -1.5 && x <= 2.5).toBe(true);
    }
  });

  it('keeps truncated normal samples within their bounds', () => {
    const rng = randomStream(1, 'test');
    const d = parseDistribution('normal(0, 1, -0.5, 2)', 'number');
    for (let i = 0; i < 50_000; i++) {
      const x = d.sample(rng);
      expect(x >= -0.5 && x <= 2).toBe(true);
    }
  });

  it.each([
    'const(0s)',
    'exp(1us)',
    'exp(2m)',
    'uniform(0s, 3us)',
    'lognormal(1us, 3)',
    'lognormal(1d, 8)', // overflows a float's exponent range: clamped, not Infinity
    'normal(0s, 1s)',
    'normal(1us, 10s)',
    'choice(0s: 1, 1.5us: 1)',
    'empirical(0.4us, 1h)',
  ])('%s samples integers >= 0', (text) => {
    const d = parseDistribution(text, 'duration');
    const rng = randomStream(1, 'test');
    for (let i = 0; i < 20_000; i++) {
      const us = d.sample(rng);
      expect(Number.isSafeInteger(us) && us >= 0 && !Object.is(us, -0)).toBe(true);
    }
  });

  it.each<[DistributionKind, string, number]>([
    ['duration', 'const(1s)', 0],
    ['duration', 'uniform(1s, 5s)', 1],
    ['duration', 'exp(2m)', 1],
    ['duration', 'lognormal(1s, 0.5)', 1],
    ['number', 'normal(0, 1)', 2],
    ['duration', 'choice(1s: 1, 5s: 3)', 1],
    ['duration', 'empirical(1s, 2s, 3s)', 1],
  ])('%s %s takes exactly %i draws per sample', (kind, text, draws) => {
    const d = parseDistribution(text, kind);
    const rng = counting(randomStream(1, 'test'));
    for (let i = 0; i < 1000; i++) d.sample(rng);
    expect(rng.draws).toBe(1000 * draws);
  });

  it('takes two draws per attempt when the normal is truncated', () => {
    const d = parseDistribution('normal(0, 1, 0, 1)', 'number'); // accepts about 34% of attempts
    const rng = counting(randomStream(1, 'test'));
    for (let i = 0; i < 1000; i++) d.sample(rng);
    expect(rng.draws % 2).toBe(0);
    expect(rng.draws / 2 / 1000).toBeCloseTo(1 / 0.3413, 0);
  });

  describe('maps scripted draws to samples as documented', () => {
    const script =
      (...draws: number[]): Rng =>
      () => {
        const u = draws.shift();
        if (u === undefined) throw new Error('sampler took more draws than scripted');
        return u;
      };

    it('uniform, exp, choice and empirical use the inverse CDF', () => {
      expect(parseDistribution('uniform(10, 20)', 'number').sample(script(0.25))).toBe(12.5);
      expect(parseDistribution('uniform(1s, 2s)', 'duration').sample(script(0.9999999))).toBe(2 * SECOND);
      expect(parseDistribution('exp(4)', 'number').sample(script(0.5))).toBe(-4 * Math.log(0.5));
      expect(parseDistribution('exp(1s)', 'duration').sample(script(0))).toBe(0);
      const choice = parseDistribution('choice(1: 1, 2: 2, 3: 1)', 'number');
      // Cumulative weights 1, 3, 4 out of 4: u < 0.25 -> 1, u < 0.75 -> 2, else 3.
      expect([0, 0.2499, 0.25, 0.7499, 0.75, 0.9999].map((u) => choice.sample(script(u)))).toEqual([1, 1, 2, 2, 3, 3]);
      const empirical = parseDistribution('empirical(5, 6, 7)', 'number');
      expect([0, 0.3333, 0.3334, 0.9999].map((u) => empirical.sample(script(u)))).toEqual([5, 5, 6, 7]);
    });

    it.each([
      // u, standard normal quantile (reference values)
      [0.5, 0],
      [0.975, 1.9599639845400536],
      [0.01, -2.3263478740408408],
      [0.02425, -1.9729610513118845], // at the edge of the tail approximation
      [0.99, 2.3263478740408408],
      [1e-10, -6.361340902404056],
    ])('lognormal maps u = %d through the normal quantile %d', (u, z) => {
      // With median 1 and sigma 1 the log of the sample is the quantile itself.
      const x = parseDistribution('lognormal(1, 1)', 'number').sample(script(u));
      expect(Math.abs(Math.log(x) - z)).toBeLessThan(1e-8 * Math.max(1, Math.abs(z)));
    });

    it('normal uses Box–Muller with the cosine variate, two draws per attempt', () => {
      const boxMuller = (u1: number, u2: number) => Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
      expect(parseDistribution('normal(10, 2)', 'number').sample(script(0.3, 0.1))).toBe(10 + 2 * boxMuller(0.3, 0.1));
      // The first attempt (cos(pi) < 0) falls below min 0 and is rejected; the second is kept.
      const truncated = parseDistribution('normal(0, 1, 0, 5)', 'number');
      expect(truncated.sample(script(0.3, 0.5, 0.3, 0.1))).toBe(boxMuller(0.3, 0.1));
    });
  });

  it('samples exp by inverse CDF from a single draw', () => {
    const u = randomStream(7, 'x')();
    const sample = parseDistribution('exp(2m)', 'duration').sample(randomStream(7, 'x'));
    expect(sample).toBe(Math.round(-120 * SECOND * Math.log(1 - u)));
  });

  it('is deterministic given the stream seed', () => {
    for (const text of ['exp(2m)', 'normal(1s, 1s)', 'lognormal(1s, 1)', 'choice(1s: 1, 2s: 2)', 'empirical(1s, 2s)']) {
      const d = parseDistribution(text, 'duration');
      const run = (seed: number) => {
        const rng = randomStream(seed, 'agent-1');
        return Array.from({ length: 200 }, () => d.sample(rng));
      };
      expect(run(42)).toEqual(run(42));
      expect(run(42)).not.toEqual(run(43));
    }
  });
});

describe('parseDistribution: properties', () => {
  // Fragments of the language, so random texts often get deep into the parser.
  const fragment = fc.constantFrom(
    ...DISTRIBUTION_FAMILIES,
    'expo',
    '(',
    ')',
    ',',
    ':',
    ' ',
    '1',
    '0',
    '-1',
    '2.5',
    '1e3',
    '1e999',
    '30s',
    '2m',
    '0s',
    '1m30s',
    '-5s',
    '30x',
    '.',
    'e',
    's',
    'NaN',
  );
  const arbitraryText = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.array(fragment, { maxLength: 12 }).map((parts) => parts.join('')),
  );

  it('throws nothing but ExpressionError, at a column inside the text', () => {
    fc.assert(
      fc.property(arbitraryText, fc.constantFrom<DistributionKind>('duration', 'number'), (text, kind) => {
        try {
          const d = parseDistribution(text, kind);
          // Whatever parses round-trips through its canonical text.
          expect(parseDistribution(d.text, kind).text).toBe(d.text);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          const { column } = error as ExpressionError;
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual(text.length + 1);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  // Valid expressions built from random parameters.
  const micros = fc.integer({ min: 1, max: 10 ** 12 });
  const duration = micros.map((us) => `${us}us`);
  const positive = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
  const validDuration = fc.oneof(
    duration,
    duration.map((x) => `const(${x})`),
    fc.tuple(micros, micros).map(([a, b]) => `uniform(${Math.min(a, b)}us, ${Math.max(a, b)}us)`),
    duration.map((x) => `exp(${x})`),
    fc.tuple(duration, fc.double({ min: 0.01, max: 3, noNaN: true })).map(([m, s]) => `lognormal(${m}, ${s})`),
    fc.tuple(duration, duration).map(([m, s]) => `normal(${m}, ${s})`),
    fc.array(fc.tuple(duration, positive), { minLength: 1, maxLength: 5 }).map((items) => `choice(${items.map(([v, w]) => `${v}: ${w}`).join(', ')})`),
    fc.array(duration, { minLength: 1, maxLength: 5 }).map((items) => `empirical(${items.join(',')})`),
  );

  it('round-trips valid expressions through their canonical text, with the same mean and samples', () => {
    fc.assert(
      fc.property(validDuration, fc.integer(), (text, seed) => {
        const d = parseDistribution(text, 'duration');
        const again = parseDistribution(d.text, 'duration');
        expect(again.text).toBe(d.text);
        expect(again.mean).toBe(d.mean);
        const a = randomStream(seed, 'p');
        const b = randomStream(seed, 'p');
        for (let i = 0; i < 5; i++) expect(again.sample(b)).toBe(d.sample(a));
      }),
      { numRuns: 1_000 },
    );
  });
});
