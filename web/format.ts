/**
 * Numbers as a reader reads them, with units: durations in s/min/h, rates
 * per second, counts as integers, times as clock times. One definition for
 * the dashboard, the report, the notebooks and the CLI (no imports, so all
 * of them can load this file).
 */

/** Up to `digits` significant digits, no trailing zeros, no exponent for everyday sizes. */
export function significant(value: number, digits = 3): string {
  if (value === 0) return '0';
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(digits));
  const magnitude = Math.abs(rounded);
  if (magnitude >= 1e-4 && magnitude < 1e15) {
    // toLocaleString keeps 0.000123 from becoming 1.23e-4 and groups thousands.
    return rounded.toLocaleString('en-US', { maximumSignificantDigits: digits, useGrouping: magnitude >= 10_000 });
  }
  return rounded.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

/** A duration given in seconds: "0.25 s", "42 s", "3.5 min", "2.1 h", "1.5 d". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return '–';
  const magnitude = Math.abs(seconds);
  if (magnitude < 90) return `${significant(seconds)} s`;
  if (magnitude < 3600) return `${significant(seconds / 60)} min`;
  if (magnitude < 48 * 3600) return `${significant(seconds / 3600)} h`;
  return `${significant(seconds / 86_400)} d`;
}

/** Requests (or events) per second: "0.0391 req/s". */
export function formatRate(perSecond: number | null | undefined, unit = 'req/s'): string {
  if (perSecond === null || perSecond === undefined || Number.isNaN(perSecond)) return '–';
  return `${significant(perSecond)} ${unit}`;
}

/** A simulated time in microseconds since the run started, as a clock time: "00:03:12.450" (with "+1d " past a day). */
export function formatClock(microseconds: number): string {
  const totalMs = Math.round(microseconds / 1000);
  const days = Math.floor(totalMs / 86_400_000);
  const ms = totalMs % 86_400_000;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const clock = `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
  return days > 0 ? `+${days}d ${clock}` : clock;
}

/** Simulated time t (µs) as a wall-clock time on a day whose t = 0 is `origin` (HH:MM): "09:03:12.450". */
export function formatWallClock(origin: string, microseconds: number): string {
  const [hours = 0, minutes = 0] = origin.split(':').map(Number);
  return formatClock(microseconds + (hours * 60 + minutes) * 60e6);
}

/** How a column's values read, from its name: `_s` durations, `_rps` rates, counts, the rest as they are. */
export type ColumnKind = 'duration' | 'rate' | 'number' | 'text';

export function columnKind(column: string): ColumnKind {
  if (/(_s|_seconds)$/.test(column) || /_s_/.test(column)) return 'duration';
  if (/_rps$/.test(column)) return 'rate';
  return 'number';
}

/** One table cell: numbers by their column's kind, booleans as yes/no, nothing as "–". */
export function formatCell(column: string, value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') {
    const kind = columnKind(column);
    if (kind === 'duration') return formatDuration(value);
    if (kind === 'rate') return formatRate(value);
    return Number.isInteger(value) ? value.toLocaleString('en-US', { useGrouping: Math.abs(value) >= 10_000 }) : significant(value, 4);
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A column name as a heading: "p99_stop_s" -> "p99 stop" (the cells carry the unit). */
export function columnTitle(column: string): string {
  return column
    .replace(/_ci95$/, ' 95% CI')
    .replace(/_(s|rps)$/, '')
    .replace(/_/g, ' ');
}
