import type { Row } from './database.ts';

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    const magnitude = Math.abs(value);
    return magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3) ? value.toExponential(3) : String(Number(value.toPrecision(4)));
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Rows as an aligned text table (numbers right-aligned, to 4 significant digits). */
export function formatTable(rows: readonly Row[], columns?: readonly string[]): string {
  if (rows.length === 0) return '  (no rows)';
  const names = columns ?? Object.keys(rows[0] as Row);
  const cells = rows.map((row) => names.map((name) => cell(row[name])));
  const numeric = names.map((name) => rows.every((row) => typeof row[name] === 'number' || row[name] === null));
  const widths = names.map((name, i) => Math.max(name.length, ...cells.map((line) => (line[i] as string).length)));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i] as number) : text.padEnd(widths[i] as number));
  return [names.map(pad), ...cells.map((line) => line.map(pad))].map((line) => `  ${line.join('  ').trimEnd()}`).join('\n');
}
