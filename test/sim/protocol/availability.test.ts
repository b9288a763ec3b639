import { describe, expect, it } from 'vitest';
import { Availability } from '../../../sim/protocol/availability.ts';
import { parseDays } from '../../../sim/scenario/working-hours.ts';

const H = 3_600_000_000;

describe('person availability', () => {
  it('reads day lists and wrapping ranges (0 = Monday)', () => {
    expect([...parseDays('mon-fri')].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...parseDays('fri-mon')].sort()).toEqual([0, 4, 5, 6]);
    expect([...parseDays('sat,sun')].sort()).toEqual([5, 6]);
  });

  it('waits for the start of hours, and over a weekend (t=0 is Thursday 2026-01-01)', () => {
    const hours = new Availability('09:00-17:00', 'mon-fri', '07:00');
    expect(hours.nextAvailable(0)).toBe(2 * H); // Thursday 07:00 -> 09:00
    expect(hours.nextAvailable(3 * H)).toBe(3 * H); // Thursday 10:00: at work
    expect(hours.nextAvailable(10 * H)).toBe(26 * H); // Thursday 17:00 -> Friday 09:00
    expect(hours.nextAvailable(34 * H)).toBe(98 * H); // Friday 17:00 -> Monday 09:00
  });
});
