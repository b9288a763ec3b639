import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ExpressionError, formatDuration, parseDuration } from '../../../sim/engine/duration.ts';

const DURATION = 'a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day))';
const MISSING_UNIT = 'a unit after the number: us, ms, s (sec), m (min), h (hr) or d (day)';

/** Runs `f`, which must throw an ExpressionError, and returns that error. */
function expressionError(f: () => unknown): ExpressionError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    return error as ExpressionError;
  }
  throw new Error('expected an ExpressionError, but nothing was thrown');
}

describe('parseDuration', () => {
  it.each([
    ['250ms', 250_000],
    ['30s', 30_000_000],
    ['5m', 300_000_000],
    ['2h', 7_200_000_000],
    ['3d', 259_200_000_000],
    ['1.5s', 1_500_000],
    ['0s', 0],
    ['7us', 7],
    ['0.1s', 100_000], // exact decimal conversion, no 0.1 * 1e6 float error
    ['0.0015ms', 2], // 1.5us rounds half up
    ['0.0004ms', 0],
    ['0.0000005s', 1],
    ['007s', 7_000_000],
    ['1m30s', 90_000_000],
    ['1h0.5s', 3_600_500_000],
    ['1d2h3m4s5ms6us', 93_784_005_006],
    ['  30s\t', 30_000_000],
    ['9007199254740991us', Number.MAX_SAFE_INTEGER],
    ['104249d23h47m34.740991s', Number.MAX_SAFE_INTEGER],
  ])('%s is %i µs', (text, micros) => {
    expect(parseDuration(text)).toBe(micros);
  });

  it.each([
    // text, column, expected, found
    ['', 1, DURATION, ''],
    ['   ', 4, DURATION, ''],
    ['30', 1, MISSING_UNIT, '30'],
    ['1m30', 1, MISSING_UNIT, '1m30'],
    ['30x', 1, DURATION, '30x'],
    ['  30x', 3, DURATION, '30x'],
    ['30S', 1, DURATION, '30S'],
    ['30 s', 1, MISSING_UNIT, '30'],
    ['30s x', 5, 'end of input', 'x'],
    ['30s30s', 1, 'units from largest to smallest, each at most once, such as 1h30m', '30s30s'],
    ['30s1m', 1, 'units from largest to smallest, each at most once, such as 1h30m', '30s1m'],
    ['-5s', 1, 'a non-negative duration', '-5s'],
    ['+5s', 1, DURATION, '+5s'],
    ['.5s', 1, DURATION, '.5s'],
    ['5.s', 1, DURATION, '5.s'],
    ['1e3s', 1, DURATION, '1e3s'],
    ['NaN', 1, DURATION, 'NaN'],
    ['Infinity', 1, DURATION, 'Infinity'],
    ['9007199254740992us', 1, `a duration of at most ${Number.MAX_SAFE_INTEGER}us (about 104249 days)`, '9007199254740992us'],
    ['104250d', 1, `a duration of at most ${Number.MAX_SAFE_INTEGER}us (about 104249 days)`, '104250d'],
  ])('rejects %j at column %i', (text, column, expected, found) => {
    const error = expressionError(() => parseDuration(text));
    expect({ column: error.column, expected: error.expected, found: error.found }).toEqual({ column, expected, found });
  });

  it('writes messages that quote the offending text', () => {
    expect(expressionError(() => parseDuration('30x')).message).toBe(
      'expected a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day)), found "30x" at column 1',
    );
    expect(expressionError(() => parseDuration('')).message).toBe(
      'expected a duration such as 250ms, 30s, 5m, 2h or 3d (units: us, ms, s (sec), m (min), h (hr) or d (day)), found end of input at column 1',
    );
    expect(expressionError(() => parseDuration('1x')).name).toBe('ExpressionError');
  });

  it('reads n<unit> as exactly n times the unit', () => {
    const units = { us: 1, ms: 1_000, s: 1_000_000, m: 60_000_000, h: 3_600_000_000, d: 86_400_000_000 };
    fc.assert(
      fc.property(fc.nat(100_000), fc.constantFrom(...(Object.keys(units) as Array<keyof typeof units>)), (n, unit) => {
        expect(parseDuration(`${n}${unit}`)).toBe(n * units[unit]);
      }),
    );
  });

  it('throws only ExpressionError, with a column inside the text, on arbitrary input', () => {
    const arbitraryText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      // Mostly well-formed pieces, to reach the deeper checks.
      fc.array(fc.constantFrom('1', '0', '9', '.', '-', 'e', 'd', 'h', 'm', 's', 'ms', 'us', ' ', 'x'), { maxLength: 12 }).map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(arbitraryText, (text) => {
        try {
          const micros = parseDuration(text);
          expect(Number.isSafeInteger(micros) && micros >= 0).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(ExpressionError);
          const { column } = error as ExpressionError;
          expect(column).toBeGreaterThanOrEqual(1);
          expect(column).toBeLessThanOrEqual(text.length + 1);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [1, '1us'],
    [999, '999us'],
    [1_000, '1ms'],
    [1_500, '1.5ms'],
    [1_234, '1.234ms'],
    [250_000, '250ms'],
    [999_999, '999.999ms'],
    [1_000_000, '1s'],
    [1_500_000, '1.5s'],
    [1_000_001, '1.000001s'],
    [90_000_000, '1m30s'],
    [3_600_000_000, '1h'],
    [3_600_500_000, '1h0.5s'],
    [86_400_000_001, '1d0.000001s'],
    [259_200_000_000, '3d'],
    [Number.MAX_SAFE_INTEGER, '104249d23h47m34.740991s'],
  ])('%i µs is %s', (micros, text) => {
    expect(formatDuration(micros)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1])('rejects %d', (micros) => {
    expect(() => formatDuration(micros)).toThrow(RangeError);
  });

  it('round-trips through parseDuration for every safe integer', () => {
    const micros = fc.oneof(
      fc.maxSafeNat(),
      fc.nat(100_000_000),
      fc.nat(1_000_000).map((n) => n * 1000),
    );
    fc.assert(
      fc.property(micros, (x) => {
        expect(parseDuration(formatDuration(x))).toBe(x);
      }),
      { numRuns: 5_000 },
    );
  });
});
