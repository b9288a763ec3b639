/**
 * Duration literals in scenario files, such as `250ms`, `30s`, `1.5s` or
 * `1m30s`, converted to the simulator's integer microseconds.
 *
 *   duration := segment+          (units strictly largest first: 1h30m, 2m0.5s)
 *   segment  := digits ['.' digits] unit
 *   unit     := 'd' | 'h' | 'm' | 's' | 'ms' | 'us'
 *               (also spelled day/days, hr/hrs/hour/hours, min/mins/minute/minutes,
 *               sec/secs/second/seconds: they mean the same unit)
 *
 * There is no sign and no exponent: a negative duration is always a mistake
 * and `1e3s` is more likely a typo than a wish. Units are case-sensitive
 * because `m` (minute) and `M` would otherwise be easy to confuse.
 *
 * The digits are converted exactly (BigInt decimal arithmetic, no binary
 * floating point in between) and the total is rounded half-up to the nearest
 * microsecond, so `0.1s` is exactly 100000 and the result never depends on
 * how a float happened to round.
 *
 * formatDuration writes the inverse, compact form (see there), so
 * parseDuration(formatDuration(x)) === x for every safe integer x >= 0.
 */

/**
 * A malformed duration or distribution expression. `column` is 1-based within
 * the expression text; `found` is the offending text ('' at end of input).
 */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';

  constructor(
    readonly expected: string,
    readonly found: string,
    readonly column: number,
  ) {
    const shown = found === '' ? 'end of input' : JSON.stringify(found);
    super(`expected ${expected}, found ${shown} at column ${column}`);
  }
}

// Every spelling a unit may take, said whenever a duration is wrong.
const UNIT_SPELLINGS = 'us, ms, s (sec), m (min), h (hr) or d (day)';
export const DURATION_EXPECTED = `a duration such as 250ms, 30s, 5m, 2h or 3d (units: ${UNIT_SPELLINGS})`;
const MISSING_UNIT = `a unit after the number: ${UNIT_SPELLINGS}`;
const NON_NEGATIVE = 'a non-negative duration';
const UNIT_ORDER = 'units from largest to smallest, each at most once, such as 1h30m';
const TOO_LARGE = `a duration of at most ${Number.MAX_SAFE_INTEGER}us (about 104249 days)`;

// Largest first: a segment's index here is its rank for the ordering rule.
const UNITS = [
  ['d', 86_400_000_000],
  ['h', 3_600_000_000],
  ['m', 60_000_000],
  ['s', 1_000_000],
  ['ms', 1_000],
  ['us', 1],
] as const;
const UNIT_NAMES: readonly string[] = UNITS.map(([name]) => name);
// Longer spellings people write; each maps to its unit's rank in UNITS.
const UNIT_ALIASES: ReadonlyMap<string, number> = new Map([
  ...['day', 'days'].map((name) => [name, 0] as const),
  ...['hr', 'hrs', 'hour', 'hours'].map((name) => [name, 1] as const),
  ...['min', 'mins', 'minute', 'minutes'].map((name) => [name, 2] as const),
  ...['sec', 'secs', 'second', 'seconds'].map((name) => [name, 3] as const),
]);
const UNIT_MICROS: readonly bigint[] = UNITS.map(([, micros]) => BigInt(micros));
const MAX_MICROS = BigInt(Number.MAX_SAFE_INTEGER);

const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isLetter = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
const isSpace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';

/** Parses a duration such as `250ms` or `1m30s` into integer microseconds. */
export function parseDuration(text: string): number {
  let start = 0;
  while (start < text.length && isSpace(text.charAt(start))) start++;
  let end = start;
  while (end < text.length && !isSpace(text.charAt(end))) end++;
  const micros = durationLiteral(text.slice(start, end), start + 1);

  let rest = end;
  while (rest < text.length && isSpace(text.charAt(rest))) rest++;
  if (rest < text.length) {
    let restEnd = rest;
    while (restEnd < text.length && !isSpace(text.charAt(restEnd))) restEnd++;
    throw new ExpressionError('end of input', text.slice(rest, restEnd), rest + 1);
  }
  return micros;
}

