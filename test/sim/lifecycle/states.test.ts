import { describe, expect, it } from 'vitest';
import { drains, endedRefusal, isEnded, R11_REASON } from '../../../sim/lifecycle/states.ts';

describe('mission end states', () => {
  it('knows the four endings and nothing else as ended', () => {
    for (const state of ['terminated', 'completed', 'cancelled', 'timed-out']) expect(isEnded(state)).toBe(true);
    for (const state of ['pending', 'active', 'suspended', 'refused', 'Terminated', '']) expect(isEnded(state)).toBe(false);
  });

  it('lets outstanding tokens drain only after completion or a time-out', () => {
    expect(drains('completed')).toBe(true);
    expect(drains('timed-out')).toBe(true);
    expect(drains('terminated')).toBe(false);
    expect(drains('cancelled')).toBe(false);
    expect(drains('active')).toBe(false);
  });

  it('refuses new tokens naming the ending, and maps rich endings to r11 termination reasons', () => {
    expect(endedRefusal('terminated')).toBe('mission terminated');
    expect(endedRefusal('timed-out')).toBe('mission timed-out');
    expect(R11_REASON).toEqual({ completed: 'completed', cancelled: 'revoked', 'timed-out': 'expired' });
  });
});
