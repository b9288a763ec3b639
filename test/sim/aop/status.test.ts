import { describe, expect, it } from 'vitest';
import { MissionPlan } from '../../../sim/aop/plan.ts';
import type { DependencyType, SubGoalDef } from '../../../sim/scenario/orchestration-schema.ts';
import { MissionStatus } from '../../../sim/aop/status.ts';

const goal = (id: string, extra: Partial<SubGoalDef> = {}): SubGoalDef => ({
  id,
  agent: `agent-${id}`,
  sacr: { scope: [] },
  eod: { outcome: id, fields: [] },
  ...extra,
});
const pair = (type: DependencyType) => new MissionStatus(new MissionPlan('p', [goal('a'), goal('b', { depends_on: [{ on: 'a', type }] })]));

describe('Mission Status', () => {
  it('SEQUENTIAL waits for the other to close achieved, by its primary outcome or its Plan B', () => {
    const status = pair('SEQUENTIAL');
    expect(status.readiness('a')).toEqual({ ready: true });
    status.set('a', 'OPEN');
    expect(status.readiness('b')).toEqual({ ready: false });
    status.set('a', 'PLAN_B_MATCHED');
    expect(status.readiness('b')).toEqual({ ready: true });
  });

  it('CONDITIONAL needs GOAL_ACHIEVED on the primary outcome; otherwise the sub-goal is skipped', () => {
    const achieved = pair('CONDITIONAL');
    achieved.set('a', 'MATCHED');
    expect(achieved.readiness('b')).toEqual({ ready: true });
    const planB = pair('CONDITIONAL');
    planB.set('a', 'PLAN_B_MATCHED');
    expect(planB.readiness('b')).toEqual({ ready: false, skip: 'CONDITIONAL a closed PLAN_B_MATCHED' });
  });

  it('PARALLEL only needs the other to have opened', () => {
    const status = pair('PARALLEL');
    expect(status.readiness('b')).toEqual({ ready: false });
    status.set('a', 'OPEN');
    expect(status.readiness('b')).toEqual({ ready: true });
  });

  it('a decomposed sub-goal rolls up its children, and the mission its sub-goals', () => {
    const status = new MissionStatus(new MissionPlan('p', [goal('d'), goal('r', { parent: 'd' }), goal('s', { parent: 'd' })]));
    expect(status.readiness('r')).toEqual({ ready: false });
    status.set('d', 'OPEN');
    expect(status.readiness('r')).toEqual({ ready: true });
    status.set('r', 'PLAN_B_MATCHED');
    expect(status.rollup('d')).toBeUndefined();
    status.set('s', 'UNMATCHED');
    expect(status.rollup('d')).toEqual({ outcome: 'PARTIAL', unmatched: ['s'] });
    status.set('d', 'PARTIAL');
    expect(status.isTerminal('d')).toBe(true);
    expect(status.overall(false)).toBe('PARTIAL');
    expect(status.overall(true)).toBe('ABORTED');
    expect(status.outcomes()).toEqual([
      { sub_goal_id: 'd', eod_outcome: 'PARTIAL' },
      { sub_goal_id: 'r', eod_outcome: 'PLAN_B_MATCHED' },
      { sub_goal_id: 's', eod_outcome: 'UNMATCHED' },
    ]);
  });

  it('no child achieved: UNMATCHED; every child achieved: MATCHED; a PARTIAL child makes its parent PARTIAL', () => {
    const plan = new MissionPlan('p', [
      goal('d'),
      goal('r', { parent: 'd' }),
      goal('s', { parent: 'd' }),
      goal('x', { depends_on: [{ on: 'd', type: 'SEQUENTIAL' }] }),
    ]);
    const status = new MissionStatus(plan);
    status.set('d', 'OPEN');
    status.set('r', 'UNMATCHED');
    status.set('s', 'SKIPPED');
    expect(status.rollup('d')).toEqual({ outcome: 'UNMATCHED', unmatched: ['r', 's'] });
    status.set('r', 'MATCHED');
    status.set('s', 'MATCHED');
    expect(status.rollup('d')).toEqual({ outcome: 'MATCHED' });
    status.set('s', 'PARTIAL');
    expect(status.rollup('d')).toEqual({ outcome: 'PARTIAL', unmatched: ['s'] });
    status.set('r', 'UNMATCHED');
    expect(status.rollup('d')).toEqual({ outcome: 'PARTIAL', unmatched: ['r', 's'] });
    // A PARTIAL sub-goal holds no SEQUENTIAL dependency (the simulator's reading; the draft is silent).
    status.set('d', 'PARTIAL');
    expect(status.readiness('x')).toEqual({ ready: false, skip: 'SEQUENTIAL d closed PARTIAL' });
  });
});
