import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { Reproposals } from '../../../sim/lifecycle/reproposal.ts';

describe('Reproposals (terminate-and-re-propose)', () => {
  it('has no invitation for an agent whose mission ended other than by a pause, and a resume then invites nobody', () => {
    const reproposals = new Reproposals(new Simulation());
    expect(reproposals.invitation('a')).toBeUndefined();
    expect(reproposals.invite('a')).toBe(false);
  });

  it('wakes the waiting agent at the time of the resume, once', () => {
    const sim = new Simulation();
    const reproposals = new Reproposals(sim);
    sim.schedule(100, () => reproposals.paused('a'));
    const heard: number[] = [];
    sim.schedule(200, () => reproposals.invitation('a')!.then(() => heard.push(sim.now)));
    const answers: boolean[] = [];
    sim.schedule(500, () => answers.push(reproposals.invite('a')));
    sim.schedule(600, () => answers.push(reproposals.invite('a'))); // a second resume: nothing pending
    sim.run();
    expect(heard).toEqual([500]);
    expect(answers).toEqual([true, false]);
  });

  it('an agent that notices only after the resume re-proposes at once; a second pause before that keeps the same invitation', () => {
    const sim = new Simulation();
    const reproposals = new Reproposals(sim);
    reproposals.paused('a');
    const first = reproposals.invitation('a');
    reproposals.paused('a');
    expect(reproposals.invitation('a')).toBe(first);
    expect(reproposals.invite('a')).toBe(true);
    expect(reproposals.invitation('a')?.fired).toBe(true);
  });

  it('after the new mission is proposed a later pause starts afresh', () => {
    const sim = new Simulation();
    const reproposals = new Reproposals(sim);
    reproposals.paused('a');
    reproposals.invite('a');
    reproposals.consumed('a');
    expect(reproposals.invitation('a')).toBeUndefined();
    reproposals.paused('a');
    expect(reproposals.invitation('a')?.fired).toBe(false);
    expect(reproposals.invite('b')).toBe(false); // invitations are per agent
    expect(reproposals.invite('a')).toBe(true);
  });
});
