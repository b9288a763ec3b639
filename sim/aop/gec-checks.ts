import type { MissionPlan } from './plan.ts';
import type { ReplanAuthority } from '../scenario/orchestration-schema.ts';
import { inScope, isStrictSubset, outside } from './scope.ts';

/** The SACR fields a spawn asks for, and that a committed SACR records. */
export interface SacrTerms {
  scope: readonly string[];
  can_decompose: boolean;
  max_spawn_depth: number;
  hub_only: boolean;
  replan_authority: ReplanAuthority;
}

/** A gec.spawnSubAgent() call. */
export interface SpawnRequest extends SacrTerms {
  /** The requesting agent. */
  requester: string;
  sub_goal_id: string;
  agent: string;
  /** Fields the sub-goal EOD's target_state and success_conditions reference. */
  eod_fields: readonly string[];
  /** The requester presented its SACR with max_spawn_depth raised to this (seed 003 15.2); the GEC verifies it on receipt. */
  presented_max_spawn_depth?: number;
  /** Set by the GEC on receipt: the SACR the requester presented does not verify (forged). */
  forged?: boolean;
  /** What the sub-goal commits, against the root mandate's limit. */
  amount_jpy?: number | undefined;
  /** The root mandate's limit: the GEC's own, set on receipt (gec.ts `receive`), never the requester's word. */
  limit_jpy?: number | undefined;
}

/** The requester's committed SACR, as the GEC recorded it. */
export interface CommittedSacr extends SacrTerms {
  /** The plan node it was issued for; null for the orchestrator's. */
  sub_goal_id: string | null;
}

export const SPAWN_ERRORS = [
  'SACR_NOT_FOUND',
  'SPAWN_DEPTH_EXCEEDED',
  'SUB_GOAL_NOT_IN_PLAN',
  'SCOPE_NARROWING_VIOLATION',
  'EOD_SCOPE_VIOLATION',
  'MANDATE_LIMIT_EXCEEDED',
] as const;
export type SpawnError = (typeof SPAWN_ERRORS)[number];

export type SpawnVerdict = { ok: true } | { ok: false; error: SpawnError; detail: string };

/** A committed SACR as the routing check needs it: its identity and its hub. */
export interface RoutedParty {
  agent: string;
  xpid: string;
  parent_xpid: string;
  hub_only: boolean;
}

export type MessageVerdict = { ok: true; route: 'hub' | 'direct' } | { ok: false; error: 'HUB_ONLY_VIOLATION' | 'SACR_NOT_FOUND'; detail: string };

/**
 * Hub-only routing (MAD section 5, which seed 003 section 5.1 applies to
 * every AOP sub-agent "unless explicitly overridden"; section 3.4: a leaf
 * with hub_only "cannot directly contact the Master AI" and is reached
 * "via the hub-only routing path"). The hub route is the SACR tree: an
 * agent's spawner, or an agent it spawned. A hub_only sender reaching any
 * other agent is refused; the draft names no code, so HUB_ONLY_VIOLATION is
 * this project's (docs/aop-draft-conformance.md). Only the sender's
 * hub_only binds: the receiver's constrains what it sends, not what reaches it.
 */
export function checkMessage(from: RoutedParty | undefined, to: RoutedParty | undefined, fromAgent: string, toAgent: string): MessageVerdict {
  if (!from) return { ok: false, error: 'SACR_NOT_FOUND', detail: `${fromAgent} holds no committed SACR` };
  if (!to) return { ok: false, error: 'SACR_NOT_FOUND', detail: `${toAgent} holds no committed SACR` };
  const onRoute = to.xpid === from.parent_xpid || to.parent_xpid === from.xpid;
  if (onRoute) return { ok: true, route: 'hub' };
  if (!from.hub_only) return { ok: true, route: 'direct' };
  return { ok: false, error: 'HUB_ONLY_VIOLATION', detail: `${fromAgent} is hub_only; ${toAgent} is neither the agent that spawned it nor one it spawned` };
}

/**
 * The GEC's checks at spawn (seed 003 sections 5.4, 15.1-15.3), in order:
 * the requester's committed SACR must exist and allow a further tier
 * (CONF-AOP-SEC-04, -06), the sub-goal must be a node of the committed plan
 * that the requester decomposes (-03), the requested scope must be a strict
 * subset of the requester's (-01), and every field the sub-goal EOD
 * references must lie inside the requested scope (-07); and what the
 * sub-goal commits must stay within the root mandate's limit.
 */
export function checkSpawn(parent: CommittedSacr | undefined, request: SpawnRequest, plan: MissionPlan): SpawnVerdict {
  if (!parent) return { ok: false, error: 'SACR_NOT_FOUND', detail: `${request.requester} holds no committed SACR` };
  const forged = request.forged ? ' (the SACR it presented fails its signature; the committed record applies)' : '';
  if (!parent.can_decompose || parent.max_spawn_depth === 0) {
    return {
      ok: false,
      error: 'SPAWN_DEPTH_EXCEEDED',
      detail: `${request.requester} has max_spawn_depth ${parent.max_spawn_depth}, can_decompose ${parent.can_decompose}${forged}`,
    };
  }
  if (request.max_spawn_depth > parent.max_spawn_depth - 1) {
    return { ok: false, error: 'SPAWN_DEPTH_EXCEEDED', detail: `requested max_spawn_depth ${request.max_spawn_depth} > ${parent.max_spawn_depth - 1}` };
  }
  if (!plan.has(request.sub_goal_id)) {
    return { ok: false, error: 'SUB_GOAL_NOT_IN_PLAN', detail: `${request.sub_goal_id} is not a node of the committed Mission Plan` };
  }
  const assignedBy = plan.node(request.sub_goal_id).parent ?? null;
  if (assignedBy !== parent.sub_goal_id) {
    return { ok: false, error: 'SUB_GOAL_NOT_IN_PLAN', detail: `${request.sub_goal_id} is not decomposed from ${parent.sub_goal_id ?? 'the mission'}` };
  }
  if (!isStrictSubset(request.scope, parent.scope)) {
    const extra = outside(request.scope, parent.scope);
    return {
      ok: false,
      error: 'SCOPE_NARROWING_VIOLATION',
      detail: extra.length > 0 ? `outside the parent scope: ${extra.join(', ')}` : 'not narrower than the parent scope',
    };
  }
  const stray = request.eod_fields.filter((field) => !inScope(request.scope, field));
  if (stray.length > 0) return { ok: false, error: 'EOD_SCOPE_VIOLATION', detail: `EOD references fields outside the SACR scope: ${stray.join(', ')}` };
  if (request.amount_jpy !== undefined && request.limit_jpy !== undefined && request.amount_jpy > request.limit_jpy) {
    return { ok: false, error: 'MANDATE_LIMIT_EXCEEDED', detail: `commits ${request.amount_jpy} JPY, mandate limit ${request.limit_jpy} JPY` };
  }
  return { ok: true };
}
