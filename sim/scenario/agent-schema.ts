import { Type } from '@sinclair/typebox';
import { BOUND_PATTERN } from './authority-vocabulary.ts';
import { Duration, DurationDistribution, Id, literals } from './schema-types.ts';

/**
 * The scenario format's agents and what they carry: the grants and intent a
 * person gives, missions, plan steps, drift, attacks, sub-agent policies,
 * faults, interventions and the runtime monitor. Part of the format defined
 * in schema.ts (which re-exports all of it); split from it by concept.
 */

export const FAULT_KINDS = ['crash', 'revoke-agent-token'] as const;

export const GrantSpec = Type.Object(
  {
    class: Type.String({ description: 'resource class in the operation taxonomy' }),
    actions: Type.Array(Type.String(), { minItems: 1, description: 'actions permitted on the class' }),
    resources: Type.Optional(Type.Array(Id('resource id'), { description: 'only these resources (default any of the class)' })),
    stages: Type.Optional(Type.Array(Type.String(), { description: 'only in these stages (default any)' })),
    constraints: Type.Optional(Type.Array(Type.String({ pattern: BOUND_PATTERN, description: 'an upper bound on a call argument: attr <= N' }))),
  },
  { additionalProperties: false, description: 'one permitted box of the envelope' },
);

export const IntentSpec = Type.Object(
  {
    grants: Type.Array(GrantSpec),
    exclusions: Type.Optional(
      Type.Array(
        Type.Object(
          { class: Type.String(), actions: Type.Optional(Type.Array(Type.String(), { minItems: 1 })) },
          { additionalProperties: false, description: 'ruled out whatever the grants say (default: every action on the class)' },
        ),
      ),
    ),
    max_depth: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description: 'delegation bound: deepest hop below the root agent that may act (default 0)',
      }),
    ),
    budget: Type.Optional(
      Type.Object(
        {
          arg: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'the numeric call argument summed (e.g. amount)' }),
          limit: Type.Number({ minimum: 0, description: 'the most the person meant the mission to spend in all' }),
        },
        {
          additionalProperties: false,
          description:
            'mission intent only: a cumulative bound over every executed call of the mission, hops included; the oracle marks the executed operations past it unintended (no authority model enforces it; a Person Server budget can: topology.person_servers[].budget)',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'an intent envelope (Mission Authority Model): resource classes, actions, constraints, stages, delegation bound, exclusions',
  },
);

const OperationRef = (description: string) => Type.String({ pattern: '^[^/\\s]+/[^/\\s]+$', description });

export const MissionSpec = Type.Object(
  {
    description: Type.String({ description: 'the mission text the person approves (Markdown)' }),
    scope: Type.Optional(
      Type.Array(Type.String({ pattern: '^[^/\\s]+/[^/\\s]+$', description: 'an approved operation, resource/operation' }), {
        description:
          'operations the approval covers (the scopes authority model); default: rendered from the mission text as the person wrote it (`written`, or the authoring step; lossy: bounds, stages and the delegation bound are lost)',
      }),
    ),
    approved_tools: Type.Optional(Type.Array(Type.String())),
    capabilities: Type.Optional(
      Type.Array(Type.String(), { description: 'capabilities the agent declares (inside the r01 blob, so the s256 commits to them)' }),
    ),
    expires_in: Type.Optional(
      Duration('mission lifetime from approval (expires_at); mission-authority: the mission times out then (no new tokens, work in flight finishes)'),
    ),
    complete_at_plan_end: Type.Optional(
      Type.Boolean({
        description:
          'the agent reports completion to its PS when its plan ends (default false): mission-authority completes the mission (outstanding work drains), terminate-only profiles terminate it with reason completed',
      }),
    ),
    intent: Type.Optional(IntentSpec),
    approved: Type.Optional(
      Type.Object(IntentSpec.properties, {
        additionalProperties: false,
        description:
          "envelope designs: the envelope the person or their organisation authored and approved (what they wrote, not what they meant: the oracle's `intent`); with a declared `intent` the person writes it in the authoring step from this template (default: from the intent), with authority.authoring errors, logged in mission.authored; the PS compiles what was written into the policy it enforces (authority.compilation); without an intent, as stated, else derived from the approved scope",
      }),
    ),
    written: Type.Optional(
      Type.Object(IntentSpec.properties, {
        additionalProperties: false,
        description:
          'what the mission text says, as an envelope: what the person wrote from their `intent` (the text a `text` PS and a clarify AS read; without a `scope`, the scope list is rendered from it); default: written from the intent by the authoring step (authority.authoring), logged as mission.authored',
      }),
    ),
    r3_granted: Type.Optional(
      Type.Array(OperationRef('resource/operation granted outright (r3)'), {
        description: 'r3: granted operations (default: the scope minus irreversible operations)',
      }),
    ),
    r3_per_call: Type.Optional(
      Type.Array(OperationRef('resource/operation needing a single-use approval (r3)'), {
        description: "r3: operations that need the person's approval per call (default: the irreversible operations of the scope)",
      }),
    ),
  },
  { additionalProperties: false },
);

