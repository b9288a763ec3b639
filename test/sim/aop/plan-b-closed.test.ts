import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MissionDesk } from '../../../sim/aop/mission-desk.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { trueIntents, World } from '../../../sim/world/world.ts';
import { SCENARIOS } from '../../helpers.ts';
import { type Event, runEvents } from '../../scenarios/run-events.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/**
 * A sub-goal that closed (its SACR revoked, its status forged) does no
 * Plan B work, whatever message about a Plan B arrives after it closed:
 * the holder's re-plan answer, the orchestrator's choice under chaining,
 * or the sub-agent's own "Plan B done" report. Every message below is
 * timed to arrive inside that window (a constant 1 s GEC round trip).
 */
const ONE_SECOND_LINK = 'orchestration.gec_latency=const(1s)';
const outcomeOf = (events: Event[], id: string) => {
  const close = events.find((e) => e.type === 'aop.mission_close') as Event;
  return (close.sub_goal_outcomes as Array<{ sub_goal_id: string; eod_outcome: string }>).find((o) => o.sub_goal_id === id)?.eod_outcome;
};
const of = (events: Event[], type: string, id: string) => events.filter((e) => e.type === type && e.sub_goal_id === id);

describe('no Plan B work for a sub-goal that already closed', () => {
  it("AOP: a SACR revoked while the orchestrator's re-plan answer is on its way: no Plan B, the sub-goal stays UNMATCHED", () => {
    // District 2 routing is AT_RISK at 246 s; the Local AI answers at 247 s, the Master AI at 248 s. Its agent is revoked at 247.5 s.
    const revoked = 'orchestration.revocations=[{trigger: R-3, at: 247500ms, agent: sim-ai-2r}]';
    const control = runEvents('emergency-three-tier', [ONE_SECOND_LINK]);
    expect(of(control, 'aop.sub_goal_at_risk', 'district2-routing')[0]?.t).toBe(246_000_000);
    expect(of(control, 'aop.replan_bounded_activated', 'district2-routing')[0]?.t).toBe(248_000_000);
    expect(outcomeOf(control, 'district2-routing')).toBe('PLAN_B_MATCHED');

    const events = runEvents('emergency-three-tier', [ONE_SECOND_LINK, revoked]);
    expect(of(events, 'aop.sub_goal_failed', 'district2-routing')[0]).toMatchObject({ t: 247_500_000, failure_reason: 'SACR revoked (R-3)' });
    // The Master AI's evaluation did arrive (and is logged), but nothing is activated for a closed sub-goal.
    expect(of(events, 'aop.replan_evaluated', 'district2-routing').map((e) => e.evaluation_outcome)).toEqual(['ESCALATED_TO_PARENT', 'PLAN_B']);
    expect(of(events, 'aop.replan_bounded_activated', 'district2-routing')).toEqual([]);
    expect(of(events, 'aop.sub_goal_plan_b_achieved', 'district2-routing')).toEqual([]);
    expect(outcomeOf(events, 'district2-routing')).toBe('UNMATCHED');
  });

  it("chaining: a status write that lands while the orchestrator's Plan B choice is on its way: the Plan B does not run", () => {
    // Under chaining District 2 routing is AT_RISK at 242.005 s; the orchestrator's choice arrives one round trip later.
    const chaining = ['orchestration.governance=chaining', ONE_SECOND_LINK];
    const control = runEvents('aop-attacks', [...chaining, 'orchestration.attacks=[]']);
    expect(of(control, 'aop.sub_goal_at_risk', 'district2-routing')[0]?.t).toBe(242_005_139);
    expect(outcomeOf(control, 'district2-routing')).toBe('PLAN_B_MATCHED');

    const forged = 'orchestration.attacks=[{kind: status_write, at: 241500ms, by: local-ai-2, sub_goal: district2-routing}]';
    const events = runEvents('aop-attacks', [...chaining, forged]);
    expect(of(events, 'aop.sub_goal_achieved', 'district2-routing').map((e) => e.t)).toEqual([242_500_000]);
    expect(of(events, 'aop.sub_goal_plan_b_achieved', 'district2-routing')).toEqual([]);
    expect(outcomeOf(events, 'district2-routing')).toBe('MATCHED');
  });

  it('a Plan B done report for a sub-goal already closed changes nothing (as a late work-done report does not)', () => {
    const { spec } = loadScenario(join(SCENARIOS, 'emergency-three-tier.yaml'), []);
    const sim = new Simulation();
    const sink = new RecordingSink();
    const world = new World(new WorldContext(sim, 1, sink, undefined, trueIntents(spec)), spec);
    sim.run(15 * 60e6);
    const desk = world.orchestration?.roles().desk as MissionDesk;
    expect(desk.closed).toBe(false);
    expect(desk.status.get('district1-routing')).toBe('MATCHED');
    const before = sink.count;
    desk.replanning.planBDone('district1-routing', 'static-routing-d2', 1);
    desk.achieve('district1-routing', 1);
    expect(desk.status.get('district1-routing')).toBe('MATCHED');
    expect(sink.events.slice(before)).toEqual([]);
  });
});
