/**
 * A person's working hours in simulated time. t=0 is 2026-01-01 (a
 * Thursday, the day simulatedInstant uses) at the scenario's clock_origin,
 * so "09:00-17:00, mon-fri" means the same instants in every run: pure
 * arithmetic on integer microseconds, no Date, no time zone.
 */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Day 0 (2026-01-01) is a Thursday. */
const FIRST_WEEKDAY = 3;
const MINUTE = 60_000_000;
const DAY = 24 * 60 * MINUTE;

/** `HH:MM-HH:MM`, start before end (hours do not span midnight). */
export const HOURS_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-4]):[0-5][0-9]$';
/** Days: `mon-fri`, `sat,sun`, `mon,wed-fri`; a range may wrap (`fri-mon`). */
export const DAYS_PATTERN = '^(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?(,(mon|tue|wed|thu|fri|sat|sun)(-(mon|tue|wed|thu|fri|sat|sun))?)*$';

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The start and end minute of a day of `HH:MM-HH:MM` (already matched by HOURS_PATTERN). */
export function parseHours(hours: string): { start: number; end: number } {
  const [from = '', to = ''] = hours.split('-');
  return { start: minutes(from), end: minutes(to) };
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

export class Availability {
  private readonly start: number;
  private readonly end: number;
  private readonly days: Set<number>;
  /** Microseconds from midnight of day 0 to t=0. */
  private readonly offset: number;

  constructor(hours: string, days: string, clockOrigin: string) {
    const parsed = parseHours(hours);
    this.start = parsed.start * MINUTE;
    this.end = parsed.end * MINUTE;
    this.days = parseDays(days);
    this.offset = minutes(clockOrigin) * MINUTE;
  }

  /** The first instant at or after t when the person is at work. */
  nextAvailable(t: number): number {
    const wall = t + this.offset;
    const day = Math.floor(wall / DAY);
    // At most a week ahead: some day of the week is a working day (the pattern needs one).
    for (let d = day; d <= day + 7; d++) {
      if (!this.days.has((FIRST_WEEKDAY + d) % 7)) continue;
      const opens = d * DAY + this.start;
      const closes = d * DAY + this.end;
      if (wall < closes) return Math.max(wall, opens) - this.offset;
    }
    throw new Error('availability without a working day');
  }
}
