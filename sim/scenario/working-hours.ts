/**
 * A person's working hours as a scenario writes them (`HH:MM-HH:MM`, day
 * ranges): the patterns the schema checks and their parsers. The simulated
 * calendar they are laid on is sim/protocol/availability.ts.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** `HH:MM-HH:MM`, start before end (hours do not span midnight). */
export const HOURS_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$';
/** Days: `mon-fri`, `sat,sun`, `mon,wed-fri`; a range may wrap (`fri-mon`). */
export const DAYS_PATTERN =
  '^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$';

/** The minute of the day of `HH:MM`. */
export const minutesOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The start and end minute of a day of `HH:MM-HH:MM` (already matched by HOURS_PATTERN). */
export function parseHours(hours: string): { start: number; end: number } {
  const [from = '', to = ''] = hours.split('-');
  return { start: minutesOfDay(from), end: minutesOfDay(to) };
}

/** The weekdays (0 = Monday) of a DAYS_PATTERN string. */
export function parseDays(days: string): Set<number> {
  const set = new Set<number>();
  for (const part of days.split(',')) {
    const [from = '', to = from] = part.split('-');
    const start = WEEKDAYS.indexOf(from as (typeof WEEKDAYS)[number]);
    const end = WEEKDAYS.indexOf(to as (typeof WEEKDAYS)[number]);
    for (let day = start; ; day = (day + 1) % 7) {
      set.add(day);
      if (day === end) break;
    }
  }
  return set;
}
