import { Type, type TObject, type TProperties } from '@sinclair/typebox';

/**
 * Audit events of AOP missions (seed 003 section 17.3: ALE-042 to ALE-055,
 * plus the GEC's endorsements, rejections and plan updates). Each ALE event
 * carries its code in `ale` and the seed's mandatory fields; `timestamp` is
 * the line's `t`. EODs and plans appear only as ids and SHA-256 hashes,
 * never as bodies (section 16). Registered with the catalogue by
 * sim/events.ts; the declaration below adds their types to it.
 */
const text = Type.String();
const nullableText = Type.Union([text, Type.Null()]);
const hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const count = Type.Integer({ minimum: 0 });
const ale = (code: string) => Type.Literal(code);
const fields = <P extends TProperties>(properties: P, description: string) => Type.Object(properties, { additionalProperties: false, description });

/** MATCHED, PARTIAL, PLAN_B_MATCHED, UNMATCHED are seed 003's (section 3.1); SKIPPED and NOT_STARTED are this project's (docs/aop-draft-conformance.md). */
export const SUB_GOAL_OUTCOMES = ['MATCHED', 'PLAN_B_MATCHED', 'PARTIAL', 'UNMATCHED', 'SKIPPED', 'NOT_STARTED'] as const;
export const MISSION_OUTCOMES = ['MATCHED', 'PLAN_B_MATCHED', 'PARTIAL', 'UNMATCHED', 'ABORTED', 'INCOMPLETE'] as const;
const oneOf = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

