/**
 * ISO 8601 times to integer microseconds since the Unix epoch and back. The
 * reference writes milliseconds (`toISOString`); a writer may give more
 * digits, and the exporter does (microseconds, the simulator's resolution),
 * so a round trip loses nothing. Epoch microseconds stay below 2^53.
 */
const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/;

export function isoToMicros(iso: string): number {
  const match = ISO.exec(iso);
  if (!match) throw new Error(`expected an ISO 8601 time, found ${JSON.stringify(iso)}`);
  const [, whole, fraction = '', zone] = match;
  const seconds = Date.parse(`${whole}${zone}`);
  const micros = Number(`${fraction}000000`.slice(0, 6));
  return seconds * 1000 + micros;
}

export function microsToIso(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const rest = micros - ms * 1000;
  const base = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return rest === 0 ? base : `${base.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}

/** JWT NumericDate (seconds, fractional allowed by RFC 7519) <-> epoch microseconds. */
export const microsToNumericDate = (micros: number): number => micros / 1e6;
export const numericDateToMicros = (seconds: number): number => Math.round(seconds * 1e6);
