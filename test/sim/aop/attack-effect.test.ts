import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AttackOutcome } from '../../../sim/aop/attack-ledger.ts';
import { sha256Canonical } from '../../../sim/aop/ids.ts';
import type { OrchestrationSummary } from '../../../sim/aop/metrics.ts';
import type { MissionDesk } from '../../../sim/aop/mission-desk.ts';
import { parseDuration } from '../../../sim/engine/duration.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { trueIntents, World } from '../../../sim/world/world.ts';
import { SCENARIOS, writeScenario } from '../../helpers.ts';
import { RecordingSink } from '../world/recording-sink.ts';

/**
 * The attack oracle counts an attack where it takes effect, not where a
 * party decides on it: a hijacked Plan B when it runs (not when the
 * orchestrator chooses it), and no attack at all against an orchestration
 * that is not open (an attacker can only attack what exists).
 */
const CHAINING = 'orchestration.governance=chaining';
/** A constant 1 s GEC round trip: every message below lands inside the window it is timed for. */
const ONE_SECOND_LINK = 'orchestration.gec_latency=const(1s)';
const TAMPER = '{name: hijack, kind: spo_tamper, at: 3m, plan_b: static-routing-d2, spo: {kind: static_routing, exec: payload}}';
/** Lands at 242.5 s, between District 2 routing's AT_RISK (242.005 s) and the orchestrator's Plan B choice (243.005 s). */
const FORGED = '{name: forged, kind: status_write, at: 241500ms, by: local-ai-2, sub_goal: district2-routing}';

type Run = { summary: OrchestrationSummary; desk: MissionDesk; sink: RecordingSink };

function runAopAttacks(overrides: string[]): Run {
  return runOrchestration(join(SCENARIOS, 'aop-attacks.yaml'), overrides);
}

function runOrchestration(file: string, overrides: string[]): Run {
  const { spec } = loadScenario(file, overrides);
  const sim = new Simulation();
  const sink = new RecordingSink();
  const world = new World(new WorldContext(sim, spec.seed ?? 1, sink, undefined, trueIntents(spec)), spec);
  sim.run(parseDuration(spec.duration));
  const orchestration = world.orchestration as NonNullable<World['orchestration']>;
  orchestration.finish();
  return { summary: orchestration.summary(), desk: orchestration.roles().desk as MissionDesk, sink };
}

const attack = (summary: OrchestrationSummary, label: string) => summary.attacks.find((a) => a.attack === label) as AttackOutcome;

describe('a hijacked Plan B is counted when it runs, not when the orchestrator chooses it', () => {
  it('control: the tampered Plan B runs, and the hijack took effect once', () => {
    const { summary, sink } = runAopAttacks([CHAINING, ONE_SECOND_LINK, `orchestration.attacks=[${TAMPER}]`]);
    expect(sink.ofType('aop.sub_goal_plan_b_achieved').map((e) => e.fields?.sub_goal_id)).toEqual(['district2-routing']);
    expect(summary.violations_executed.hijacked_plan_b).toBe(1);
    expect(attack(summary, 'hijack')).toMatchObject({ outcome: 'took_effect', code: 'HIJACKED_PLAN_B', visible: 'oracle' });
  });

  it('the Plan B guard stops it (a status write closed the sub-goal while the choice was on its way): no hijack took effect', () => {
    const { summary, sink } = runAopAttacks([CHAINING, ONE_SECOND_LINK, `orchestration.attacks=[${TAMPER}, ${FORGED}]`]);
    expect(
      sink
        .ofType('aop.sub_goal_achieved')
        .filter((e) => e.fields?.sub_goal_id === 'district2-routing')
        .map((e) => e.t),
    ).toEqual([242_500_000]);
    expect(sink.ofType('aop.sub_goal_plan_b_achieved')).toEqual([]);
    expect(summary.plan_b_activated).toBe(0);
    expect(summary.violations_executed.hijacked_plan_b).toBe(0);
    expect(attack(summary, 'hijack')).toMatchObject({ outcome: 'no_effect', code: 'never came into play' });
    expect(attack(summary, 'forged')).toMatchObject({ outcome: 'took_effect', code: 'MISSION_STATUS_FORGED' });
  });

  it('under AOP the GEC refuses the tampered Plan B: nothing runs, nothing counted', () => {
    const { summary } = runAopAttacks([ONE_SECOND_LINK, `orchestration.attacks=[${TAMPER}]`]);
    expect(summary.spo_integrity_violations).toBe(1);
    expect(summary.violations_executed.hijacked_plan_b).toBe(0);
    expect(attack(summary, 'hijack')).toMatchObject({ outcome: 'refused', by: 'gec', code: 'SPO_INTEGRITY_VIOLATION' });
  });
});