export const AOP_EVENTS = {
  'aop.eod_endorsed': fields(
    {
      eod_id: text,
      eod_hash: hex64,
      sub_goal_id: nullableText,
      spo_hashes: Type.Array(Type.Object({ plan_b_id: text, spo_hash: hex64 }, { additionalProperties: false })),
    },
    'the GEC endorses an EOD (intake_endorsement): its id, its hash, and the SHA-256 of each Plan B Standing Plan Object',
  ),
  'aop.mission_open': fields(
    {
      ale: ale('ALE-042'),
      mission_id: text,
      mission_plan_so_id: text,
      root_eod_id: nullableText,
      mission_principal_xpid: text,
      governance: oneOf(['aop', 'chaining']),
      plan_version: count,
      plan_hash: hex64,
      critical_path: Type.Array(text),
      critical_path_us: count,
    },
    'ALE-042 MISSION_OPEN: the Mission Plan SO is committed (root_eod_id null under plain chaining)',
  ),
  'aop.sacr_issued': fields(
    {
      ale: ale('ALE-043'),
      sacr_id: text,
      sub_goal_id: nullableText,
      parent_xpid: text,
      ephemeral_kia_ref: text,
      scope_hash: hex64,
      xpid: text,
      can_decompose: Type.Boolean(),
      max_spawn_depth: count,
      hub_only: Type.Boolean(),
      replan_authority: text,
      sacr_signature: text,
    },
    "ALE-043 SACR_ISSUED: a Sub-Agent Composition Record, Ed25519-signed by the GEC over all its fields (sub_goal_id null: the orchestrator's)",
  ),
  'aop.assignment_issued': fields(
    { ale: ale('ALE-044'), assignment_id: text, sacr_id: text, sub_goal_id: text, endorsed_eod_id: text, eod_hash: hex64, assigned_agent_kia_ref: text },
    'ALE-044 ASSIGNMENT_ISSUED: an Assignment Primitive to a sub-agent under its SACR and endorsed EOD',
  ),
  'aop.sub_goal_opened': fields(
    { ale: ale('ALE-045'), sub_goal_id: text, assignment_id: nullableText, session_id: text },
    "ALE-045 SUB_GOAL_OPENED: the sub-agent's session starts the sub-goal (assignment_id null under plain chaining)",
  ),
  'aop.sub_goal_achieved': fields(
    { ale: ale('ALE-046'), sub_goal_id: text, session_id: text, eod_outcome: Type.Literal('MATCHED') },
    'ALE-046 SUB_GOAL_GOAL_ACHIEVED',
  ),
  'aop.sub_goal_plan_b_achieved': fields(
    { ale: ale('ALE-047'), sub_goal_id: text, session_id: text, eod_outcome: Type.Literal('PLAN_B_MATCHED'), plan_b_id: text },
    'ALE-047 SUB_GOAL_PLAN_B_ACHIEVED',
  ),
  'aop.sub_goal_at_risk': fields(
    { ale: ale('ALE-048'), sub_goal_id: text, at_risk_reason: text },
    'ALE-048 SUB_GOAL_AT_RISK: the Mission Status AT_RISK flag is set',
  ),
  'aop.sub_goal_failed': fields(
    { ale: ale('ALE-049'), sub_goal_id: text, session_id: nullableText, failure_reason: text, eod_outcome: Type.Optional(Type.Literal('PARTIAL')) },
    "ALE-049 SUB_GOAL_FAILED: closed UNMATCHED, or PARTIAL (eod_outcome present) when some of a decomposed sub-goal's children were achieved (session_id null if it never opened)",
  ),
  'aop.spo_integrity_violation': fields(
    { ale: ale('ALE-050'), sub_goal_id: text, plan_b_id: text, expected_spo_hash: hex64, actual_spo_hash: hex64 },
    'ALE-050 SPO_INTEGRITY_VIOLATION: Plan B activation rejected, the Standing Plan Object changed since endorsement',
  ),
  'aop.replan_evaluated': fields(
    {
      ale: ale('ALE-051'),
      mission_id: text,
      sub_goal_id: text,
      replan_authority: text,
      evaluation_outcome: oneOf(['PLAN_B', 'ESCALATED_TO_PARENT', 'ESCALATED_TO_HEM']),
      evaluator_xpid: text,
    },
    'ALE-051 REPLAN_EVALUATED: one orchestrating agent evaluates re-planning',
  ),
  'aop.replan_bounded_activated': fields(
    {
      ale: ale('ALE-052'),
      mission_id: text,
      sub_goal_id: text,
      plan_b_id: text,
      activation_conditions_met: Type.Array(text),
      spo_hash: hex64,
      replan_authority: text,
    },
    'ALE-052 REPLAN_BOUNDED_ACTIVATED: a pre-declared Plan B is activated within bounds',
  ),
  'aop.replan_escalated': fields(
    { ale: ale('ALE-053'), mission_id: text, sub_goal_id: text, escalation_reason: text, hem_escalation_id: text, escalated_to_xpid: text },
    'ALE-053 REPLAN_ESCALATED: to the human escalation mechanism (HEM)',
  ),
  'aop.replan_hem_resolved': fields(
    {
      ale: ale('ALE-054'),
      mission_id: text,
      hem_escalation_id: text,
      resolution_outcome: oneOf(['NEW_EOD', 'MISSION_ABORT', 'CONTINUE']),
      resolver_xpid: text,
    },
    'ALE-054 REPLAN_HEM_RESOLVED',
  ),
  'aop.mission_close': fields(
    {
      ale: ale('ALE-055'),
      mission_id: text,
      mission_plan_so_id: text,
      session_block_id: text,
      sub_goal_outcomes: Type.Array(Type.Object({ sub_goal_id: text, eod_outcome: oneOf(SUB_GOAL_OUTCOMES) }, { additionalProperties: false })),
      overall_outcome: oneOf(MISSION_OUTCOMES),
      plan_version: count,
    },
    "ALE-055 MISSION_CLOSE: every sub-goal's outcome; the signed session block follows",
  ),
  'aop.spawn_rejected': fields(
    { requester_xpid: text, sub_goal_id: text, error: text, detail: text, scope_hash: hex64 },
    'the GEC rejects a spawn: SPAWN_DEPTH_EXCEEDED (ALE-SPAWN-02), SUB_GOAL_NOT_IN_PLAN, SCOPE_NARROWING_VIOLATION, EOD_SCOPE_VIOLATION, MANDATE_LIMIT_EXCEEDED, SACR_NOT_FOUND',
  ),
  'aop.plan_updated': fields(
    { mission_plan_so_id: text, plan_version: count, plan_hash: hex64, sub_goal_id: text, change: text, ref: text },
    'a versioned Mission Plan update, made by the GEC only',
  ),
  'aop.status_write_denied': fields(
    { requester_xpid: text, sub_goal_id: text, error: Type.Literal('MISSION_STATUS_WRITE_DENIED') },
    'an agent tried to write the Mission Status directly; only the GEC may (CONF-AOP-SEC-02)',
  ),
  'aop.spo_reference_rejected': fields(
    { sub_goal_id: text, plan_b_id: text, spo_ref: text, error: Type.Literal('SPO_NAMESPACE_VIOLATION') },
    "Plan B activation rejected: its SPO reference resolves outside the GEC's governed SO namespace (CONF-AOP-SEC-11; the draft names no code or ALE, this one is the project's)",
  ),
  'aop.message_routed': fields(
    { from_xpid: text, to_xpid: text, route: oneOf(['hub', 'direct']) },
    "the GEC delivers an agent-to-agent message: along the hub route (the sender's spawner or an agent it spawned), or directly when the sender's SACR is not hub_only",
  ),
  'aop.message_rejected': fields(
    { requester_xpid: text, to_xpid: text, error: oneOf(['HUB_ONLY_VIOLATION', 'SACR_NOT_FOUND']), detail: text },
    "the GEC refuses an agent-to-agent message off a hub_only sender's hub route (MAD section 5 via seed 003 5.1; HUB_ONLY_VIOLATION is the project's code)",
  ),
  'aop.sacr_revoked': fields(
    { trigger: oneOf(['R-1', 'R-2', 'R-3', 'R-4', 'R-5', 'R-6', 'R-7']), sacr_id: text, xpid: text, cascade_from_xpid: nullableText },
    'the GEC revokes a SACR on a MAD revocation trigger (seed 003 5.1), or by cascade from the agent above it (cascade_from_xpid); the draft defines no ALE for it',
  ),
  'aop.sub_goal_skipped': fields(
    { sub_goal_id: text, reason: text },
    'a sub-goal never assigned: a CONDITIONAL or SEQUENTIAL dependency was not met, or the mission was aborted',
  ),
  'chain.delegated': fields(
    { parent: text, agent: text, sub_goal_id: text, scope_hash: hex64, max_spawn_depth: count },
    'plain AAuth chaining: a delegation by token exchange, with no GEC checks',
  ),
} satisfies Record<string, TObject>;

type AopEvents = typeof AOP_EVENTS;
declare module '../log/catalogue.ts' {
  interface EventSchemas extends AopEvents {}
}
