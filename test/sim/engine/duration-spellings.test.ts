import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { ExpressionError, parseDuration } from '../../../sim/engine/duration.ts';

describe('duration unit spellings', () => {
  it.each([
    ['2min', 120_000_000],
    ['2mins', 120_000_000],
    ['2minutes', 120_000_000],
    ['30sec', 30_000_000],
    ['30secs', 30_000_000],
    ['1second', 1_000_000],
    ['1hr', 3_600_000_000],
    ['2hrs', 7_200_000_000],
    ['1hour', 3_600_000_000],
    ['1day', 86_400_000_000],
    ['3days', 259_200_000_000],
    ['1hr30min', 5_400_000_000],
    ['1h30min15sec', 5_415_000_000],
  ])('%s means the same as its one-letter unit (%i µs)', (text, micros) => {
    expect(parseDuration(text)).toBe(micros);
  });

  it('canonicalises long spellings in distributions to the one-letter units', () => {
    expect(parseDistribution('exp(2min)', 'duration').text).toBe('exp(2m)');
    expect(parseDistribution('uniform(1sec, 1hr)', 'duration').text).toBe('uniform(1s, 1h)');
  });

  it('keeps the ordering rule across spellings (no minutes after seconds, no unit twice)', () => {
    expect(() => parseDuration('30sec1min')).toThrow(/units from largest to smallest/);
    expect(() => parseDuration('1m2min')).toThrow(/units from largest to smallest/);
  });

  it('names every accepted spelling when a unit is wrong or missing', () => {
    for (const text of ['2minz', '2M', '5']) {
      let error: unknown;
      try {
        parseDuration(text);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(ExpressionError);
      expect((error as ExpressionError).expected).toContain('us, ms, s (sec), m (min), h (hr) or d (day)');
    }
  });
});