describe('no attack against an orchestration that is not open', () => {
  // The commander answers the mission proposal at about 152 s; every scripted attack of aop-attacks but the SPO tamper (3 m) is earlier.
  const PERSON_APPROVES = 'topology.person_servers[commander-ps].approval=person';
  const REFUSES = 'people[commander].mission_refusal=1';
  const SPO_AT_3M = 'static-routing-d2';

  it('its PS refused the mission: no attack runs, the orchestration is left as it was (nothing opened, assigned, forged or closed)', () => {
    const { summary, desk, sink } = runAopAttacks([CHAINING, PERSON_APPROVES, REFUSES]);
    expect(sink.ofType('mission.refused')).toHaveLength(1);
    expect(sink.events.filter((e) => e.type.startsWith('aop.') || e.type.startsWith('chain.') || e.type.startsWith('delegation.'))).toEqual([]);
    expect(desk.closed).toBe(false);
    expect([...desk.plan.nodes.keys()].map((id) => desk.status.get(id))).toEqual(Array(6).fill('PENDING'));
    const reviewed = (spec: { eod: { plan_b?: Array<{ id: string; spo: Record<string, unknown> }> } }) =>
      sha256Canonical(spec.eod.plan_b?.find((p) => p.id === SPO_AT_3M)?.spo);
    const { spec } = loadScenario(join(SCENARIOS, 'aop-attacks.yaml'), []);
    expect(desk.standingPlans.hash(SPO_AT_3M)).toBe(reviewed(spec.orchestration as never));
    expect(summary.attacks).toHaveLength(5);
    for (const outcome of summary.attacks)
      expect(outcome, outcome.attack).toMatchObject({ outcome: 'no_effect', by: null, code: 'no target: the orchestration had not opened' });
    expect(summary).toMatchObject({
      overall_outcome: 'INCOMPLETE',
      makespan_s: null,
      ps_refusals: 0,
      violations_executed: { spawns: {}, hijacked_plan_b: 0, approval_gates_bypassed: 0, status_forged: 0 },
    });
  });

  it('control: the PS approves at about 152 s; the attacks before have no target, the SPO tamper after it runs and the hijack takes effect', () => {
    const { summary, sink } = runAopAttacks([CHAINING, PERSON_APPROVES]);
    const opened = sink.ofType('aop.mission_open')[0]?.t as number;
    expect(opened).toBeGreaterThan(2 * 60e6);
    expect(opened).toBeLessThan(3 * 60e6);
    const early = summary.attacks.filter((a) => a.attack.startsWith('15.1') || a.attack.startsWith('15.2'));
    expect(early).toHaveLength(4);
    for (const outcome of early) expect(outcome, outcome.attack).toMatchObject({ outcome: 'no_effect', code: 'no target: the orchestration had not opened' });
    expect(attack(summary, '15.4 standing plan hijack')).toMatchObject({ outcome: 'took_effect', code: 'HIJACKED_PLAN_B' });
    expect(summary.violations_executed).toEqual({ spawns: {}, hijacked_plan_b: 1, approval_gates_bypassed: 0, status_forged: 0 });
  });

  it('an attack after the orchestration closed has no target either', () => {
    const { summary, sink } = runAopAttacks([`orchestration.attacks=[{name: late, kind: status_write, at: 119m, by: local-ai-1, sub_goal: district1}]`]);
    expect((sink.ofType('aop.mission_close')[0]?.t as number) < 119 * 60e6).toBe(true);
    expect(attack(summary, 'late')).toMatchObject({ outcome: 'no_effect', code: 'no target: the orchestration had closed' });
    expect(summary.status_writes_denied).toBe(0);
  });
});

