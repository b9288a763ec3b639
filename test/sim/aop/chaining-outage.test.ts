import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareGovernance } from '../../../cli/aop-compare.ts';
import { attackSplit, type GovernanceRow } from '../../../sim/aop/compare.ts';
import { SCENARIOS, tempDir } from '../../helpers.ts';

/**
 * A Person Server outage is no refusal. Only the chaining side depends on
 * the PS, so an outage it counted as refusals would show as security the
 * PS gave: under a 20-minute outage from 10 s the chaining client waits it
 * out (the 503's Retry-After) and every attack meets the same verdict, for
 * the same reason, as in the control run without the outage.
 */
const OUTAGE_END_S = 10 + 20 * 60;
const SEEDS = [1, 2, 3];

describe('aop-attacks under a Person Server outage (the chaining side waits it out)', () => {
  let aop: GovernanceRow, chaining: GovernanceRow, controlAop: GovernanceRow, control: GovernanceRow;
  beforeAll(() => {
    const file = join(SCENARIOS, 'aop-attacks.yaml');
    [aop, chaining] = compareGovernance(file, SEEDS, tempDir(), ['topology.person_servers[0].outages=[{at: 10s, for: 20m}]']) as [GovernanceRow, GovernanceRow];
    [controlAop, control] = compareGovernance(file, SEEDS, tempDir()) as [GovernanceRow, GovernanceRow];
  });

  it('counts no PS refusal for an outage answer: the same refusals, for the same reasons, as without the outage', () => {
    expect(control.ps_refusals).toBe(9);
    expect(chaining.ps_refusals).toBe(control.ps_refusals);
    expect(chaining.attacks).toEqual(control.attacks);
    expect(chaining.took_effect).toEqual(control.took_effect);
    expect(chaining.outcomes).toEqual(control.outcomes);
    expect(attackSplit([aop, chaining])).toEqual(attackSplit([controlAop, control]));
    const verdicts = Object.values(chaining.attacks).flatMap((byVerdict) => Object.keys(byVerdict));
    expect(verdicts.filter((verdict) => /pending|unavailable|holds no delegation/.test(verdict))).toEqual([]);
  });

  it('rogue spawns are refused, or take effect, for their real reason', () => {
    expect(chaining.attacks['15.1 hub compromise - District 2 scope']).toEqual({
      'refused by ps:commander-ps: child grant D2/routing on D2 exceeds the parent grant: D2/routing (D2/routing) permitted by no grant': 3,
    });
    expect(chaining.attacks['15.2 recursive spawn - forged SACR']).toEqual({
      'refused by ps:commander-ps: delegation depth 3 exceeds the deployment cap 2': 3,
    });
    expect(chaining.attacks['15.1 hub compromise - off-plan sub-goal']).toEqual({ 'took effect: SUB_GOAL_NOT_IN_PLAN (only the oracle knows)': 3 });
  });

  it('the chaining side goes on after the outage (its makespan is the control one plus the wait); the AOP side never asks the PS', () => {
    expect(control.mean_makespan_s).toBeLessThan(OUTAGE_END_S);
    expect(chaining.mean_makespan_s).toBeGreaterThan(OUTAGE_END_S);
    expect(chaining.plan_b_activated).toBe(control.plan_b_activated);
    expect(aop).toEqual(controlAop);
  });
});

describe('aop-attacks under a Person Server outage that outlasts the run', () => {
  it('a rogue spawn the PS never decided reads "unanswered" at the close, not "never came into play" nor a refusal', () => {
    const file = join(SCENARIOS, 'aop-attacks.yaml');
    const [, chaining] = compareGovernance(file, [1], tempDir(), ['topology.person_servers[0].outages=[{at: 10s, for: 5h}]']) as [GovernanceRow, GovernanceRow];
    const unanswered = { 'no effect (unanswered: ps:commander-ps had not decided when the orchestration closed)': 1 };
    expect(chaining.attacks['15.1 hub compromise - District 2 scope']).toEqual(unanswered);
    expect(chaining.attacks['15.1 hub compromise - off-plan sub-goal']).toEqual(unanswered);
    expect(chaining.attacks['15.2 recursive spawn - forged SACR']).toEqual(unanswered);
    expect(chaining.ps_refusals).toBe(0);
  });
});
