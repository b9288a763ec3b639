import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifySacrFields } from '../../sim/aop/sacr.ts';
import { runScenario, type RunManifest } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

const BIN = new URL('../../bin/missionbench.mjs', import.meta.url).pathname;
type Event = Record<string, unknown> & { seq: number; t: number; type: string };

function run(name: string, overrides: string[] = [], seed?: number): { manifest: RunManifest; dir: string; log: Event[] } {
  const dir = join(tempDir(), name);
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`), overrides), { outDir: dir, seed });
  return { manifest, dir, log: readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Event) };
}

const of = (log: Event[], type: string, subGoal?: string) => log.filter((e) => e.type === type && (subGoal === undefined || e.sub_goal_id === subGoal));
const first = (log: Event[], type: string, subGoal?: string) => of(log, type, subGoal)[0];
const orchestration = (manifest: RunManifest) => manifest.summary.orchestration!;

/** Seed 003 section 17.3: the mandatory fields of each mission ALE (timestamp is every line's t). */
const MANDATORY: Record<string, string[]> = {
  'ALE-042': ['mission_id', 'mission_plan_so_id', 'root_eod_id', 'mission_principal_xpid'],
  'ALE-043': ['sacr_id', 'sub_goal_id', 'parent_xpid', 'ephemeral_kia_ref', 'scope_hash'],
  'ALE-044': ['assignment_id', 'sacr_id', 'sub_goal_id', 'endorsed_eod_id', 'assigned_agent_kia_ref'],
  'ALE-045': ['sub_goal_id', 'assignment_id', 'session_id'],
  'ALE-046': ['sub_goal_id', 'session_id', 'eod_outcome'],
  'ALE-047': ['sub_goal_id', 'session_id', 'eod_outcome', 'plan_b_id'],
  'ALE-048': ['sub_goal_id', 'at_risk_reason'],
  'ALE-049': ['sub_goal_id', 'session_id', 'failure_reason'],
  'ALE-050': ['sub_goal_id', 'plan_b_id', 'expected_spo_hash', 'actual_spo_hash'],
  'ALE-051': ['mission_id', 'sub_goal_id', 'replan_authority', 'evaluation_outcome'],
  'ALE-052': ['mission_id', 'sub_goal_id', 'plan_b_id', 'activation_conditions_met'],
  'ALE-053': ['mission_id', 'sub_goal_id', 'escalation_reason', 'hem_escalation_id'],
  'ALE-054': ['mission_id', 'hem_escalation_id', 'resolution_outcome', 'resolver_xpid'],
  'ALE-055': ['mission_id', 'mission_plan_so_id', 'session_block_id', 'sub_goal_outcomes', 'overall_outcome'],
};

describe('emergency-three-tier (seed 003 sections 1.1 and 13)', () => {
  it('builds three tiers: Master, three Local AIs, six leaf Simulation AIs with max_spawn_depth 0', () => {
    const { log } = run('emergency-three-tier');
    const sacrs = of(log, 'aop.sacr_issued');
    expect(sacrs).toHaveLength(10);
    const master = sacrs.find((s) => s.sub_goal_id === null)!;
    const locals = sacrs.filter((s) => /^district\d$/.test(String(s.sub_goal_id)));
    const leaves = sacrs.filter((s) => /^district\d-/.test(String(s.sub_goal_id)));
    expect(master.max_spawn_depth).toBe(2);
    expect(locals.map((s) => s.parent_xpid)).toEqual([master.xpid, master.xpid, master.xpid]);
    expect(locals.every((s) => s.max_spawn_depth === 1)).toBe(true);
    expect(leaves).toHaveLength(6);
    for (const leaf of leaves) {
      expect(leaf.max_spawn_depth).toBe(0);
      const district = String(leaf.sub_goal_id).split('-')[0];
      expect(leaf.parent_xpid).toBe(locals.find((s) => s.sub_goal_id === district)?.xpid);
    }
  });

  it('District 2 road data unavailable -> AT_RISK -> BOUNDED Plan B (static routing) -> ALE-052, no escalation', () => {
    const { log, manifest } = run('emergency-three-tier');
    const trail = log
      .filter((e) => e.sub_goal_id === 'district2-routing' && e.seq > first(log, 'aop.sub_goal_opened', 'district2-routing')!.seq)
      .map((e) => `${e.type}${e.evaluation_outcome ? ` ${e.actor} ${e.replan_authority} ${e.evaluation_outcome}` : ''}`);
    expect(trail).toEqual([
      'aop.sub_goal_at_risk',
      'aop.replan_evaluated agent:local-ai-2 NONE ESCALATED_TO_PARENT',
      'aop.replan_evaluated agent:master-ai BOUNDED PLAN_B',
      'aop.replan_bounded_activated',
      'aop.plan_updated',
      'aop.sub_goal_plan_b_achieved',
    ]);
    expect(first(log, 'aop.sub_goal_at_risk')).toMatchObject({ ale: 'ALE-048', at_risk_reason: 'road_data_unavailable' });
    const activated = first(log, 'aop.replan_bounded_activated')!;
    expect(activated).toMatchObject({
      ale: 'ALE-052',
      plan_b_id: 'static-routing-d2',
      activation_conditions_met: ['road_data_unavailable'],
      replan_authority: 'BOUNDED',
    });
    // The SPO hash re-checked at activation is the one recorded when the mission EOD was endorsed.
    const missionEod = log.find((e) => e.type === 'aop.eod_endorsed' && e.sub_goal_id === null)!;
    expect(missionEod.spo_hashes).toEqual([{ plan_b_id: 'static-routing-d2', spo_hash: activated.spo_hash }]);
    expect(first(log, 'aop.plan_updated')).toMatchObject({ plan_version: 2, change: 'PLAN_B_ACTIVATED', ref: 'static-routing-d2' });
    expect(of(log, 'aop.replan_escalated')).toHaveLength(0);
    expect(of(log, 'person.asked')).toHaveLength(0);
    // District 2 shelter follows the Plan B (SEQUENTIAL), then the mission closes on Plan B.
    expect(first(log, 'aop.sacr_issued', 'district2-shelter')!.seq).toBeGreaterThan(first(log, 'aop.sub_goal_plan_b_achieved')!.seq);
    const close = first(log, 'aop.mission_close')!;
    expect(close.overall_outcome).toBe('PLAN_B_MATCHED');
    expect(close.plan_version).toBe(2);
    expect((close.sub_goal_outcomes as Array<{ eod_outcome: string }>).filter((o) => o.eod_outcome !== 'MATCHED')).toEqual([
      { sub_goal_id: 'district2-routing', eod_outcome: 'PLAN_B_MATCHED' },
    ]);
    expect(orchestration(manifest)).toMatchObject({
      overall_outcome: 'PLAN_B_MATCHED',
      at_risk: 1,
      plan_b_activated: 1,
      escalations: 0,
      person_interruptions: 0,
      plan_versions: 2,
    });
  });

  it('a condition no Plan B covers goes up every tier to the commander (section 3.4); CONTINUE resumes the routing', () => {
    const { log, manifest } = run('emergency-three-tier', ['orchestration.sub_goals[district2-routing].fault.reason=sensor_mismatch']);
    const evaluations = of(log, 'aop.replan_evaluated').map((e) => `${e.actor} ${e.evaluation_outcome}`);
    expect(evaluations).toEqual(['agent:local-ai-2 ESCALATED_TO_PARENT', 'agent:master-ai ESCALATED_TO_HEM']);
    const escalated = first(log, 'aop.replan_escalated')!;
    expect(escalated).toMatchObject({ sub_goal_id: 'district2-routing', escalation_reason: 'sensor_mismatch' });
    const resolved = first(log, 'aop.replan_hem_resolved')!;
    expect(resolved).toMatchObject({ actor: 'person:commander', resolution_outcome: 'CONTINUE' });
    const achieved = first(log, 'aop.sub_goal_achieved', 'district2-routing')!;
    expect(achieved.seq).toBeGreaterThan(resolved.seq);
    expect(of(log, 'aop.replan_bounded_activated')).toHaveLength(0);
    expect(orchestration(manifest)).toMatchObject({ overall_outcome: 'MATCHED', plan_b_activated: 0, escalations: 1, person_interruptions: 1 });
  });

  it('keeps that outcome whatever the seed', () => {
    for (const seed of [1, 2, 5, 8, 13]) {
      const summary = orchestration(run('emergency-three-tier', [], seed).manifest);
      expect(summary).toMatchObject({ overall_outcome: 'PLAN_B_MATCHED', plan_b_activated: 1, escalations: 0 });
    }
  });

  it('endorses every EOD before any assignment that relies on it', () => {
    const { log } = run('emergency-three-tier');
    const missionEod = log.findIndex((e) => e.type === 'aop.eod_endorsed' && e.sub_goal_id === null);
    expect(missionEod).toBeGreaterThan(-1);
    expect(missionEod).toBeLessThan(log.findIndex((e) => e.type === 'aop.sacr_issued'));
    expect(first(log, 'aop.mission_open')!.root_eod_id).toBe(log[missionEod]!.eod_id);
    const assignments = of(log, 'aop.assignment_issued');
    expect(assignments).toHaveLength(9);
    for (const assignment of assignments) {
      const endorsed = log.find((e) => e.type === 'aop.eod_endorsed' && e.eod_id === assignment.endorsed_eod_id)!;
      expect(endorsed.seq).toBeLessThan(assignment.seq);
      expect(endorsed.eod_hash).toBe(assignment.eod_hash);
      const sacr = log.find((e) => e.type === 'aop.sacr_issued' && e.sacr_id === assignment.sacr_id)!;
      expect(sacr.seq).toBeLessThan(endorsed.seq);
      expect(assignment.assigned_agent_kia_ref).toBe(sacr.ephemeral_kia_ref);
      expect(sacr.ephemeral_kia_ref).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('logs ids and hashes only, never EOD bodies or Standing Plan content (privacy, section 16)', () => {
    const { dir } = run('emergency-three-tier');
    const text = readFileSync(join(dir, 'events.jsonl'), 'utf8');
    expect(text).not.toContain('Evacuation routes published');
    expect(text).not.toContain('shelter places for district');
    expect(text).not.toContain('R7-north');
    expect(text).not.toContain('"scope":');
  });

  it('closes with an Ed25519 session block over every event of the mission, and `verify` passes', () => {
    const { dir, log } = run('emergency-three-tier');
    // The last line is the log's closing seal (audit.log_sealed); the session block comes before it.
    expect(log[log.length - 1]!.type).toBe('audit.log_sealed');
    const block = log[log.length - 2]!;
    expect(block.type).toBe('audit.session_block');
    expect(block.actor).toBe('gec');
    const missionEvents = log.filter((e) => e.mission === block.mission && e.type !== 'audit.session_block');
    expect(block.event_count).toBe(missionEvents.length);
    expect(log[log.length - 3]).toMatchObject({ type: 'aop.mission_close', session_block_id: `session-block:${String(block.mission)}:1` });
    const verify = spawnSync(process.execPath, [BIN, 'verify', dir], { encoding: 'utf8' });
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain('1 session blocks verified');
  });

  it('flags a sub-goal still open at its deadline AT_RISK (deadline_missed)', () => {
    const { log, manifest } = run('emergency-three-tier', ['orchestration.sub_goals[district3].deadline=5m']);
    expect(first(log, 'aop.sub_goal_at_risk', 'district3')).toMatchObject({ ale: 'ALE-048', at_risk_reason: 'deadline_missed', t: 300e6 });
    expect(orchestration(manifest).deadlines_missed).toBe(1);
  });

  it('a leaf missing its deadline is re-planned; with no Plan B for it the commander answers CONTINUE and the work goes on', () => {
    const { log } = run('emergency-three-tier', ['orchestration.sub_goals[district1-routing].deadline=3m']);
    expect(first(log, 'aop.sub_goal_at_risk', 'district1-routing')).toMatchObject({ at_risk_reason: 'deadline_missed', t: 180e6 });
    expect(first(log, 'aop.replan_escalated', 'district1-routing')).toMatchObject({ escalation_reason: 'deadline_missed' });
    const achieved = of(log, 'aop.sub_goal_achieved', 'district1-routing');
    expect(achieved).toHaveLength(1);
    expect(achieved[0]!.t).toBeGreaterThan(8 * 60e6);
    expect(first(log, 'aop.mission_close')!.overall_outcome).toBe('PLAN_B_MATCHED');
  });

  it('a Plan B declared for deadline_missed replaces the late leaf; its own fault never fires', () => {
    const { log, manifest } = run('emergency-three-tier', [
      'orchestration.sub_goals[district2-routing].deadline=2m',
      'orchestration.eod.plan_b[0].conditions=[road_data_unavailable, deadline_missed]',
    ]);
    expect(first(log, 'aop.replan_bounded_activated')).toMatchObject({
      sub_goal_id: 'district2-routing',
      activation_conditions_met: ['deadline_missed'],
      t: expect.any(Number),
    });
    expect(first(log, 'aop.replan_bounded_activated')!.t).toBeLessThan(3 * 60e6);
    expect(of(log, 'aop.sub_goal_at_risk', 'district2-routing').map((e) => e.at_risk_reason)).toEqual(['deadline_missed']);
    expect(of(log, 'aop.sub_goal_plan_b_achieved')).toHaveLength(1);
    expect(of(log, 'aop.sub_goal_achieved', 'district2-routing')).toHaveLength(0);
    expect(orchestration(manifest)).toMatchObject({ overall_outcome: 'PLAN_B_MATCHED', escalations: 0, deadlines_missed: 1 });
  });

  it('a mission still open at the horizon closes INCOMPLETE, sealed, and the log verifies', () => {
    const { log, dir, manifest } = run('emergency-three-tier', ['duration=6m']);
    const close = first(log, 'aop.mission_close')!;
    expect(close.overall_outcome).toBe('INCOMPLETE');
    expect((close.sub_goal_outcomes as Array<{ eod_outcome: string }>).every((o) => o.eod_outcome === 'NOT_STARTED')).toBe(true);
    expect(log[log.length - 2]!.type).toBe('audit.session_block');
    expect(orchestration(manifest)).toMatchObject({ overall_outcome: 'INCOMPLETE', at_risk: 1 });
    expect(spawnSync(process.execPath, [BIN, 'verify', dir], { encoding: 'utf8' }).status).toBe(0);
  });

  it('the run summary states the outcome, its costs and what was refused', () => {
    const dir = join(tempDir(), 'cli');
    const result = spawnSync(process.execPath, [BIN, 'run', join(SCENARIOS, 'emergency-three-tier.yaml'), '--out', dir], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/orchestration \(aop\) \S+: PLAN_B_MATCHED in \d+\.\ds, plan v2, critical path /);
    expect(result.stdout).toContain('1 AT_RISK, 1 Plan B, 0 escalations, 0 person interruptions');
  });

  it('is deterministic: same seed, byte-identical log; another seed, another log', () => {
    const a = readFileSync(join(run('emergency-three-tier').dir, 'events.jsonl'));
    const b = readFileSync(join(run('emergency-three-tier').dir, 'events.jsonl'));
    const c = readFileSync(join(run('emergency-three-tier', [], 4).dir, 'events.jsonl'));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });
});

describe('MAD revocation triggers (seed 003 5.1 names R-1 to R-7; every class has the same modelled effect)', () => {
  it('revoking a Local AI cascades to its leaf: the running routing closes UNMATCHED, its shelter is skipped, the district closes UNMATCHED; the others go on', () => {
    const { log, manifest } = run('emergency-three-tier', ['orchestration.revocations=[{trigger: R-3, at: 3m, agent: local-ai-1}]']);
    const revoked = of(log, 'aop.sacr_revoked');
    expect(revoked.map((e) => [e.trigger, e.xpid, e.cascade_from_xpid])).toEqual([
      ['R-3', first(log, 'aop.sacr_issued', 'district1')!.xpid, null],
      ['R-3', first(log, 'aop.sacr_issued', 'district1-routing')!.xpid, first(log, 'aop.sacr_issued', 'district1')!.xpid],
    ]);
    expect(revoked.every((e) => e.t === 180e6 && e.actor === 'gec')).toBe(true);
    expect(first(log, 'aop.sub_goal_failed', 'district1-routing')).toMatchObject({ failure_reason: 'SACR revoked (R-3)', t: 180e6 });
    expect(of(log, 'aop.sub_goal_achieved', 'district1-routing')).toHaveLength(0);
    expect(orchestration(manifest).sub_goals).toMatchObject({
      district1: 'UNMATCHED',
      'district1-routing': 'UNMATCHED',
      'district1-shelter': 'SKIPPED',
      district3: 'MATCHED',
      'district3-shelter': 'MATCHED',
    });
    expect(orchestration(manifest).overall_outcome).toBe('PARTIAL');
  });

  it('revoking the Master revokes the whole tree at once and the mission closes UNMATCHED', () => {
    const { log, manifest } = run('emergency-three-tier', ['orchestration.revocations=[{trigger: R-1, at: 3m, agent: master-ai}]']);
    expect(of(log, 'aop.sacr_revoked')).toHaveLength(7);
    expect(first(log, 'aop.mission_close')!.t).toBe(180e6);
    expect(orchestration(manifest).overall_outcome).toBe('UNMATCHED');
  });

  it('a sub-goal its revoked assigner has not yet spawned fails at spawn, SACR_NOT_FOUND', () => {
    // Local AI 1 is revoked before its leaves are assigned (they wait for its session to open).
    const { log } = run('emergency-three-tier', ['orchestration.revocations=[{trigger: R-2, at: 0s, agent: master-ai}]']);
    expect(of(log, 'aop.spawn_rejected').map((e) => e.error)).toContain('SACR_NOT_FOUND');
    expect(of(log, 'aop.sacr_issued')).toHaveLength(1);
  });

  it('under chaining a revocation is not modelled: the log has none', () => {
    const { log } = run('emergency-three-tier', ['orchestration.revocations=[{trigger: R-3, at: 3m, agent: local-ai-1}]', 'orchestration.governance=chaining']);
    expect(of(log, 'aop.sacr_revoked')).toEqual([]);
  });
});

describe('procurement-hem-gate (seed 003 section 1.3)', () => {
  it('a quote above 2,000,000 JPY escalates selection to the finance officer, who approves after their latency', () => {
    const { log, manifest } = run('procurement-hem-gate');
    const escalated = first(log, 'aop.replan_escalated')!;
    expect(escalated).toMatchObject({ ale: 'ALE-053', sub_goal_id: 'select', escalation_reason: 'APPROVAL_GATE: quote-b 2380000 JPY above 2000000 JPY' });
    const asked = first(log, 'person.asked')!;
    expect(asked.actor).toBe('person:finance-officer');
    const resolved = first(log, 'aop.replan_hem_resolved')!;
    expect(resolved).toMatchObject({
      ale: 'ALE-054',
      hem_escalation_id: escalated.hem_escalation_id,
      resolution_outcome: 'CONTINUE',
      resolver_xpid: escalated.escalated_to_xpid,
    });
    expect(resolved.t - escalated.t).toBeGreaterThan(60e6);
    // Selection is assigned only after all three quotes and the approval; the purchase order after selection.
    const selectSacr = first(log, 'aop.sacr_issued', 'select')!;
    expect(selectSacr.seq).toBeGreaterThan(resolved.seq);
    for (const quote of ['quote-a', 'quote-b', 'quote-c']) expect(first(log, 'aop.sub_goal_achieved', quote)!.seq).toBeLessThan(escalated.seq);
    expect(first(log, 'aop.sacr_issued', 'purchase-order')!.seq).toBeGreaterThan(first(log, 'aop.sub_goal_achieved', 'select')!.seq);
    expect(orchestration(manifest)).toMatchObject({ overall_outcome: 'MATCHED', escalations: 1, person_interruptions: 1 });
    expect(orchestration(manifest).person_wait_s).toBeCloseTo((resolved.t - escalated.t) / 1e6, 6);
  });

  it('quotes all below the limit: no escalation, nobody interrupted', () => {
    const { log, manifest } = run('procurement-hem-gate', ['orchestration.sub_goals[quote-b].amount_jpy=1900000']);
    expect(of(log, 'aop.replan_escalated')).toHaveLength(0);
    expect(orchestration(manifest)).toMatchObject({ overall_outcome: 'MATCHED', escalations: 0, person_interruptions: 0 });
  });

  it('the finance officer aborts: no selection, no purchase order, mission ABORTED', () => {
    const { log, manifest } = run('procurement-hem-gate', ['orchestration.sub_goals[select].approval_gate.resolution=MISSION_ABORT']);
    expect(first(log, 'aop.replan_hem_resolved')!.resolution_outcome).toBe('MISSION_ABORT');
    expect(of(log, 'aop.sacr_issued', 'select')).toHaveLength(0);
    expect(of(log, 'aop.sacr_issued', 'purchase-order')).toHaveLength(0);
    expect(first(log, 'aop.sub_goal_skipped', 'purchase-order')!.reason).toBe('MISSION_ABORT');
    expect(first(log, 'aop.mission_close')!.overall_outcome).toBe('ABORTED');
    expect(orchestration(manifest).overall_outcome).toBe('ABORTED');
  });

  it('a purchase order above the 5,000,000 JPY mandate is refused at spawn (MANDATE_LIMIT_EXCEEDED)', () => {
    const { log } = run('procurement-hem-gate', ['orchestration.sub_goals[purchase-order].amount_jpy=5200000']);
    expect(first(log, 'aop.spawn_rejected', 'purchase-order')).toMatchObject({
      error: 'MANDATE_LIMIT_EXCEEDED',
      detail: 'commits 5200000 JPY, mandate limit 5000000 JPY',
    });
    expect(of(log, 'aop.assignment_issued', 'purchase-order')).toHaveLength(0);
    expect(first(log, 'aop.mission_close')!.overall_outcome).toBe('PARTIAL');
  });
});

describe('myauberge-travel (seed 003 section 1.2)', () => {
  it('runs accommodation, activities and dining in PARALLEL; transport only once accommodation is GOAL_ACHIEVED', () => {
    const { log, manifest } = run('myauberge-travel');
    const accommodationDone = first(log, 'aop.sub_goal_achieved', 'accommodation')!.seq;
    for (const parallel of ['activities', 'dining']) expect(first(log, 'aop.sub_goal_opened', parallel)!.seq).toBeLessThan(accommodationDone);
    expect(first(log, 'aop.sacr_issued', 'transport')!.seq).toBeGreaterThan(accommodationDone);
    expect(orchestration(manifest)).toMatchObject({ overall_outcome: 'MATCHED', critical_path: ['accommodation', 'transport'] });
  });

  it('accommodation fails: the guest is asked, transport is never assigned (CONDITIONAL), the rest completes', () => {
    const { log, manifest } = run('myauberge-travel', [
      'orchestration.sub_goals[accommodation].fault={after: const(1m), kind: failure, reason: no_availability}',
    ]);
    expect(first(log, 'aop.sub_goal_failed', 'accommodation')).toMatchObject({ ale: 'ALE-049', failure_reason: 'no_availability' });
    expect(first(log, 'aop.replan_escalated', 'accommodation')).toBeDefined();
    expect(of(log, 'aop.sacr_issued', 'transport')).toHaveLength(0);
    expect(first(log, 'aop.sub_goal_skipped', 'transport')!.reason).toBe('CONDITIONAL accommodation closed UNMATCHED');
    expect(orchestration(manifest)).toMatchObject({
      overall_outcome: 'PARTIAL',
      sub_goals: { accommodation: 'UNMATCHED', activities: 'MATCHED', dining: 'MATCHED', transport: 'SKIPPED' },
    });
  });
});

describe('aop-attacks (seed 003 section 15)', () => {
  // Run once for the assertions on its log; folders are removed after each test, so verify re-runs.
  const { log, manifest } = run('aop-attacks');
  const rejected = (error: string) => of(log, 'aop.spawn_rejected').filter((e) => e.error === error);

  it('15.1 hub compromise: scope inflation and an off-plan sub-goal are refused', () => {
    expect(rejected('SCOPE_NARROWING_VIOLATION')).toEqual([
      expect.objectContaining({ sub_goal_id: 'district1-routing', detail: 'outside the parent scope: D2.routing' }),
    ]);
    const localXpid = first(log, 'aop.sacr_issued', 'district1')!.xpid;
    expect(rejected('SCOPE_NARROWING_VIOLATION')[0]!.requester_xpid).toBe(localXpid);
    expect(rejected('SUB_GOAL_NOT_IN_PLAN')).toEqual([expect.objectContaining({ sub_goal_id: 'census-export' })]);
  });

  it('15.1 hub compromise: a direct Mission Status write is denied (CONF-AOP-SEC-02); the routing still runs its course', () => {
    const denied = first(log, 'aop.status_write_denied')!;
    expect(denied).toMatchObject({
      sub_goal_id: 'district1-routing',
      error: 'MISSION_STATUS_WRITE_DENIED',
      requester_xpid: first(log, 'aop.sacr_issued', 'district1')!.xpid,
    });
    const achieved = of(log, 'aop.sub_goal_achieved', 'district1-routing');
    expect(achieved).toHaveLength(1);
    expect(achieved[0]!.actor).toBe('agent:sim-ai-1r');
    expect(achieved[0]!.t).toBeGreaterThan(8 * 60e6);
  });

  it('15.2 recursive spawn: a leaf with a forged SACR is refused, SPAWN_DEPTH_EXCEEDED', () => {
    const [event] = rejected('SPAWN_DEPTH_EXCEEDED');
    expect(event?.requester_xpid).toBe(first(log, 'aop.sacr_issued', 'district1-routing')!.xpid);
    expect(event?.detail).toBe(
      'sim-ai-1r has max_spawn_depth 0, can_decompose false (the SACR it presented fails its signature; the committed record applies)',
    );
  });

  it('15.3 EOD scope inflation: the shelter EOD reaching census data is refused, EOD_SCOPE_VIOLATION', () => {
    expect(rejected('EOD_SCOPE_VIOLATION')).toEqual([
      expect.objectContaining({ sub_goal_id: 'district2-shelter', detail: 'EOD references fields outside the SACR scope: CENSUS.vulnerable_residents' }),
    ]);
    expect(of(log, 'aop.assignment_issued', 'district2-shelter')).toHaveLength(0);
  });

  it('15.4 standing plan hijack: SPO_INTEGRITY_VIOLATION (ALE-050), escalated, the altered plan never runs', () => {
    const violation = first(log, 'aop.spo_integrity_violation')!;
    const endorsed = log.find((e) => e.type === 'aop.eod_endorsed' && e.sub_goal_id === null)!;
    expect(violation).toMatchObject({
      ale: 'ALE-050',
      sub_goal_id: 'district2-routing',
      plan_b_id: 'static-routing-d2',
      expected_spo_hash: (endorsed.spo_hashes as Array<{ spo_hash: string }>)[0]!.spo_hash,
    });
    expect(violation.actual_spo_hash).not.toBe(violation.expected_spo_hash);
    expect(of(log, 'aop.replan_bounded_activated')).toHaveLength(0);
    expect(of(log, 'aop.sub_goal_plan_b_achieved')).toHaveLength(0);
    expect(first(log, 'aop.replan_escalated')!.escalation_reason).toBe('SPO_INTEGRITY_VIOLATION on static-routing-d2');
    // The commander issues a new EOD: re-endorsed, a plan update, and the routing completes on its primary outcome.
    expect(first(log, 'aop.replan_hem_resolved')!.resolution_outcome).toBe('NEW_EOD');
    expect(log.find((e) => e.type === 'aop.eod_endorsed' && e.eod_id === 'eod:district2-routing:2')).toBeDefined();
    expect(first(log, 'aop.plan_updated')).toMatchObject({ change: 'NEW_EOD', ref: 'eod:district2-routing:2' });
    expect(orchestration(manifest).sub_goals['district2-routing']).toBe('MATCHED');
  });

  it('a decomposed sub-goal with some children achieved closes PARTIAL (section 3.1), not UNMATCHED; the mission too', () => {
    // District 2: its routing is achieved, its shelter refused at spawn (15.3).
    expect(first(log, 'aop.sub_goal_failed', 'district2')).toMatchObject({
      ale: 'ALE-049',
      eod_outcome: 'PARTIAL',
      failure_reason: 'sub-goals not achieved: district2-shelter',
    });
    expect(of(log, 'aop.sub_goal_failed', 'district2-shelter')[0]).not.toHaveProperty('eod_outcome');
    const close = first(log, 'aop.mission_close')!;
    expect(close.sub_goal_outcomes).toContainEqual({ sub_goal_id: 'district2', eod_outcome: 'PARTIAL' });
    expect(close.sub_goal_outcomes).toContainEqual({ sub_goal_id: 'district2-shelter', eod_outcome: 'UNMATCHED' });
    expect(close.overall_outcome).toBe('PARTIAL');
  });

  it('every attack is refused and nothing unchecked takes effect; the log verifies', () => {
    expect(orchestration(manifest)).toMatchObject({
      spawns_rejected: { SCOPE_NARROWING_VIOLATION: 1, SUB_GOAL_NOT_IN_PLAN: 1, SPAWN_DEPTH_EXCEEDED: 1, EOD_SCOPE_VIOLATION: 1 },
      spo_integrity_violations: 1,
      status_writes_denied: 1,
      violations_executed: { spawns: {}, hijacked_plan_b: 0, approval_gates_bypassed: 0, status_forged: 0 },
    });
    expect(spawnSync(process.execPath, [BIN, 'verify', run('aop-attacks').dir], { encoding: 'utf8' }).status).toBe(0);
  });

  it('every attack is in the summary, refused by the GEC and visible in the log', () => {
    expect(orchestration(manifest).attacks).toEqual([
      { attack: '15.1 hub compromise - District 2 scope', outcome: 'refused', by: 'gec', code: 'SCOPE_NARROWING_VIOLATION', visible: 'log' },
      { attack: '15.1 hub compromise - off-plan sub-goal', outcome: 'refused', by: 'gec', code: 'SUB_GOAL_NOT_IN_PLAN', visible: 'log' },
      { attack: '15.1 hub compromise - status write', outcome: 'refused', by: 'gec', code: 'MISSION_STATUS_WRITE_DENIED', visible: 'log' },
      { attack: '15.2 recursive spawn - forged SACR', outcome: 'refused', by: 'gec', code: 'SPAWN_DEPTH_EXCEEDED', visible: 'log' },
      { attack: '15.4 standing plan hijack', outcome: 'refused', by: 'gec', code: 'SPO_INTEGRITY_VIOLATION', visible: 'log' },
      { attack: 'sub-goal district2-shelter (EOD_SCOPE_VIOLATION)', outcome: 'refused', by: 'gec', code: 'EOD_SCOPE_VIOLATION', visible: 'log' },
    ]);
    expect(orchestration(manifest).person_server).toBeNull();
    // AOP never consults the Person Server the chaining side runs under.
    expect(log.filter((e) => e.type.startsWith('delegation.') || e.type.startsWith('token.') || e.type.startsWith('mission.'))).toEqual([]);
  });
});

describe('SEC-11 and hub-only routing (seed 003 15.4 (2), 3.4, 5.1), enforced by the GEC', () => {
  const ATTACKS =
    'orchestration.attacks=[' +
    [
      '{kind: spo_substitute, at: 3m, plan_b: static-routing-d2, spo_ref: "https://attacker.example/spo.json"}',
      '{kind: direct_message, at: 2m, by: sim-ai-1r, to: master-ai}',
      '{kind: direct_message, at: 2m, by: sim-ai-1r, to: local-ai-1}',
      '{kind: direct_message, at: 2m, by: local-ai-1, to: local-ai-2}',
    ].join(', ') +
    ']';
  const { log, manifest } = run('aop-attacks', [ATTACKS]);
  const verdicts = (m: RunManifest) => Object.fromEntries(orchestration(m).attacks.map((a) => [a.attack, [a.outcome, a.by, a.code, a.visible]]));

  it('CONF-AOP-SEC-11: a Plan B whose SPO reference resolves outside the governed namespace is refused, SPO_NAMESPACE_VIOLATION, even as a verbatim copy', () => {
    expect(first(log, 'aop.spo_reference_rejected')).toMatchObject({
      sub_goal_id: 'district2-routing',
      plan_b_id: 'static-routing-d2',
      spo_ref: 'https://attacker.example/spo.json',
      error: 'SPO_NAMESPACE_VIOLATION',
      actor: 'gec',
    });
    // The copy's content is the reviewed SPO: the hash check (SEC-10) alone would have let it run.
    expect(of(log, 'aop.spo_integrity_violation')).toHaveLength(0);
    expect(of(log, 'aop.replan_bounded_activated')).toHaveLength(0);
    expect(first(log, 'aop.replan_escalated')!.escalation_reason).toBe('SPO_NAMESPACE_VIOLATION on static-routing-d2');
    expect(verdicts(manifest)['spo_substitute static-routing-d2']).toEqual(['refused', 'gec', 'SPO_NAMESPACE_VIOLATION', 'log']);
  });

  it('hub_only: a leaf contacting the Master, or a Local AI its sibling, is refused, HUB_ONLY_VIOLATION; a leaf reaching its own Local AI is routed', () => {
    const xpid = (subGoal: string) => first(log, 'aop.sacr_issued', subGoal)!.xpid;
    const master = log.find((e) => e.type === 'aop.sacr_issued' && e.sub_goal_id === null)!.xpid;
    // Both sent at 2m; the GEC's round trips decide which arrives first.
    expect(of(log, 'aop.message_rejected')).toHaveLength(2);
    expect(of(log, 'aop.message_rejected')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          requester_xpid: xpid('district1-routing'),
          to_xpid: master,
          error: 'HUB_ONLY_VIOLATION',
          detail: 'sim-ai-1r is hub_only; master-ai is neither the agent that spawned it nor one it spawned',
        }),
        expect.objectContaining({ requester_xpid: xpid('district1'), to_xpid: xpid('district2'), error: 'HUB_ONLY_VIOLATION' }),
      ]),
    );
    expect(of(log, 'aop.message_routed')).toEqual([
      expect.objectContaining({ from_xpid: xpid('district1-routing'), to_xpid: xpid('district1'), route: 'hub' }),
    ]);
    expect(verdicts(manifest)).toMatchObject({
      'direct_message by sim-ai-1r to master-ai': ['refused', 'gec', 'HUB_ONLY_VIOLATION', 'log'],
      'direct_message by local-ai-1 to local-ai-2': ['refused', 'gec', 'HUB_ONLY_VIOLATION', 'log'],
      'direct_message by sim-ai-1r to local-ai-1': ['took_effect', null, 'accepted', 'log'],
    });
  });

  it('a SACR with hub_only false lets its holder contact the Master directly; the sibling message is still refused', () => {
    const open = run('aop-attacks', [ATTACKS, 'orchestration.sub_goals[district1-routing].sacr.hub_only=false']);
    expect(first(open.log, 'aop.sacr_issued', 'district1-routing')!.hub_only).toBe(false);
    expect(of(open.log, 'aop.message_routed').map((e) => e.route)).toEqual(['hub', 'direct']);
    expect(verdicts(open.manifest)).toMatchObject({
      'direct_message by sim-ai-1r to master-ai': ['took_effect', null, 'accepted', 'log'],
      'direct_message by local-ai-1 to local-ai-2': ['refused', 'gec', 'HUB_ONLY_VIOLATION', 'log'],
    });
  });

  it('under AAuth chaining nothing sees either: the substituted plan runs and the off-route messages arrive, known to the oracle only', () => {
    const chain = run('aop-attacks', [ATTACKS, 'orchestration.governance=chaining']);
    expect(verdicts(chain.manifest)).toMatchObject({
      'spo_substitute static-routing-d2': ['took_effect', null, 'HIJACKED_PLAN_B', 'oracle'],
      'direct_message by sim-ai-1r to master-ai': ['took_effect', null, 'HUB_ONLY_VIOLATION', 'oracle'],
      'direct_message by local-ai-1 to local-ai-2': ['took_effect', null, 'HUB_ONLY_VIOLATION', 'oracle'],
    });
    expect(chain.log.filter((e) => e.type.startsWith('aop.message_') || e.type === 'aop.spo_reference_rejected')).toEqual([]);
  });
});

describe("aop-attacks as plain AAuth chaining under the commander's Person Server (the fair baseline)", () => {
  const chained = run('aop-attacks', ['orchestration.governance=chaining']);
  const attacks = () => Object.fromEntries(orchestration(chained.manifest).attacks.map((a) => [a.attack, a]));

  it("the run summary says which PS refused what, and each attack's fate", () => {
    const result = spawnSync(
      process.execPath,
      [BIN, 'run', join(SCENARIOS, 'aop-attacks.yaml'), '--set', 'orchestration.governance=chaining', '--out', join(tempDir(), 'cli')],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Mission Status writes denied 0; refused by ps:commander-ps (envelope, at-mint, depth cap 2) 3');
    expect(result.stdout).toContain(
      '    attack 15.2 recursive spawn - forged SACR: refused by ps:commander-ps (delegation depth 3 exceeds the deployment cap 2)',
    );
    expect(result.stdout).toContain('    attack 15.4 standing plan hijack: took effect, HIJACKED_PLAN_B (only the oracle knows)');
  });

  it("the orchestrator's mandate is an AAuth mission the PS approves, and every spawn is a delegation it mints", () => {
    expect(orchestration(chained.manifest).person_server).toEqual({ actor: 'ps:commander-ps', model: 'envelope', narrowing: 'at-mint', depthCap: 2 });
    expect(first(chained.log, 'mission.approved')).toMatchObject({
      actor: 'ps:commander-ps',
      agent: 'master-ai',
      scope: ['D1/routing', 'D1/shelter', 'D2/routing', 'D2/shelter'],
    });
    expect(first(chained.log, 'mission.approved')!.seq).toBeLessThan(first(chained.log, 'aop.mission_open')!.seq);
    const granted = of(chained.log, 'delegation.granted').map((e) => `${e.parent}>${e.child}@${e.depth}`);
    expect(granted).toEqual(expect.arrayContaining(['master-ai>local-ai-1@1', 'master-ai>local-ai-2@1', 'local-ai-1>sim-ai-1r@2', 'local-ai-2>sim-ai-2s@2']));
    // Each minted sub-agent's work asks the PS for a token per field it touches.
    expect(of(chained.log, 'token.auth_granted').map((e) => `${e.agent} ${e.resource}/${e.scope}`)).toContain('sim-ai-1r D1/routing');
  });

  it('the oracle judges the PS against the mandate: the one attacker hop the PS minted is outside it, its refusals of attackers no false denial', () => {
    // The rogue spawns are the attacker's (it says so to the oracle): the EOD-inflation spawn the PS minted is the
    // one hop outside the intent; the two it refused (District 2 scope, recursive spawn) are not false denials.
    expect(chained.manifest.summary.authority).toMatchObject({
      delegations_granted: 7,
      delegations_rejected: 2,
      delegations_outside_intent: 1,
      false_denials: 0,
    });
  });

  it('15.1 District 2 scope: refused by the PS at mint (envelope subset check), as by the GEC', () => {
    expect(attacks()['15.1 hub compromise - District 2 scope']).toMatchObject({ outcome: 'refused', by: 'ps:commander-ps', visible: 'log' });
    expect(first(chained.log, 'delegation.rejected')).toMatchObject({
      parent: 'local-ai-1',
      depth: 2,
      reason: expect.stringContaining('child grant D2/routing on D2 exceeds the parent grant'),
    });
  });

  it('15.2 recursive spawn: refused by the PS (depth 3 beyond its cap of 2; the forged SACR is nothing the PS reads)', () => {
    expect(attacks()['15.2 recursive spawn - forged SACR']).toEqual({
      attack: '15.2 recursive spawn - forged SACR',
      outcome: 'refused',
      by: 'ps:commander-ps',
      code: 'delegation depth 3 exceeds the deployment cap 2',
      visible: 'log',
    });
  });

  it("15.2 with no depth cap to speak of: the envelope's delegation bound refuses it at mint", () => {
    const uncapped = run('aop-attacks', ['orchestration.governance=chaining', 'topology.person_servers[commander-ps].max_depth=5']);
    const outcome = orchestration(uncapped.manifest).attacks.find((a) => a.attack === '15.2 recursive spawn - forged SACR');
    expect(outcome).toMatchObject({ outcome: 'refused', by: 'ps:commander-ps', code: "child delegation bound 3 exceeds the parent's 2" });
  });

  it('15.3 EOD scope inflation: the PS mints the shelter agent, then refuses its census read (auth token), so the sub-goal fails', () => {
    expect(attacks()['sub-goal district2-shelter (EOD_SCOPE_VIOLATION)']).toMatchObject({
      outcome: 'refused',
      by: 'ps:commander-ps',
      code: expect.stringContaining('auth token for CENSUS.vulnerable_residents'),
    });
    expect(first(chained.log, 'token.auth_denied')).toMatchObject({ agent: 'sim-ai-2s', resource: 'CENSUS', scope: 'vulnerable_residents' });
    expect(orchestration(chained.manifest).sub_goals['district2-shelter']).toBe('UNMATCHED');
  });

  it('only AOP catches the off-plan sub-goal, the status write and the Plan B hijack: they take effect, and only the oracle knows', () => {
    expect(attacks()['15.1 hub compromise - off-plan sub-goal']).toEqual({
      attack: '15.1 hub compromise - off-plan sub-goal',
      outcome: 'took_effect',
      by: null,
      code: 'SUB_GOAL_NOT_IN_PLAN',
      visible: 'oracle',
    });
    expect(attacks()['15.1 hub compromise - status write']).toMatchObject({ outcome: 'took_effect', code: 'MISSION_STATUS_FORGED', visible: 'oracle' });
    expect(attacks()['15.4 standing plan hijack']).toMatchObject({ outcome: 'took_effect', code: 'HIJACKED_PLAN_B', visible: 'oracle' });
    expect(orchestration(chained.manifest)).toMatchObject({
      governance: 'chaining',
      spawns_rejected: {},
      spo_integrity_violations: 0,
      ps_refusals: 3,
      violations_executed: { spawns: { SUB_GOAL_NOT_IN_PLAN: 1 }, hijacked_plan_b: 1, status_forged: 1 },
    });
    // The off-plan sub-agent is minted inside the mandate: nothing in the log says the plan has no such node.
    expect(of(chained.log, 'delegation.granted').find((e) => e.parent === 'master-ai' && e.depth === 1 && e.child === 'rogue-2')).toBeDefined();
    // The forged status lets District 1 shelter start on routes that were never computed.
    const forged = first(chained.log, 'aop.sub_goal_achieved', 'district1-routing')!;
    expect(forged).toMatchObject({ actor: 'agent:local-ai-1' });
    expect(forged.t).toBeLessThan(2 * 60e6);
    expect(first(chained.log, 'aop.sub_goal_opened', 'district1-shelter')!.seq).toBeGreaterThan(forged.seq);
    expect(of(chained.log, 'aop.sacr_issued')).toHaveLength(0);
    expect(of(chained.log, 'aop.eod_endorsed')).toHaveLength(0);
    expect(first(chained.log, 'aop.mission_open')!.root_eod_id).toBeNull();
  });

  it('under a PS deciding by scope strings (no subset semantics) the District 2 scope takes effect too; the depth cap and the census token still hold', () => {
    const scopes = run('aop-attacks', ['orchestration.governance=chaining', 'topology.person_servers[commander-ps].authority=scopes']);
    const byAttack = Object.fromEntries(orchestration(scopes.manifest).attacks.map((a) => [a.attack, a]));
    expect(byAttack['15.1 hub compromise - District 2 scope']).toMatchObject({ outcome: 'took_effect', code: 'SCOPE_NARROWING_VIOLATION', visible: 'oracle' });
    expect(byAttack['15.2 recursive spawn - forged SACR']).toMatchObject({ outcome: 'refused', by: 'ps:commander-ps' });
    expect(byAttack['sub-goal district2-shelter (EOD_SCOPE_VIOLATION)']).toMatchObject({
      outcome: 'refused',
      by: 'ps:commander-ps',
      code: 'auth token for CENSUS.vulnerable_residents: outside mission scope',
    });
  });
});

describe('mission ALEs (seed 003 section 17.3)', () => {
  it('every ALE event in every AOP scenario carries the mandatory fields', () => {
    const seen = new Set<string>();
    for (const [name, overrides] of [
      ['emergency-three-tier', []],
      ['procurement-hem-gate', []],
      ['aop-attacks', []],
      ['myauberge-travel', ['orchestration.sub_goals[accommodation].fault={after: const(1m), kind: failure, reason: no_availability}']],
    ] as Array<[string, string[]]>) {
      for (const event of run(name, overrides).log) {
        if (typeof event.ale !== 'string') continue;
        seen.add(event.ale);
        for (const field of MANDATORY[event.ale] ?? ['(unknown ALE)']) expect(event, `${event.ale} ${field}`).toHaveProperty(field);
        expect(Number.isInteger(event.t)).toBe(true);
      }
    }
    expect([...seen].sort()).toEqual(Object.keys(MANDATORY));
  });
});

describe('SACR signatures (CONF-AOP-SEC-05)', () => {
  it('every ALE-043 verifies from the log alone with the GEC key of the session block; any altered field fails', () => {
    const { log } = run('emergency-three-tier');
    const publicKey = String(log[log.length - 2]!.public_key);
    const signed = (e: Event) => ({
      mission_id: e.mission,
      sacr_id: e.sacr_id,
      sub_goal_id: e.sub_goal_id,
      parent_xpid: e.parent_xpid,
      ephemeral_kia_ref: e.ephemeral_kia_ref,
      scope_hash: e.scope_hash,
      xpid: e.xpid,
      can_decompose: e.can_decompose,
      max_spawn_depth: e.max_spawn_depth,
      hub_only: e.hub_only,
      replan_authority: e.replan_authority,
    });
    const sacrs = of(log, 'aop.sacr_issued');
    expect(sacrs).toHaveLength(10);
    for (const sacr of sacrs) expect(verifySacrFields(publicKey, signed(sacr), String(sacr.sacr_signature))).toBe(true);
    const leaf = sacrs.find((s) => s.sub_goal_id === 'district2-routing')!;
    expect(verifySacrFields(publicKey, { ...signed(leaf), max_spawn_depth: 2 }, String(leaf.sacr_signature))).toBe(false);
    expect(verifySacrFields(publicKey, { ...signed(leaf), scope_hash: '0'.repeat(64) }, String(leaf.sacr_signature))).toBe(false);
  });
});

describe('AOP logs elsewhere in the workbench', () => {
  it('a log with its session block removed is ingested, re-sealed and verifies (logs from a real GEC can be checked)', () => {
    const { dir } = run('aop-attacks');
    const unsealed = readLines(join(dir, 'events.jsonl')).filter((line) => !line.includes('"type":"audit.session_block"'));
    const file = join(tempDir(), 'gec-export.jsonl');
    writeFileSync(file, `${unsealed.join('\n')}\n`);
    const out = join(tempDir(), 'ingested');
    const ingest = spawnSync(process.execPath, [BIN, 'ingest', file, '--out', out], { encoding: 'utf8' });
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(spawnSync(process.execPath, [BIN, 'verify', out], { encoding: 'utf8' }).stdout).toMatch(
      /^ok: \d+ events, chain intact, sealed, 1 session blocks verified/,
    );
  });

  it('property: any seed gives the same bytes twice, under AOP and under chaining', () => {
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.constantFrom('aop', 'chaining'), (seed, governance) => {
        const bytes = () => readFileSync(join(run('aop-attacks', [`orchestration.governance=${governance}`], seed).dir, 'events.jsonl'));
        expect(bytes().equals(bytes())).toBe(true);
      }),
      { numRuns: 6 },
    );
  });
});