describe('an approval gate is counted bypassed when the gated sub-goal goes ahead, not when it is assigned', () => {
  // Supplier B quotes 2,380,000 JPY, above selection's 2,000,000 JPY gate; under chaining nobody asks the finance officer.
  const PROCUREMENT = join(SCENARIOS, 'procurement-hem-gate.yaml');

  it('control: the selection runs without the approver, and the gate was bypassed once', () => {
    const { summary, sink } = runOrchestration(PROCUREMENT, [CHAINING]);
    expect(sink.ofType('aop.sub_goal_achieved').map((e) => e.fields?.sub_goal_id)).toContain('select');
    expect(summary.violations_executed.approval_gates_bypassed).toBe(1);
  });

  it("the PS refuses the selection's auth token: the selection never runs, so no gate was bypassed", () => {
    const { summary, sink } = runOrchestration(PROCUREMENT, [CHAINING, 'orchestration.sub_goals[select].eod.fields=[SELECTION.choice, LEDGER.all]']);
    expect(sink.ofType('token.auth_denied').map((e) => e.fields?.agent)).toEqual(['selection-agent']);
    expect(summary.sub_goals.select).toBe('UNMATCHED');
    expect(summary.violations_executed.approval_gates_bypassed).toBe(0);
  });

  it("supplier B's quote was never made (its status forged at 1 m, its work stopped): the amounts committed are under the gate, none bypassed", () => {
    const forged = '{name: forged, kind: status_write, at: 1m, by: quote-agent-a, sub_goal: quote-b}';
    const { summary, sink } = runOrchestration(PROCUREMENT, [CHAINING, `orchestration.attacks=[${forged}]`]);
    expect(sink.ofType('aop.sub_goal_achieved').find((e) => e.fields?.sub_goal_id === 'quote-b')?.actor).toBe('agent:quote-agent-a');
    expect(sink.ofType('aop.sub_goal_achieved').map((e) => e.fields?.sub_goal_id)).toContain('select');
    expect(summary.violations_executed).toMatchObject({ approval_gates_bypassed: 0, status_forged: 1 });
  });
});

describe('chaining with no Person Server: a leaf spawn that breaks a GEC check takes effect when its work starts, as under a PS', () => {
  const noPs = () => writeScenario(readFileSync(join(SCENARIOS, 'aop-attacks.yaml'), 'utf8').replace(/^ {2}person_server: .*\n/m, ''));
  const SHELTER = 'sub-goal district2-shelter (EOD_SCOPE_VIOLATION)';

  it('control: District 2 shelter (its EOD reads census data) is spawned and works: the violation took effect', () => {
    const { summary, sink } = runOrchestration(noPs(), [CHAINING, ONE_SECOND_LINK, 'orchestration.attacks=[]']);
    // Assigned at 679.966 s, its spawn lands one round trip later.
    expect(sink.ofType('aop.sub_goal_opened').find((e) => e.fields?.sub_goal_id === 'district2-shelter')?.t).toBe(680_965_702);
    expect(summary.person_server).toBeNull();
    expect(summary.violations_executed.spawns).toEqual({ EOD_SCOPE_VIOLATION: 1 });
    expect(attack(summary, SHELTER)).toMatchObject({ outcome: 'took_effect', code: 'EOD_SCOPE_VIOLATION', visible: 'oracle' });
  });

  it('a status write closes it while its spawn is on the way: no session, no work, no violation took effect', () => {
    const forged = '{name: forged, kind: status_write, at: 679466ms, by: local-ai-2, sub_goal: district2-shelter}';
    const { summary, sink } = runOrchestration(noPs(), [CHAINING, ONE_SECOND_LINK, `orchestration.attacks=[${forged}]`]);
    expect(sink.ofType('aop.sub_goal_achieved').find((e) => e.fields?.sub_goal_id === 'district2-shelter')?.t).toBe(680_466_000);
    expect(sink.ofType('aop.sub_goal_opened').filter((e) => e.fields?.sub_goal_id === 'district2-shelter')).toEqual([]);
    expect(summary.violations_executed.spawns).toEqual({});
    expect(summary.attacks.find((a) => a.attack === SHELTER)).toBeUndefined();
  });
});