/**
 * Converts one whole duration literal (no surrounding text) to microseconds.
 * Errors quote the whole literal at `column`, where it starts in the larger
 * expression; the distribution parser calls this for each duration argument.
 */
export function durationLiteral(lexeme: string, column: number): number {
  const fail = (expected: string) => new ExpressionError(expected, lexeme, column);
  if (lexeme === '') throw fail(DURATION_EXPECTED);
  if (lexeme.startsWith('-')) throw fail(NON_NEGATIVE);

  // The running total is numerator / denominator microseconds, with the
  // denominator the largest power of ten any segment's fraction needed.
  let numerator = 0n;
  let denominator = 1n;
  let lastRank = -1;
  let pos = 0;
  while (pos < lexeme.length) {
    const intStart = pos;
    while (isDigit(lexeme.charAt(pos))) pos++;
    if (pos === intStart) throw fail(DURATION_EXPECTED);
    let digits = lexeme.slice(intStart, pos);
    let fractionDigits = 0;
    if (lexeme.charAt(pos) === '.') {
      const fractionStart = ++pos;
      while (isDigit(lexeme.charAt(pos))) pos++;
      if (pos === fractionStart) throw fail(DURATION_EXPECTED);
      digits += lexeme.slice(fractionStart, pos);
      fractionDigits = pos - fractionStart;
    }

    const unitStart = pos;
    while (isLetter(lexeme.charAt(pos))) pos++;
    const unit = lexeme.slice(unitStart, pos);
    if (unit === '') throw fail(pos === lexeme.length ? MISSING_UNIT : DURATION_EXPECTED);
    const rank = UNIT_ALIASES.get(unit) ?? UNIT_NAMES.indexOf(unit);
    if (rank < 0) throw fail(DURATION_EXPECTED);
    if (rank <= lastRank) throw fail(UNIT_ORDER);
    lastRank = rank;

    const segmentDenominator = 10n ** BigInt(fractionDigits);
    if (segmentDenominator > denominator) {
      numerator *= segmentDenominator / denominator;
      denominator = segmentDenominator;
    }
    numerator += BigInt(digits) * UNIT_MICROS[rank]! * (denominator / segmentDenominator);
  }

  const micros = (2n * numerator + denominator) / (2n * denominator); // round half up
  if (micros > MAX_MICROS) throw fail(TOO_LARGE);
  return Number(micros);
}

/**
 * Compact form of a non-negative integer number of microseconds:
 * - 0 is `0s`;
 * - below one second, a single unit: `999us`, `250ms`, `1.5ms`;
 * - from one second up, whole days, hours and minutes followed by seconds
 *   with up to six decimals, omitting zero parts: `1.5s`, `1m30s`, `2h`,
 *   `1d0.000001s`.
 * Every form is exact and parseDuration reads it back to the same integer.
 */
export function formatDuration(us: number): string {
  if (!Number.isSafeInteger(us) || us < 0) {
    throw new RangeError(`formatDuration needs a non-negative safe integer, got ${us}`);
  }
  if (us === 0) return '0s';
  if (us < 1_000) return `${us}us`;
  if (us < 1_000_000) return `${decimal(us, 1_000, 3)}ms`;

  let text = '';
  let rest = us;
  for (const [name, micros] of UNITS.slice(0, 3)) {
    const whole = Math.floor(rest / micros);
    if (whole > 0) text += `${whole}${name}`;
    rest -= whole * micros;
  }
  if (rest > 0) text += `${decimal(rest, 1_000_000, 6)}s`;
  return text;
}

/** `value / unit` written exactly, without trailing zeros in the fraction. */
function decimal(value: number, unit: number, places: number): string {
  const whole = Math.floor(value / unit);
  const fraction = value - whole * unit;
  if (fraction === 0) return String(whole);
  let digits = String(fraction).padStart(places, '0');
  while (digits.endsWith('0')) digits = digits.slice(0, -1);
  return `${whole}.${digits}`;
}
