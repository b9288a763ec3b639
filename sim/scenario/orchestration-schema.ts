import { Type, type Static } from '@sinclair/typebox';

import { Duration, DurationDistribution, Id, literals } from './schema-types.ts';

/**
 * The `orchestration:` section of a scenario: one AOP mission (seed 003,
 * draft-sato-soos-aop-00): a Mission Plan of sub-goals, each delegated to a
 * sub-agent under a SACR with an Expected Outcome Declaration, run either
 * under the GEC's governance (`aop`) or as plain AAuth chaining (`chaining`).
 */

/** Work time of a leaf sub-goal or a Plan B that gives none. */
export const DEFAULT_WORK = 'exp(1m)';

export const GOVERNANCE_MODES = ['aop', 'chaining'] as const;
export const DEPENDENCY_TYPES = ['SEQUENTIAL', 'PARALLEL', 'CONDITIONAL'] as const;
export const REPLAN_AUTHORITIES = ['NONE', 'BOUNDED', 'AUTONOMOUS'] as const;
export const HEM_RESOLUTIONS = ['NEW_EOD', 'MISSION_ABORT', 'CONTINUE'] as const;
export const FAULT_KINDS = ['at_risk', 'failure'] as const;
/** MAD's revocation trigger classes, named by seed 003 section 5.1 (defined in MAD section 7, not in the seed). */
export const REVOCATION_TRIGGERS = ['R-1', 'R-2', 'R-3', 'R-4', 'R-5', 'R-6', 'R-7'] as const;
export const ATTACK_KINDS = ['spawn', 'spo_tamper', 'spo_substitute', 'status_write', 'direct_message'] as const;

const ScopeEntry = Type.String({
  pattern: '^[A-Za-z0-9_-]+(\\.([A-Za-z0-9_-]+|\\*))*$',
  description: 'an SO field (SO_TYPE.field) or every field of a type (SO_TYPE.*)',
});
const Scope = (description: string) => Type.Array(ScopeEntry, { description });

export const PlanBSpec = Type.Object(
  {
    id: Id('stable id of this Plan B'),
    replaces: Id('the sub-goal this Plan B may replace'),
    conditions: Type.Array(Type.String(), { minItems: 1, description: 'AT_RISK or failure reasons under which it may be activated without escalation' }),
    spo: Type.Record(Type.String(), Type.Unknown(), {
      description: 'the Standing Plan Object: its SHA-256 is recorded at endorsement and re-checked at activation',
    }),
    duration: Type.Optional(DurationDistribution('time the Plan B takes once activated', DEFAULT_WORK)),
  },
  { additionalProperties: false },
);

export const EodSpec = Type.Object(
  {
    outcome: Type.String({ description: 'primary_outcome: the target state, in words (kept out of the audit log; only its hash is logged)' }),
    fields: Scope('SO fields the target_state and success_conditions reference; each must lie inside the SACR scope'),
    plan_b: Type.Optional(Type.Array(PlanBSpec, { description: 'pre-declared contingencies the holder of this EOD may activate under BOUNDED authority' })),
  },
  { additionalProperties: false, description: 'an Expected Outcome Declaration' },
);

const SacrFields = {
  can_decompose: Type.Optional(Type.Boolean({ description: 'may issue Assignments itself (default false)' })),
  max_spawn_depth: Type.Optional(Type.Integer({ minimum: 0, maximum: 16, description: 'how many tiers below it may still be spawned (default 0: a leaf)' })),
  hub_only: Type.Optional(
    Type.Boolean({
      description:
        'talks to other agents only along its hub route, to the agent that spawned it or to agents it spawned, through the GEC (default true; MAD section 5 as seed 003 section 5.1 cites it)',
    }),
  ),
  replan_authority: Type.Optional(literals(REPLAN_AUTHORITIES, 'NONE, BOUNDED (pre-declared Plan B only) or AUTONOMOUS (default NONE)')),
};