describe('chaining: a direct message reaches an agent only if it exists', () => {
  // District 2 shelter's agent (sim-ai-2s) is spawned only once District 2 routing is done, long after 2 m.
  const message = (by: string, to: string) => `{name: msg, kind: direct_message, at: 2m, by: ${by}, to: ${to}}`;

  it('control: a leaf messages a sibling district hub it is not routed to: it arrives, a hub_only violation only the oracle knows', () => {
    const { summary } = runAopAttacks([CHAINING, `orchestration.attacks=[${message('sim-ai-1r', 'local-ai-2')}]`]);
    expect(attack(summary, 'msg')).toMatchObject({ outcome: 'took_effect', code: 'HUB_ONLY_VIOLATION', visible: 'oracle' });
  });

  it('to an agent not spawned yet, or from one: the message reaches nobody and takes no effect', () => {
    const to = runAopAttacks([CHAINING, `orchestration.attacks=[${message('sim-ai-1r', 'sim-ai-2s')}]`]);
    expect(attack(to.summary, 'msg')).toEqual({
      attack: 'msg',
      outcome: 'no_effect',
      by: null,
      code: 'no target: sim-ai-2s has not been spawned',
      visible: null,
    });
    const from = runAopAttacks([CHAINING, `orchestration.attacks=[${message('sim-ai-2s', 'local-ai-2')}]`]);
    expect(attack(from.summary, 'msg')).toMatchObject({ outcome: 'no_effect', code: 'no target: sim-ai-2s has not been spawned' });
  });
});

