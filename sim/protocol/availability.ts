import { minutesOfDay, parseDays, parseHours } from '../scenario/working-hours.ts';

/** Day 0 (2026-01-01) is a Thursday. */
const FIRST_WEEKDAY = 3;
const MINUTE = 60_000_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A person's working hours in simulated time. t=0 is 2026-01-01 (a
 * Thursday, the day simulatedInstant uses) at the scenario's clock_origin,
 * so "09:00-17:00, mon-fri" means the same instants in every run: pure
 * arithmetic on integer microseconds, no Date, no time zone.
 */
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
    this.offset = minutesOfDay(clockOrigin) * MINUTE;
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