export const SacrSpec = Type.Object(
  { scope: Scope("scope_constraints: must be a strict subset of the spawning agent's"), ...SacrFields },
  { additionalProperties: false, description: 'the Sub-Agent Composition Record requested for the sub-agent' },
);

export const DependencySpec = Type.Object(
  {
    on: Id('the sub-goal depended on'),
    type: literals(DEPENDENCY_TYPES, 'SEQUENTIAL: after it closes; PARALLEL: once it has opened; CONDITIONAL: only if it closed GOAL_ACHIEVED (else skipped)'),
  },
  { additionalProperties: false },
);

export const FaultSpec = Type.Object(
  {
    after: DurationDistribution("time into the sub-goal's execution at which it happens"),
    kind: literals(FAULT_KINDS, 'at_risk: the sub-agent declares GOAL_AT_RISK and stops; failure: its session closes UNMATCHED'),
    reason: Type.String({ pattern: '^[a-z0-9_]+$', description: 'the condition, e.g. road_data_unavailable (matched against Plan B conditions)' }),
    resolution: Type.Optional(literals(HEM_RESOLUTIONS, 'what the Mission Principal answers if re-planning is escalated (default CONTINUE)')),
  },
  { additionalProperties: false },
);

export const ApprovalGateSpec = Type.Object(
  {
    approver: Id('the person (in people) who decides'),
    above_jpy: Type.Integer({ minimum: 0, description: 'escalate if any amount_jpy of `of` exceeds this' }),
    of: Type.Array(Id('a sub-goal whose amount_jpy is checked'), { minItems: 1 }),
    resolution: Type.Optional(literals(HEM_RESOLUTIONS, 'what the approver answers (default CONTINUE: approve)')),
  },
  { additionalProperties: false, description: 'a HEM-mediated human checkpoint before this sub-goal is assigned' },
);

export const SubGoalSpec = Type.Object(
  {
    id: Id('stable id of the sub-goal: a node of the Mission Plan'),
    parent: Type.Optional(Id('the sub-goal this one decomposes (its agent spawns this one); omit: assigned by the orchestrator')),
    agent: Id('the sub-agent that executes it'),
    depends_on: Type.Optional(Type.Array(DependencySpec)),
    deadline: Type.Optional(Duration('latest close, from mission open (AT_RISK if still open then)')),
    duration: Type.Optional(DurationDistribution('work time of a leaf sub-goal; a sub-goal with children closes when they do', DEFAULT_WORK)),
    sacr: SacrSpec,
    eod: EodSpec,
    amount_jpy: Type.Optional(Type.Integer({ minimum: 0, description: 'the amount the sub-goal quotes or commits' })),
    approval_gate: Type.Optional(ApprovalGateSpec),
    fault: Type.Optional(FaultSpec),
  },
  { additionalProperties: false },
);