export const PlanStepSpec = Type.Object(
  {
    op: Type.Optional(
      Type.String({
        pattern: '^[^/\\s]+/[^/\\s]+$',
        description: 'resource/operation to call (a step has exactly one of op, permission, audit, interact, update)',
      }),
    ),
    permission: Type.Optional(
      OperationRef(
        'governance: ask the PS whether this resource/operation (with args, stage) is allowed without a token; answered from the mission, or by the person',
      ),
    ),
    audit: Type.Optional(Type.String({ minLength: 1, description: 'governance: report this action to the PS mission log (fire-and-forget)' })),
    interact: Type.Optional(Type.String({ minLength: 1, description: 'governance: ask the PS to relay this question to the person, and wait for the answer' })),
    update: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          "aauth-r11 and aauth-latest: propose this mission update (Markdown) to the PS; the person accepts or refuses it, and the mission's meaning becomes the blob plus its accepted updates (the agent does not wait for the answer)",
      }),
    ),
    at: Type.Optional(Duration('time since the start of the run at which to call it')),
    after: Type.Optional(DurationDistribution('think time after the previous step finished (default 0s)')),
    args: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Integer(), {
        description: 'numeric arguments of the call, e.g. { amount: 4800 }',
      }),
    ),
    stage: Type.Optional(Type.String({ description: 'the mission stage the call belongs to' })),
    under: Type.Optional(
      literals(['mission', 'concurrent'] as const, "which of the agent's missions the step belongs to: mission (default) or its concurrent_mission"),
    ),
  },
  { additionalProperties: false },
);

export const DRIFT_MODELS = ['none', 'gradual', 'injection', 'plausible'] as const;

export const DriftSpec = Type.Object(
  {
    model: literals(
      DRIFT_MODELS,
      'none; gradual (from `from` on, each plan step is replaced by one of `toward` with a probability that grows by `rate` per step, up to `max`); injection (at `at`, the agent performs `toward` in order before its next plan step); plausible (from `from` on, after a plan step the agent also performs one of `toward`, with `args` and `vary` set to a value the plan never used, with the same growing probability: every step inside the policy, harm only in the combination)',
    ),
    toward: Type.Array(OperationRef('resource/operation the agent drifts to (it may still be authorized)'), {
      minItems: 1,
      description: "the operations the drift leads to: nearby ones the authority model allows (gradual), or the adversary's goal (injection)",
    }),
    from: Type.Optional(Duration('gradual: when drift starts', '0s')),
    rate: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, default: 0.1, description: 'gradual: increase of the substitution probability per plan step after `from`' }),
    ),
    max: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0.8, description: 'gradual: cap on the substitution probability' })),
    at: Type.Optional(Duration('injection: when the injected instruction reaches the agent')),
    args: Type.Optional(
      Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Integer(), {
        description: 'numeric arguments of the drifted calls (e.g. amount)',
      }),
    ),
    vary: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z_][A-Za-z0-9_]*$',
        description: "plausible: the argument each drifted call sets to a new value (another client's record: 1001, 1002, ...)",
      }),
    ),
  },
  { additionalProperties: false, description: 'how the agent departs from its plan (seed 000 gap 6, seed 004)' },
);

export const AgentAttackSpec = Type.Object(
  {
    kind: literals(
      ['assert-mission', 'replay-resource-token'] as const,
      "assert-mission: the agent presents a mission that is not its own (r01 in its AAuth-Mission header; -11 and later as mission_s256 at the person-token endpoint); replay-resource-token: before each token request of its own, the agent presents to its PS a resource token again (of: self, its last one) or one it captured from another agent's requests (of: that agent)",
    ),
    of: Type.String({
      minLength: 1,
      description:
        "assert-mission: another agent's id (its approved mission, as seen on the wire), `unapproved` (an s256 no PS approved) or `concurrent` (its own other mission: each step presents the mission it does not belong to); replay-resource-token: `self` or another agent's id",
    }),
  },
  {
    additionalProperties: false,
    description: 'an attack this agent makes (issue 17 item 3); it tells the oracle it is an adversary (truth only), no party learns it',
  },
);

