import type { SpawnRequest } from './gec-checks.ts';
import type { AttackDef } from './schema.ts';

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
