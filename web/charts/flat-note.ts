/**
 * The rule behind every chart's note: values that are absent, all zero or
 * all equal would draw nothing or a misleading axis, so the chart is
 * replaced by a sentence that says so.
 */
import { significant } from '../format.ts';

/**
 * In words, why a chart of `values` would mislead, or null if it can be
 * drawn: no values, every value zero, or every value equal.
 */
export function flatNote(values: ReadonlyArray<unknown>, what: string, format: (value: number) => string = (value) => significant(value)): string | null {
  const numbers = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (numbers.length === 0) return `${what}: no value in these runs, so there is nothing to draw.`;
  const first = numbers[0] as number;
  if (numbers.every((value) => value === 0)) return `${what}: 0 for every design, so there is nothing to draw.`;
  if (numbers.length > 1 && numbers.every((value) => value === first)) return `${what}: ${format(first)} for every design, so there is nothing to compare.`;
  return null;
}
