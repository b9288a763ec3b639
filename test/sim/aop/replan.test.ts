import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { endorseEod } from '../../../sim/aop/eod.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { trueIntents, World } from '../../../sim/world/world.ts';
import { SCENARIOS } from '../../helpers.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/**
 * Re-planning authority (seed 003 sections 3.4 and 10) on the path the
 * simulator runs: the GEC asks each orchestrating agent above the at-risk
 * sub-goal in turn (gec-replanning.ts), each answers from the SACR and EOD
 * the GEC sent it (aop-agent.ts), and what each answered is the log's
 * ALE-051. emergency-three-tier: district2-routing (under Local AI 2,
 * under the Master AI) goes AT_RISK with `road_data_unavailable`; the
 * mission EOD holds the Plan B `static-routing-d2` for it, for that
 * condition only.
 */
function replan(overrides: string[]): { evaluations: string[]; activated: Array<Record<string, unknown> | undefined>; escalated: number } {
  const { spec } = loadScenario(join(SCENARIOS, 'emergency-three-tier.yaml'), overrides);
  const sim = new Simulation();
  const sink = new RecordingSink();
  const world = new World(new WorldContext(sim, 1, sink, undefined, trueIntents(spec)), spec);
  sim.run(2 * 3600e6); // the scenario's 2h
  world.finish();
  return {
    evaluations: sink
      .ofType('aop.replan_evaluated')
      .map((e) => `${e.actor} ${e.fields?.sub_goal_id} ${e.fields?.replan_authority}: ${e.fields?.evaluation_outcome}`),
    activated: sink.ofType('aop.replan_bounded_activated').map((e) => ({ actor: e.actor, ...e.fields })),
    escalated: sink.ofType('aop.replan_escalated').length,
  };
}

const LOCAL = 'agent:local-ai-2 district2-routing';
const MASTER = 'agent:master-ai district2-routing';
const reason = (r: string) => `orchestration.sub_goals[district2-routing].fault.reason=${r}`;
const localAuthority = (a: string) => `orchestration.sub_goals[district2].sacr.replan_authority=${a}`;
const masterAuthority = (a: string) => `orchestration.orchestrator.replan_authority=${a}`;

describe('re-planning authority, as the GEC asks each holder in turn', () => {
  it('NONE passes it up; BOUNDED activates a Plan B whose conditions cover the trigger', () => {
    const { evaluations, activated, escalated } = replan([]);
    expect(evaluations).toEqual([`${LOCAL} NONE: ESCALATED_TO_PARENT`, `${MASTER} BOUNDED: PLAN_B`]);
    expect(activated).toEqual([
      expect.objectContaining({ actor: 'agent:master-ai', plan_b_id: 'static-routing-d2', activation_conditions_met: ['road_data_unavailable'] }),
    ]);
    expect(escalated).toBe(0);
  });

  it('BOUNDED cannot use a Plan B for a condition it was not declared for: escalated to HEM', () => {
    const { evaluations, activated, escalated } = replan([localAuthority('BOUNDED'), reason('sensor_mismatch')]);
    expect(evaluations).toEqual([`${LOCAL} BOUNDED: ESCALATED_TO_PARENT`, `${MASTER} BOUNDED: ESCALATED_TO_HEM`]);
    expect(activated).toEqual([]);
    expect(escalated).toBe(1);
  });

  it('AUTONOMOUS may use its Plan B for the sub-goal whatever the condition (none of its conditions met)', () => {
    const { evaluations, activated } = replan([masterAuthority('AUTONOMOUS'), reason('sensor_mismatch')]);
    expect(evaluations).toEqual([`${LOCAL} NONE: ESCALATED_TO_PARENT`, `${MASTER} AUTONOMOUS: PLAN_B`]);
    expect(activated).toEqual([expect.objectContaining({ plan_b_id: 'static-routing-d2', activation_conditions_met: [], replan_authority: 'AUTONOMOUS' })]);
  });

  it('a holder re-plans from its own EOD: a Plan B in the Local AI’s sub-goal EOD is activated by the Local AI, not passed up', () => {
    const localPlanB =
      'orchestration.sub_goals[district2].eod.plan_b=[{id: local-routing-d2, replaces: district2-routing, conditions: [road_data_unavailable], spo: {kind: local_routing}, duration: exp(3m)}]';
    const { evaluations, activated } = replan([localAuthority('BOUNDED'), localPlanB]);
    expect(evaluations).toEqual([`${LOCAL} BOUNDED: PLAN_B`]);
    expect(activated).toEqual([expect.objectContaining({ actor: 'agent:local-ai-2', plan_b_id: 'local-routing-d2' })]);
    // The same Plan B with the Local AI at NONE: it has the Plan B but not the authority; the Master AI's own applies.
    expect(replan([localPlanB]).activated).toEqual([expect.objectContaining({ actor: 'agent:master-ai', plan_b_id: 'static-routing-d2' })]);
  });

  it('a Plan B for another sub-goal never applies; NONE at the top escalates to HEM', () => {
    const district3 = [
      'orchestration.sub_goals[district2-routing].fault.after=const(3h)', // past its work: no fault
      'orchestration.sub_goals[district3-routing].fault={after: const(4m), kind: at_risk, reason: road_data_unavailable}',
    ];
    const other = replan([masterAuthority('AUTONOMOUS'), ...district3]);
    expect(other.evaluations).toEqual([
      'agent:local-ai-3 district3-routing NONE: ESCALATED_TO_PARENT',
      'agent:master-ai district3-routing AUTONOMOUS: ESCALATED_TO_HEM',
    ]);
    expect(other.activated).toEqual([]);
    expect(replan([masterAuthority('NONE')]).evaluations).toEqual([`${LOCAL} NONE: ESCALATED_TO_PARENT`, `${MASTER} NONE: ESCALATED_TO_HEM`]);
  });
});

describe('the Standing Plan Object hash', () => {
  it('is recorded at endorsement: a changed Standing Plan Object hashes differently', () => {
    const staticRouting = { id: 'static-routing', replaces: 'routing', conditions: ['road_data_unavailable'], spo: { routes: ['R7'] } };
    const missionEod = endorseEod({ outcome: 'evacuate', fields: ['D1.routing'], plan_b: [staticRouting] }, null);
    const tampered = endorseEod({ outcome: 'evacuate', fields: ['D1.routing'], plan_b: [{ ...staticRouting, spo: { routes: ['R7'], exec: 'x' } }] }, null);
    expect(missionEod.planB[0]?.spoHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tampered.planB[0]?.spoHash).not.toBe(missionEod.planB[0]?.spoHash);
    expect(tampered.eod_hash).not.toBe(missionEod.eod_hash);
  });
});
