import { describe, expect, it } from 'vitest';
import { findCycle, MissionPlan, planNodes } from '../../../sim/aop/plan.ts';
import type { SubGoalDef } from '../../../sim/scenario/orchestration-schema.ts';

const goal = (id: string, extra: Partial<SubGoalDef> = {}): SubGoalDef => ({
  id,
  agent: `agent-${id}`,
  sacr: { scope: [`X.${id}`] },
  eod: { outcome: id, fields: [`X.${id}`] },
  ...extra,
});

describe('Mission Plan DAG', () => {
  it('rejects a dependency cycle, naming its path', () => {
    const defs = [
      goal('a', { depends_on: [{ on: 'c', type: 'SEQUENTIAL' }] }),
      goal('b', { depends_on: [{ on: 'a', type: 'CONDITIONAL' }] }),
      goal('c', { depends_on: [{ on: 'b', type: 'SEQUENTIAL' }] }),
    ];
    expect(findCycle(planNodes(defs))).toEqual(['a', 'b', 'c', 'a']);
    expect(() => new MissionPlan('p', defs)).toThrow('the Mission Plan has a cycle: a -> b -> c -> a');
  });

  it('a sub-goal that waits for the one it decomposes can never start: a cycle', () => {
    const defs = [goal('p'), goal('c', { parent: 'p', depends_on: [{ on: 'p', type: 'SEQUENTIAL' }] })];
    expect(findCycle(planNodes(defs))).toEqual(['p', 'c', 'p']);
  });

  it('PARALLEL edges constrain starts only: starting with the parent is no cycle', () => {
    const defs = [goal('p'), goal('c', { parent: 'p', depends_on: [{ on: 'p', type: 'PARALLEL' }] })];
    expect(findCycle(planNodes(defs))).toBeUndefined();
    const mutual = [goal('a', { depends_on: [{ on: 'b', type: 'PARALLEL' }] }), goal('b', { depends_on: [{ on: 'a', type: 'PARALLEL' }] })];
    expect(findCycle(planNodes(mutual))).toEqual(['a', 'b', 'a']);
  });

  it('finds the critical path over expected durations, through decomposed sub-goals', () => {
    const plan = new MissionPlan('p', [
      goal('quote-a', { duration: 'const(10m)' }),
      goal('quote-b', { duration: 'exp(30m)', depends_on: [{ on: 'quote-a', type: 'PARALLEL' }] }),
      goal('select', {
        duration: 'const(2m)',
        depends_on: [
          { on: 'quote-a', type: 'SEQUENTIAL' },
          { on: 'quote-b', type: 'SEQUENTIAL' },
        ],
      }),
      goal('district'),
      goal('routing', { parent: 'district', duration: 'const(40m)' }),
    ]);
    expect(plan.critical.path).toEqual(['district', 'routing']);
    expect(plan.critical.lengthUs).toBe(40 * 60e6);
    expect(plan.critical.expectedFinishUs.get('select')).toBe(32 * 60e6);
    expect(plan.node('district').expectedUs).toBe(0);
  });

  it('changes only as versioned updates, each with a new hash; never for a node outside the plan', () => {
    const plan = new MissionPlan('p', [goal('a'), goal('b')]);
    const first = plan.hash();
    expect(plan.version).toBe(1);
    expect(plan.update({ sub_goal_id: 'a', change: 'PLAN_B_ACTIVATED', ref: 'static' })).toBe(2);
    expect(plan.hash()).not.toBe(first);
    expect(() => plan.update({ sub_goal_id: 'ghost', change: 'NEW_EOD', ref: 'x' })).toThrow('no sub-goal ghost');
    expect(plan.version).toBe(2);
  });

  it("knows each sub-goal's ancestors, nearest first", () => {
    const plan = new MissionPlan('p', [goal('top'), goal('mid', { parent: 'top' }), goal('leaf', { parent: 'mid' })]);
    expect(plan.ancestors('leaf')).toEqual(['mid', 'top']);
    expect(plan.node('top').children).toEqual(['mid']);
  });
});