export const AttackSpec = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, description: 'a label for the comparison (default: what the attack does)' })),
    kind: literals(
      ATTACK_KINDS,
      "spawn: a compromised agent asks the GEC for a spawn; spo_tamper: a Standing Plan Object is altered; spo_substitute: a Plan B's SPO reference is made to resolve to a document outside the GEC's governed SO namespace (seed 003 15.4 (2)); status_write: a compromised agent writes the Mission Status directly, marking `sub_goal` achieved; direct_message: an agent contacts another agent directly, off its hub route",
    ),
    at: Duration('when, from the start of the run'),
    by: Type.Optional(Id("spawn, status_write, direct_message: the compromised agent (the orchestrator or a sub-goal's agent)")),
    to: Type.Optional(Id('direct_message: the agent contacted')),
    sub_goal: Type.Optional(
      Type.String({ description: 'spawn: the sub_goal_id claimed (need not be in the plan); status_write: the sub-goal marked achieved' }),
    ),
    scope: Type.Optional(Scope('spawn: the scope_constraints requested')),
    max_spawn_depth: Type.Optional(Type.Integer({ minimum: 0, description: 'spawn: the max_spawn_depth requested (default 0)' })),
    forged_max_spawn_depth: Type.Optional(
      Type.Integer({ minimum: 0, description: "spawn: present the requester's SACR with this max_spawn_depth (signature no longer verifies)" }),
    ),
    eod_fields: Type.Optional(Scope('spawn: fields the sub-goal EOD references (default the requested scope)')),
    plan_b: Type.Optional(Id('spo_tamper, spo_substitute: the Plan B whose SPO is altered or whose reference is redirected')),
    spo: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'spo_tamper: the altered SPO; spo_substitute: the document the reference now resolves to (default: a verbatim copy of the reviewed SPO, so its hash still matches)',
      }),
    ),
    spo_ref: Type.Optional(
      Type.String({
        minLength: 1,
        description: "spo_substitute: where the Plan B's SPO reference now resolves, outside the governed namespace (e.g. https://attacker.example/spo.json)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const RevocationSpec = Type.Object(
  {
    trigger: literals(
      REVOCATION_TRIGGERS,
      'the MAD trigger class (seed 003 5.1 names R-1 to R-7 and defines none: every class has the same modelled effect, docs/aop-draft-conformance.md)',
    ),
    at: Duration('when, from the start of the run'),
    agent: Id('the agent whose SACR is revoked; the revocation cascades to every agent below it'),
  },
  { additionalProperties: false, description: "a revocation of a sub-agent's SACR (AOP governance only)" },
);

export const OrchestrationSpec = Type.Object(
  {
    governance: Type.Optional(literals(GOVERNANCE_MODES, 'aop (GEC-governed, default) or chaining (plain AAuth delegation, no AOP checks)')),
    principal: Id('the Mission Principal (a person in people): receives REPLAN_ESCALATED'),
    person_server: Type.Optional(
      Id(
        "chaining: the Person Server (in topology.person_servers) the plain AAuth side runs under: it approves the orchestrator's mission, mints (or refuses) every delegation with its authority model and narrowing, and judges each sub-agent's access to the fields its work touches; omit: nothing is evaluated (an unchecked chain)",
      ),
    ),
    start: Type.Optional(Duration('when the MissionDeclaration arrives', '0s')),
    gec_latency: Type.Optional(DurationDistribution('one round trip to the GEC or, under chaining, one token exchange', 'exp(20ms)')),
    mandate: Type.Object(
      {
        scope: Scope("the root mandate scope: the orchestrator's SACR scope"),
        limit_jpy: Type.Optional(Type.Integer({ minimum: 0, description: 'commitment limit of the mandate' })),
      },
      { additionalProperties: false },
    ),
    orchestrator: Type.Object({ id: Id('the orchestrating (Master) agent'), ...SacrFields }, { additionalProperties: false }),
    eod: EodSpec,
    sub_goals: Type.Array(SubGoalSpec, { minItems: 1, description: 'the Mission Plan: a DAG of sub-goals' }),
    attacks: Type.Optional(Type.Array(AttackSpec, { description: 'seed 003 section 15 attacks to inject' })),
    revocations: Type.Optional(
      Type.Array(RevocationSpec, {
        description:
          'MAD revocation triggers R-1 to R-7 (seed 003 5.1): the SACR and everything below it is revoked; running sub-goals of revoked agents close UNMATCHED',
      }),
    ),
  },
  { additionalProperties: false, description: 'one governed multi-agent mission (AOP, seed 003)' },
);

export type OrchestrationDef = Static<typeof OrchestrationSpec>;
export type SubGoalDef = Static<typeof SubGoalSpec>;
export type EodDef = Static<typeof EodSpec>;
export type PlanBDef = Static<typeof PlanBSpec>;
export type AttackDef = Static<typeof AttackSpec>;
export type RevocationDef = Static<typeof RevocationSpec>;
export type DependencyType = (typeof DEPENDENCY_TYPES)[number];
export type ReplanAuthority = (typeof REPLAN_AUTHORITIES)[number];
export type HemResolution = (typeof HEM_RESOLUTIONS)[number];
