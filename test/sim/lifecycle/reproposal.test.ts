import { describe, expect, it } from 'vitest';
import { Reproposals } from '../../../sim/lifecycle/reproposal.ts';

describe('Reproposals (the PS side of terminate-and-re-propose)', () => {
  it('knows nothing of an agent whose mission no pause ended', () => {
    const reproposals = new Reproposals();
    expect(reproposals.state('a')).toBeUndefined();
    expect(reproposals.invite('a')).toBe(false);
  });

  it('a pause is pending until the person resumes; a second resume finds nothing pending', () => {
    const reproposals = new Reproposals();
    reproposals.paused('a');
    expect(reproposals.state('a')).toBe('paused');
    expect(reproposals.invite('a')).toBe(true);
    expect(reproposals.state('a')).toBe('resumed');
    expect(reproposals.invite('a')).toBe(false);
    reproposals.paused('a'); // a pause already resumed stays resumed until the agent re-proposes
    expect(reproposals.state('a')).toBe('resumed');
  });

  it('the re-proposal consumes it; a later pause starts afresh; pauses are per agent', () => {
    const reproposals = new Reproposals();
    reproposals.paused('a');
    reproposals.invite('a');
    reproposals.consumed('a');
    expect(reproposals.state('a')).toBeUndefined();
    reproposals.paused('a');
    expect(reproposals.state('a')).toBe('paused');
    expect(reproposals.invite('b')).toBe(false);
    expect(reproposals.invite('a')).toBe(true);
  });
});