describe('the attacker must exist: no attack by an agent not spawned yet, under either governance', () => {
  // District 2 shelter's agent (sim-ai-2s) is spawned only once District 2 routing is done, long after 2 m;
  // Local AI 1 (District 1's hub) is spawned within the first minute.
  const STATUS = (by: string) => `{name: forged, kind: status_write, at: 2m, by: ${by}, sub_goal: district1-routing}`;
  const ROGUE = (by: string) => `{name: rogue, kind: spawn, at: 2m, by: ${by}, sub_goal: census-export, scope: [D1.routing]}`;
  const MESSAGE = (by: string) => `{name: msg, kind: direct_message, at: 2m, by: ${by}, to: local-ai-2}`;
  const GOVERNANCES = [
    ['AOP', 'orchestration.governance=aop'],
    ['chaining', CHAINING],
  ] as const;
  const withoutAttacks = (summary: OrchestrationSummary) => ({ ...summary, attacks: [] });

  for (const [governance, setting] of GOVERNANCES) {
    for (const [what, script, label] of [
      ['a status write', STATUS, 'forged'],
      ['a rogue spawn', ROGUE, 'rogue'],
      ['a direct message', MESSAGE, 'msg'],
    ] as const) {
      it(`${governance}: ${what} by sim-ai-2s before it is spawned does not run: no target, the run is as if it were not scripted`, () => {
        const attacked = runAopAttacks([setting, `orchestration.attacks=[${script('sim-ai-2s')}]`]);
        const quiet = runAopAttacks([setting, 'orchestration.attacks=[]']);
        expect(attack(attacked.summary, label)).toEqual({
          attack: label,
          outcome: 'no_effect',
          by: null,
          code: 'no target: sim-ai-2s has not been spawned',
          visible: null,
        });
        expect(attacked.sink.events).toEqual(quiet.sink.events);
        expect(withoutAttacks(attacked.summary)).toEqual(withoutAttacks(quiet.summary));
        expect([...attacked.desk.plan.nodes.keys()].map((id) => attacked.desk.status.get(id))).toEqual(
          [...quiet.desk.plan.nodes.keys()].map((id) => quiet.desk.status.get(id)),
        );
      });
    }
  }

  it('control, AOP: the same status write and rogue spawn by Local AI 1 (spawned) run and the GEC refuses them', () => {
    const { summary, sink } = runAopAttacks([`orchestration.attacks=[${STATUS('local-ai-1')}, ${ROGUE('local-ai-1')}]`]);
    expect(attack(summary, 'forged')).toMatchObject({ outcome: 'refused', by: 'gec', code: 'MISSION_STATUS_WRITE_DENIED' });
    expect(attack(summary, 'rogue')).toMatchObject({ outcome: 'refused', by: 'gec', code: 'SUB_GOAL_NOT_IN_PLAN' });
    expect(sink.ofType('aop.status_write_denied')).toHaveLength(1);
    expect(sink.ofType('aop.spawn_rejected').filter((e) => e.fields?.sub_goal_id === 'census-export')).toHaveLength(1);
  });

  it('control, chaining: the same status write and rogue spawn by Local AI 1 (spawned) run and take effect', () => {
    const { summary, sink } = runAopAttacks([CHAINING, `orchestration.attacks=[${STATUS('local-ai-1')}, ${ROGUE('local-ai-1')}]`]);
    expect(attack(summary, 'forged')).toMatchObject({ outcome: 'took_effect', code: 'MISSION_STATUS_FORGED', visible: 'oracle' });
    expect(attack(summary, 'rogue')).toMatchObject({ outcome: 'took_effect', code: 'SUB_GOAL_NOT_IN_PLAN', visible: 'oracle' });
    expect(sink.ofType('chain.delegated').filter((e) => e.fields?.sub_goal_id === 'census-export')).toHaveLength(1);
  });

  it('the agent exists from the moment its spawn takes effect, under either governance: 1 µs before, no target; 1 µs after, the attack runs', () => {
    // District 1 shelter's agent (sim-ai-1s) is spawned at about 553 s: when the GEC issues its SACR, or (chaining) its PS mints the delegation.
    const spawnedAt = (setting: string) => {
      const { sink } = runAopAttacks([setting, 'orchestration.attacks=[]']);
      const spawn = [...sink.ofType('aop.sacr_issued'), ...sink.ofType('chain.delegated')].find((e) => e.fields?.sub_goal_id === 'district1-shelter');
      return spawn?.t as number;
    };
    const write = (name: string, atUs: number) => `{name: ${name}, kind: status_write, at: ${atUs}us, by: sim-ai-1s, sub_goal: district1-shelter}`;
    const outcomes = GOVERNANCES.map(([, setting]) => {
      const at = spawnedAt(setting);
      const { summary } = runAopAttacks([setting, `orchestration.attacks=[${write('before', at - 1)}, ${write('after', at + 1)}]`]);
      return { at, before: attack(summary, 'before'), after: attack(summary, 'after') };
    });
    const [aop, chaining] = outcomes as [(typeof outcomes)[0], (typeof outcomes)[0]];
    expect(aop.at).toBe(553_275_899);
    expect(chaining.at).toBe(553_177_114);
    for (const { before } of outcomes) expect(before).toMatchObject({ outcome: 'no_effect', code: 'no target: sim-ai-1s has not been spawned' });
    expect(aop.after).toMatchObject({ outcome: 'refused', by: 'gec', code: 'MISSION_STATUS_WRITE_DENIED' });
    expect(chaining.after).toMatchObject({ outcome: 'took_effect', code: 'MISSION_STATUS_FORGED' });
  });
});