/**
 * -11, parent-mediated sub-agents: what a parent runtime does with its
 * sub-agents' requests before it asks its PS for them ("the parent retains
 * control: it can refuse, attenuate, or rate-limit"). Absent: it passes
 * every request through as asked.
 */
export const SubAgentPolicySpec = Type.Object(
  {
    refuse: Type.Optional(Type.Array(Id('a sub-agent of this agent'), { description: 'sub-agents whose requests the parent refuses outright (default none)' })),
    narrow: Type.Optional(
      Type.Object(
        {
          actions: Type.Optional(Type.Array(Type.String(), { minItems: 1, description: 'only these actions stay in each requested grant (default all)' })),
          resources: Type.Optional(
            Type.Array(Id('resource id'), { minItems: 1, description: 'only these resources stay in each requested grant (default all)' }),
          ),
          constraints: Type.Optional(
            Type.Array(Type.String({ pattern: BOUND_PATTERN, description: 'an upper bound on a call argument: attr <= N' }), {
              description: 'bounds the parent adds to each requested grant (default none)',
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            "the parent attenuates each sub-agent's requested grant before asking: a subset of what was asked (a grant left with no action or resource is dropped); a request with no grant is passed as asked",
        },
      ),
    ),
    rate_limit: Type.Optional(
      Type.Object(
        {
          max: Type.Integer({ minimum: 1, description: 'requests the parent forwards to its PS for its sub-agents per window' }),
          per: Duration('the sliding window'),
        },
        {
          additionalProperties: false,
          description:
            'the parent forwards at most `max` sub-agent requests per `per`; one past it is answered rate_limited with the time until the window frees, and the sub-agent asks again then',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      "aauth-r11 and aauth-latest (-11's parent-mediated sub-agents): what this agent, as a parent, does with its sub-agents' requests before asking its PS for them; default: pass through",
  },
);

export const AgentSpec = Type.Object(
  {
    id: Id('stable id of the agent'),
    person: Id('the person the agent acts for'),
    ps: Id('the Person Server holding its mission'),
    start: Type.Optional(Duration('when the agent proposes its mission', '0s')),
    mission: Type.Optional(MissionSpec),
    parent: Type.Optional(Id('a sub-agent: the agent that delegates to it (instead of a mission of its own)')),
    task: Type.Optional(Type.String({ description: 'sub-agent: the delegated sub-task, in prose' })),
    grant: Type.Optional(IntentSpec),
    sub_agents: Type.Optional(SubAgentPolicySpec),
    plan: Type.Array(PlanStepSpec, { minItems: 1 }),
    repeat: Type.Optional(Type.Boolean({ description: 'start the plan again when it ends (default false)' })),
    drift: Type.Optional(DriftSpec),
    class: Type.Optional(
      Id('agent class (seed 002): the set of interchangeable runtimes of its provider that may act under its mission (default: the agent id)'),
    ),
    acts_under: Type.Optional(
      Id(
        "seed 002: another runtime of the named agent's provider, acting under that agent's mission (instead of a mission or parent of its own): with the same class, an elastic member running in parallel; with another `class`, a runtime of another class presenting the mission (an attack)",
      ),
    ),
    concurrent_mission: Type.Optional(
      Type.Object(MissionSpec.properties, {
        additionalProperties: false,
        description:
          'a second mission this agent proposes right after `mission` and holds at the same time (one agent, several concurrent missions); plan steps with `under: concurrent` act under it. Give it (and `mission`) as a scope: the oracle judges the agent against the union of both scopes',
      }),
    ),
    attack: Type.Optional(AgentAttackSpec),
    token_cache: Type.Optional(
      literals(
        ['own', 'shared'] as const,
        "acts_under: whose auth tokens the runtime presents: own (the tokens it obtained itself, default) or shared (its provider's cache for the agent identity it presents: tokens the agent it acts under obtained, and it adds its own; a runtime of another class presenting them is the attack a resource checking class refuses)",
      ),
    ),
    authority_binding: Type.Optional(
      literals(
        ['class', 'runtime'] as const,
        "what the mission's authority is bound to: class (mission + class: a replacement runtime of the same class resumes without re-approval, default) or runtime (the crashed runtime's session: the replacement proposes again and the person must approve)",
      ),
    ),
  },
  { additionalProperties: false },
);

export const FaultSpec = Type.Object(
  {
    agent: Id('the agent whose runtime crashes (a root agent, a sub-agent, or a runtime acting under another agent)'),
    at: Duration('when the runtime crashes (time since the start of the run)'),
    restart: Type.Optional(DurationDistribution('time the agent provider takes to bring up a replacement runtime of the same class', 'const(10s)')),
    kind: Type.Optional(
      literals(
        FAULT_KINDS,
        "crash (default): the runtime crashes and is replaced; revoke-agent-token: the agent provider revokes the runtime's agent token at the PS's revocation endpoint ({jti, exp}; a stopped or compromised runtime) and issues it no other",
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      "an agent runtime crash (the provider replaces it with another runtime of the same class, which resumes the plan at the step in progress), or the provider's revocation of the runtime's agent token",
  },
);

export const InterventionSpec = Type.Object(
  {
    at: DurationDistribution("when the person acts (drawn from the person's stream)"),
    person: Id('who acts'),
    agent: Id('whose mission'),
    action: literals(
      ['terminate', 'suspend', 'resume', 'complete', 'cancel', 'terminate-policy'] as const,
      'what the person does to the mission: terminate, suspend, resume; complete (outstanding work drains), cancel (work is recalled and executed work rolled back where reversible), terminate-policy (issued tokens invalid now, work recalled); the last three are distinct only under mission-authority, elsewhere each terminates',
    ),
  },
  { additionalProperties: false },
);

export const MONITOR_ACTIONS = ['none', 'suspend', 'terminate'] as const;

export const MonitorSpec = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'run the monitor and its gate at all (default true)' })),
    detector: Type.Optional(
      literals(
        ['window', 'cusum'] as const,
        "how flags become an alarm: window (threshold of the last `window` flagged, default) or cusum (Page's sequential test over all flags)",
      ),
    ),
    cusum: Type.Optional(
      Type.Object(
        {
          k: Type.Optional(
            Type.Number({
              exclusiveMinimum: 0,
              maximum: 1,
              description: 'reference value subtracted per operation: between the flag rate on intended work and on drifted work (default 0.25)',
            }),
          ),
          h: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'alarm when the statistic reaches h (default 2)' })),
        },
        { additionalProperties: false, description: 'detector cusum: S <- max(0, S + flag - k), alarm at S >= h' },
      ),
    ),
    window: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: "sliding window: the last N executed operations of a mission (default 6; with cusum, only the release gate's clean window)",
      }),
    ),
    threshold: Type.Optional(Type.Integer({ minimum: 1, description: 'alarm when this many operations in the window are flagged unusual (default 3)' })),
    baseline: Type.Optional(
      Type.Integer({ minimum: 0, description: 'the first N executed operations of a mission are its usual behaviour: learned, never flagged (default 5)' }),
    ),
    suspicion: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 4,
        description:
          'flag an operation with at least this many unusual features: new operation, new class, stronger action, export after an unusual operation (default 1)',
      }),
    ),
    budget: Type.Optional(
      Type.Object(
        {
          arg: Type.String({ description: 'the numeric call argument summed (e.g. amount)' }),
          limit: Type.Number({ minimum: 0, description: "alarm once the sum over the mission's executed operations, every hop included, passes this" }),
        },
        { additionalProperties: false, description: 'cumulative budget: catches spend spread over calls that each pass' },
      ),
    ),
    flow: Type.Optional(
      Type.Object(
        {
          arg: Type.String({ description: "the numeric call argument naming a record's owner (e.g. client)" }),
          max_distinct: Type.Integer({
            minimum: 0,
            description: 'alarm once the mission has read records of more than this many distinct owners; the gate then holds any transfer',
          }),
        },
        { additionalProperties: false, description: 'information flow: catches records of several owners aggregated into one export' },
      ),
    ),
    action: Type.Optional(
      literals(
        MONITOR_ACTIONS,
        'what an alarm does to the mission at its PS: none (alarm only), suspend (terminate where the profile cannot suspend), terminate (default)',
      ),
    ),
    gate: Type.Optional(
      literals(
        ['none', 'irreversible'] as const,
        'staged release: hold irreversible operations until the monitor or a human releases them (default irreversible)',
      ),
    ),
    human_release: Type.Optional(
      Type.Boolean({
        description:
          "a held operation the monitor will not release goes to the person (person latency), shown the operation and the monitor's reasons; otherwise it is blocked (default true)",
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "runtime alignment monitor (seed 000 gap 6): flags executed operations that are unusual against the mission's early behaviour (from the log alone, never the intent), alarms over a sliding window or CUSUM, or on a cumulative budget or information-flow limit; alarms feed back into the mission at the PS",
  },
);
