import { describe, expect, it } from 'vitest';
import { endorseEod } from '../../../sim/aop/eod.ts';
import { evaluateReplan, type ReplanHolder } from '../../../sim/aop/replan.ts';
import type { ReplanAuthority } from '../../../sim/scenario/orchestration-schema.ts';

const staticRouting = { id: 'static-routing', replaces: 'routing', conditions: ['road_data_unavailable'], spo: { routes: ['R7'] } };
const missionEod = endorseEod({ outcome: 'evacuate', fields: ['D1.routing'], plan_b: [staticRouting] }, null);
const localEod = endorseEod({ outcome: 'district 1', fields: ['D1.routing'] }, 'district1');
const holders = (local: ReplanAuthority, master: ReplanAuthority): ReplanHolder[] => [
  { agent: 'local', sub_goal_id: 'district1', authority: local, eod: localEod },
  { agent: 'master', sub_goal_id: null, authority: master, eod: missionEod },
];
const outcomes = (steps: ReturnType<typeof evaluateReplan>) => steps.map((s) => `${s.holder.agent}:${s.outcome}`);

describe('re-planning authority', () => {
  it('NONE passes it up; BOUNDED activates a Plan B whose conditions cover the trigger', () => {
    const steps = evaluateReplan('routing', 'road_data_unavailable', holders('NONE', 'BOUNDED'));
    expect(outcomes(steps)).toEqual(['local:ESCALATED_TO_PARENT', 'master:PLAN_B']);
    expect(steps[1]?.planB?.def.id).toBe('static-routing');
    expect(steps[1]?.conditionsMet).toEqual(['road_data_unavailable']);
  });

  it('BOUNDED cannot use a Plan B for a condition it was not declared for: escalated to HEM', () => {
    expect(outcomes(evaluateReplan('routing', 'sensor_mismatch', holders('BOUNDED', 'BOUNDED')))).toEqual([
      'local:ESCALATED_TO_PARENT',
      'master:ESCALATED_TO_HEM',
    ]);
  });

  it('AUTONOMOUS may use its Plan B for the sub-goal whatever the condition', () => {
    expect(outcomes(evaluateReplan('routing', 'sensor_mismatch', holders('NONE', 'AUTONOMOUS')))).toEqual(['local:ESCALATED_TO_PARENT', 'master:PLAN_B']);
  });

  it('a Plan B for another sub-goal never applies; NONE at the top escalates to HEM', () => {
    expect(outcomes(evaluateReplan('shelter', 'road_data_unavailable', holders('NONE', 'AUTONOMOUS')))).toEqual([
      'local:ESCALATED_TO_PARENT',
      'master:ESCALATED_TO_HEM',
    ]);
    expect(outcomes(evaluateReplan('routing', 'road_data_unavailable', holders('NONE', 'NONE')))).toEqual([
      'local:ESCALATED_TO_PARENT',
      'master:ESCALATED_TO_HEM',
    ]);
  });

  it('records the SPO hash at endorsement: a changed Standing Plan Object hashes differently', () => {
    const tampered = endorseEod({ outcome: 'evacuate', fields: ['D1.routing'], plan_b: [{ ...staticRouting, spo: { routes: ['R7'], exec: 'x' } }] }, null);
    expect(missionEod.planB[0]?.spoHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tampered.planB[0]?.spoHash).not.toBe(missionEod.planB[0]?.spoHash);
    expect(tampered.eod_hash).not.toBe(missionEod.eod_hash);
  });
});
