/**
 * Durations on an axis or a legend: round tick values (1 s, 10 s, 1 min,
 * 1 h…) and labels that read as durations, so no chart shows "3600" for an
 * hour or ends its axis at an arbitrary number of seconds.
 */

/** Axis labels for seconds as durations: 45 s, 2 min, 1.5 h (vega expression). */
export const DURATION_LABEL =
  "datum.value == 0 ? '0' : abs(datum.value) < 90 ? format(datum.value, '~r') + ' s' : abs(datum.value) < 3600 ? format(datum.value / 60, '.2~r') + ' min' : format(datum.value / 3600, '.2~r') + ' h'";

/**
 * Tick values for a duration axis from 0 to at least `max` seconds on a
 * symlog scale: round durations (1 s, 10 s, 60 s, 10 min, 1 h…), not
 * 0/500/1000, ending at the first one at or above `max`, so the axis can
 * end there too (domain [0, last tick]).
 */
export function durationTicks(max: number): number[] {
  const candidates = [0, ...(max < 10 ? [0.1] : []), 1, 10, 60, 600, 3600, 6 * 3600, 86_400, 7 * 86_400];
  const end = candidates.findIndex((value) => value >= max);
  return candidates.slice(0, end < 0 ? candidates.length : Math.max(end + 1, 2));
}

/** Tick values for a linear duration axis from 0 to `max` seconds: a round step (10 s, 1 min, 5 min, 1 h…), at most 7 ticks. */
export function linearDurationTicks(max: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 4 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];
  const step = steps.find((candidate) => max / candidate <= 6) ?? Math.ceil(max / 6);
  const ticks: number[] = [];
  for (let value = 0; value <= max + 1e-9; value += step) ticks.push(value);
  return ticks;
}

/** The end of a duration axis: its last round tick. */
export function durationEnd(max: number): number {
  return durationTicks(max).at(-1) as number;
}
