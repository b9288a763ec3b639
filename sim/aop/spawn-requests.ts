import type { SpawnRequest } from './gec-checks.ts';
import type { AttackDef, SubGoalDef } from '../scenario/orchestration-schema.ts';

/**
 * What a sub-goal's assigner asks the GEC to spawn: the sub-goal's agent
 * with its SACR (scope, decomposition, spawn depth, hub-only, re-plan
 * authority), its EOD fields and, for a payment, the amount it commits
 * (the GEC checks it against its own mandate limit).
 */
export function subGoalSpawnRequest(goal: SubGoalDef, requester: string): SpawnRequest {
  return {
    requester,
    sub_goal_id: goal.id,
    agent: goal.agent,
    scope: goal.sacr.scope,
    can_decompose: goal.sacr.can_decompose ?? false,
    max_spawn_depth: goal.sacr.max_spawn_depth ?? 0,
    hub_only: goal.sacr.hub_only ?? true,
    replan_authority: goal.sacr.replan_authority ?? 'NONE',
    eod_fields: goal.eod.fields,
    amount_jpy: goal.amount_jpy,
  };
}

/**
 * Seed 003 section 15: the spawn a compromised agent attempts (an agent
 * outside its scope, too deep, or with fields its EOD does not allow), as
 * the GEC's spawn checks receive it. `n` numbers the run's rogue agents;
 * a spawn that names no sub-goal gets one of its own.
 */
export function rogueSpawnRequest(attack: AttackDef, n: number): SpawnRequest {
  const scope = attack.scope ?? [];
  return {
    requester: attack.by as string,
    sub_goal_id: attack.sub_goal ?? `rogue-${n}`,
    agent: `rogue-${n}`,
    scope,
    can_decompose: false,
    max_spawn_depth: attack.max_spawn_depth ?? 0,
    hub_only: true,
    replan_authority: 'NONE',
    eod_fields: attack.eod_fields ?? scope,
  };
}
