import { Type, type ObjectOptions, type Static, type TProperties } from '@sinclair/typebox';
import { OrchestrationSpec } from './orchestration-schema.ts';
import { AUTHORITY_MODELS, BOUND_PATTERN } from './authority-vocabulary.ts';
import { DISTRIBUTION_HELP, Duration, DurationDistribution, Id, literals } from './schema-types.ts';
import { DAYS_PATTERN, HOURS_PATTERN } from './working-hours.ts';

/**
 * The scenario file format, defined once: the loader's TypeScript types are
 * `Static<...>` of these, and scenarios/schema.json is generated from them
 * (`npm run schema`), so the two cannot drift apart.
 */

export { DURATION_FORMAT, DURATION_DISTRIBUTION_FORMAT, Duration, DurationDistribution, Id } from './schema-types.ts';

export const QueueSpec = Type.Object(
  {
    servers: Type.Integer({ minimum: 1, maximum: 100_000, description: 'parallel servers (c), at most 100000' }),
    capacity: Type.Optional(Type.Integer({ minimum: 1, description: 'most jobs held, waiting plus in service (K); omit for unbounded' })),
    service: DurationDistribution('service time of one job: ' + DISTRIBUTION_HELP),
  },
  { additionalProperties: false, description: 'a FIFO service station' },
);

export const PROFILES = ['oauth', 'aauth-r01', 'aauth-r11', 'aauth-latest', 'aauth-m0', 'mission-authority'] as const;

/**
 * Profiles whose source text allows sub-agents one level deep only, the
 * parent asking on the sub-agent's behalf (draft-hardt-aauth-protocol-11):
 * `validate` refuses a deeper chain under them (docs/profiles.md).
 */
export const ONE_LEVEL_SUB_AGENTS: readonly ProfileName[] = ['aauth-r11', 'aauth-latest'];
/** Profiles whose source text has mission updates (draft-hardt-oauth-aauth-protocol-11 and later): `validate` refuses an `update` plan step elsewhere. */
export const MISSION_UPDATE_PROFILES: readonly ProfileName[] = ['aauth-r11', 'aauth-latest'];
export const REVOCATION_MODES = ['none', 'push', 'introspect', 'cache', 'events'] as const;
export const RECALL_POLICIES = ['none', 'before-start', 'any'] as const;
export const FAULT_KINDS = ['crash', 'revoke-agent-token'] as const;
export const NARROWING_MODES = ['at-mint', 'at-evaluation', 'provenance'] as const;

export const OperationSpec = Type.Object(
  {
    name: Id('operation name as it appears in scopes, e.g. search or charge'),
    class: Type.Optional(Type.String({ description: 'resource class in the operation taxonomy, e.g. travel, payments, data' })),
    action: Type.Optional(Type.String({ description: 'action kind, e.g. read, write, transfer' })),
    irreversible: Type.Optional(Type.Boolean({ description: 'an operation whose effect cannot be undone (default false)' })),
    calls: Type.Optional(
      Type.Array(
        Type.Object(
          {
            op: Type.String({ pattern: '^[^/\\s]+/[^/\\s]+$', description: 'resource/operation called downstream' }),
            args: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), Type.Integer())),
            stage: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
        {
          description:
            "call chaining: once this operation has run, the resource acts as an agent and calls these downstream, one after another, presenting the caller's auth token as upstream_token",
        },
      ),
    ),
    service: Type.Optional(DurationDistribution("service time of this operation; default: the queue's service time")),
  },
  { additionalProperties: false },
);

/** aauth-latest: a revocation endpoint's limit on calls from one caller (a knob; absent: no limit). */
export const RevocationRateLimitSpec = Type.Object(
  {
    calls: Type.Integer({ minimum: 1, description: 'the most revocation calls one caller may make within `per`' }),
    per: Duration('the sliding window the calls are counted over'),
  },
  {
    additionalProperties: false,
    description:
      'aauth-latest: past `calls` revocation calls from one caller (by its actor id) within `per`, the endpoint answers 429 rate_limited with Retry-After (until the oldest counted call leaves the window); the caller waits that long and calls again (the wait does not count against retries). Polls of a 202 are not counted. Default: no limit',
  },
);

export const RevocationSpec = Type.Object(
  {
    mode: literals(
      REVOCATION_MODES,
      'how the resource learns that a token was revoked: none (TTL only), push (revocation endpoint), introspect (status check per request), cache (status cached for cache_ttl), events (CAEP-like stream)',
    ),
    latency: Type.Optional(DurationDistribution('push: delay of one revocation call; events: delivery delay')),
    loss: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0, description: 'probability that one push call or stream event is lost' })),
    retries: Type.Optional(
      Type.Integer({ minimum: 0, default: 3, description: 'push: retries after a call without an answer (or, aauth-latest, answered revocation_unavailable)' }),
    ),
    retry_interval: Type.Optional(
      Duration(
        'push: how long the caller waits for an answer before it logs the call lost and sends it again (aauth-latest: also its wait after revocation_unavailable)',
        '5s',
      ),
    ),
    retry_after: Type.Optional(Duration('aauth-r11 push: Retry-After of a 202 answer while the revocation cascade downstream is under way', '1s')),
    cache_ttl: Type.Optional(Duration('cache: how long a status answer is reused', '5m')),
    outages: Type.Optional(
      Type.Array(
        Type.Object({ at: Duration('when the revocation endpoint goes down'), for: Duration('how long it stays down') }, { additionalProperties: false }),
        {
          description:
            'push: periods when the revocation endpoint is down. aauth-latest: it answers revocation_unavailable and the caller retries after retry_interval; elsewhere the call is lost and retried the same way',
        },
      ),
    ),
    rate_limit: Type.Optional(RevocationRateLimitSpec),
  },
  { additionalProperties: false },
);

export const ResourceSpec = Type.Object(
  {
    id: Id('stable id of the resource'),
    queue: QueueSpec,
    operations: Type.Optional(Type.Array(OperationSpec, { description: 'operations agents may call' })),
    revocation: Type.Optional(RevocationSpec),
    access_server: Type.Optional(Id("four-party: the Access Server in this resource's domain that issues its auth tokens")),
    recall: Type.Optional(
      literals(RECALL_POLICIES, 'what happens to queued work of a revoked token: none, before-start (withdraw waiting work), any (also abort work in service)'),
    ),
    mission_claim: Type.Optional(
      literals(
        ['copy', 'strip', 'first-seen'] as const,
        "what the resource writes into its resource tokens about the mission (issue 17 item 3): copy (r01: the AAuth-Mission header's {approver, s256}; -11: the person token's mission_s256; default), strip (an attack: it leaves the mission out; -11's presented_jti still names the person token) or first-seen (a confused resource: the first mission it saw from each agent, whatever mission the request is under)",
      ),
    ),
  },
  { additionalProperties: false },
);

export const PersonSpec = Type.Object(
  {
    id: Id('stable id of the person'),
    approval_latency: Type.Optional(DurationDistribution('time the person takes to answer an approval request', 'lognormal(1m, 1)')),
    availability: Type.Optional(
      Type.Object(
        {
          hours: Type.String({ pattern: HOURS_PATTERN, description: 'working hours of a day, HH:MM-HH:MM (start before end), on the clock of clock_origin' }),
          days: Type.Optional(
            Type.String({ pattern: DAYS_PATTERN, description: 'working days: mon-fri, sat,sun, mon,wed-fri (default every day); t=0 is Thursday 2026-01-01' }),
          ),
        },
        {
          additionalProperties: false,
          description: 'when the person answers: questions asked outside these hours wait for the next start of hours (default: always)',
        },
      ),
    ),
    off_mission_approval: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'probability the person approves a request that does not look covered by the mission they approved (permission requests, held operations; default 0)',
      }),
    ),
    on_mission_refusal: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'probability the person refuses a request that does look covered by it (default 0)' }),
    ),
    mission_refusal: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'probability the person refuses a proposed mission put to them (approval: person; default 0)' }),
    ),
    fatigue: Type.Optional(
      Type.Number({ minimum: 0, description: 'answer latency grows with the questions already waiting: latency x (1 + fatigue x pending) (default 0)' }),
    ),
  },
  { additionalProperties: false },
);

const ARG_NAME = '^[A-Za-z_][A-Za-z0-9_]*$';

export const MissionBudgetSpec = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: 'enforce the limits (default true); false keeps them written for a --set to switch on' })),
    sum: Type.Optional(
      Type.Object(
        {
          arg: Type.String({ pattern: ARG_NAME, description: 'the numeric call argument summed (e.g. amount)' }),
          limit: Type.Number({ minimum: 0, description: 'the most all tokens of one mission may be issued for, hops included' }),
        },
        {
          additionalProperties: false,
          description: 'spend: the sum of `arg` over every auth token issued for the mission (its hops and chained calls included)',
        },
      ),
    ),
    distinct: Type.Optional(
      Type.Object(
        {
          arg: Type.String({ pattern: ARG_NAME, description: 'the call argument whose values are counted (e.g. client)' }),
          limit: Type.Integer({ minimum: 1, description: 'the most distinct values one mission may be issued tokens for' }),
        },
        {
          additionalProperties: false,
          description: 'information flow: how many distinct values of `arg` (e.g. clients whose records are read) one mission may touch',
        },
      ),
    ),
  },
  {
    additionalProperties: false,
    description:
      'a cumulative budget this PS enforces per mission when it issues auth tokens (sim/protocol/mission-budget.ts): a token request past it is refused (`token.auth_denied`, reason "mission budget: ..."); at least one of sum and distinct',
  },
);

export const PersonServerSpec = Type.Object(
  {
    id: Id('stable id of the Person Server'),
    approval: Type.Optional(literals(['immediate', 'person'] as const, 'approve missions at once, or defer to the person (202 + polling)')),
    clarification_rounds: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 5,
        description: 'with approval: person, rounds of clarification chat before the person approves (each costs one person latency)',
      }),
    ),
    outages: Type.Optional(
      Type.Array(Type.Object({ at: Duration('when the PS goes down'), for: Duration('how long it stays down') }, { additionalProperties: false }), {
        description: 'periods when the PS answers nothing but 503',
      }),
    ),
    poll_interval: Type.Optional(Duration('Retry-After the PS gives a polling agent', '5s')),
    pause_poll: Type.Optional(
      Duration(
        'terminate-only profiles without an events inbox (aauth-r01, aauth-r11, oauth): Retry-After the PS gives an agent asking whether the pause that terminated its mission was resumed (mission.resume_polled); the agent learns of a resume at its next poll',
        '1m',
      ),
    ),
    queue: Type.Optional(
      Type.Object(QueueSpec.properties, { additionalProperties: false, description: 'a FIFO service station', default: { servers: 4, service: 'exp(2ms)' } }),
    ),
    authority: Type.Optional(literals(AUTHORITY_MODELS, 'how this PS decides "inside the mission": scopes (default), tools, text, r3, envelope (Cedar)')),
    narrowing: Type.Optional(
      literals(
        NARROWING_MODES,
        "how delegated grants are narrowed: at-mint (child grant must be a subset of its parent's, default), at-evaluation (every hop's grant must allow each call), provenance (recorded, not checked)",
      ),
    ),
    max_depth: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'deployment cap on delegation depth (default 5)' })),
    budget: Type.Optional(MissionBudgetSpec),
    domain: Type.Optional(Id('trust domain of this PS (default its id)')),
    administrators: Type.Optional(
      Type.Array(Id('person id'), {
        description:
          'aauth-latest: people who may read and manage any mission of this PS at its mission_control_endpoint (an administrator, a compliance officer); anyone else may act only on the missions they approved (default none)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const AS_TRUST_POLICIES = ['trust-all', 'conservative', 'clarify', 'envelope-projection'] as const;

export const AccessServerSpec = Type.Object(
  {
    id: Id('stable id of the Access Server'),
    trust: Type.Optional(
      literals(
        AS_TRUST_POLICIES,
        'what it accepts from a federated PS: trust-all, conservative (deny sensitive classes), clarify (ask the PS back: it discloses the mission body, the AS reads it), envelope-projection (receives what is permitted in its domain, not why, and evaluates it with Cedar)',
      ),
    ),
    sensitive_classes: Type.Optional(Type.Array(Type.String(), { description: 'classes a conservative AS refuses (default payments, confidential)' })),
    clarify_latency: Type.Optional(DurationDistribution('clarify: time the AS takes to get and read the mission body', 'lognormal(10m, 0.5)')),
    authority: Type.Optional(
      literals(
        AUTHORITY_MODELS,
        'clarify: how the AS judges the mission it received: text (reads the prose its own way, default), scopes, tools, r3 (its renderings), envelope (its envelope, with Cedar)',
      ),
    ),
    domain: Type.Optional(Id('trust domain of this AS (default its id)')),
    revocation: Type.Optional(
      Type.Object(
        {
          outages: Type.Optional(
            Type.Array(
              Type.Object(
                { at: Duration('when the revocation endpoint of the AS goes down'), for: Duration('how long it stays down') },
                { additionalProperties: false },
              ),
              { description: 'periods when the revocation endpoint of the AS answers only 503 (the PS logs revocation_unavailable)' },
            ),
          ),
          retry_interval: Type.Optional(
            Duration(
              "the Retry-After of this AS's revocation_unavailable (503) answers: how long a PS waits before it notifies again (how many times is the PS's own network.retries)",
              '5s',
            ),
          ),
          rate_limit: Type.Optional(RevocationRateLimitSpec),
        },
        {
          additionalProperties: false,
          description:
            "aauth-latest, four-party: the revocation endpoint a PS notifies when it revoked a token this AS issued (-11: 'the PS MAY also notify the AS'). The notice travels on the PS<->AS link (network latency; loss: network.server_links; lost notices are sent again after network.timeout, at most network.retries times)",
        },
      ),
    ),
    queue: Type.Optional(
      Type.Object(QueueSpec.properties, { additionalProperties: false, description: 'a FIFO service station', default: { servers: 4, service: 'exp(2ms)' } }),
    ),
  },
  { additionalProperties: false },
);

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

export const TokenLifetimesSpec = Type.Object(
  {
    agent_ttl: Type.Optional(Duration('agent token lifetime')),
    resource_ttl: Type.Optional(Duration('resource token lifetime')),
    auth_ttl: Type.Optional(Duration('auth token lifetime')),
    person_ttl: Type.Optional(Duration("aauth-r11 person token lifetime (default 1h; never past the mission's expires_at)")),
    refresh_before: Type.Optional(Duration('renew a token with less than this left (0s: only once expired)')),
  },
  { additionalProperties: false },
);

export const WorkloadSpec = Type.Object(
  {
    id: Id('stable id of this arrival stream'),
    resource: Id('id of the resource that receives the jobs'),
    interarrival: DurationDistribution('time between arrivals: ' + DISTRIBUTION_HELP),
    start: Type.Optional(Duration('when the first arrival may happen', '0s')),
  },
  { additionalProperties: false, description: 'an open stream of anonymous jobs (background load)' },
);

/** The knobs shared by the steps that write or compile an envelope with errors (authoring, compilation). */
function ErrorModelSpec<T extends TProperties>(step: string, what: string, extra: T, options: ObjectOptions) {
  return Type.Object(
    {
      omit_exclusion: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 1,
          description: `probability each exclusion of ${what} is lost in ${step} (default 0: an assumption, see docs/envelope-compilation.md and docs/mission-authoring.md)`,
        }),
      ),
      overbroad_bound: Type.Optional(
        Type.Object(
          {
            p: Type.Optional(
              Type.Number({ minimum: 0, maximum: 1, description: `probability each constraint (attr <= N) is set too high in ${step} (default 0)` }),
            ),
            factor: Type.Optional(Type.Number({ minimum: 1, description: 'how much too high: N becomes N x factor (default 10, one misplaced digit)' })),
          },
          { additionalProperties: false },
        ),
      ),
      missing_stage: Type.Optional(
        Type.Number({
          minimum: 0,
          maximum: 1,
          description: `probability each grant's stage restriction is lost in ${step}, so it applies in every stage (default 0)`,
        }),
      ),
      ...extra,
    },
    options,
  );
}

export const AuthoritySettingsSpec = Type.Object(
  {
    taxonomy: Type.Optional(
      Type.Record(Type.String(), Type.Array(Type.String()), { description: 'text model: resource classes a prose reader takes as related (symmetric)' }),
    ),
    text: Type.Optional(
      Type.Object(
        {
          false_refusal: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1, description: 'probability an operation the mission text covers is refused (default 0.05)' }),
          ),
          near_grant: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1, description: 'probability a plausible operation near what the mission text says is granted (default 0.6)' }),
          ),
          far_grant: Type.Optional(
            Type.Number({ minimum: 0, maximum: 1, description: 'probability an operation far from what the mission text says is granted (default 0.02)' }),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    compilation: Type.Optional(
      ErrorModelSpec(
        'compilation',
        'the approved envelope',
        {},
        {
          additionalProperties: false,
          description:
            "envelope designs, and an AS reading a disclosed body with the envelope model: the error model of the step that compiles the approved envelope (or the disclosed text) into the policy a PS (or AS) enforces, drawn from each one's own stream",
        },
      ),
    ),
    authoring: Type.Optional(
      ErrorModelSpec(
        'authoring',
        'the intent as the person writes it',
        {
          vague_resources: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 1,
              description: "probability each grant's resource restriction is lost in the text (it names the class, not the resource; default 0)",
            }),
          ),
        },
        {
          additionalProperties: false,
          description:
            "the error model of the step where the person writes a mission's text (and, without a `scope`, its scope list) from its `intent`: drawn from the stream person:<id>/authoring/<agent>; default 0, an assumption (docs/mission-authoring.md)",
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'settings of the authority models' },
);

export const DEFAULT_MAX_EVENTS = 50_000_000;

export const LimitsSpec = Type.Object(
  {
    events: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: `most events one run may log (default ${DEFAULT_MAX_EVENTS}); a run that would log more fails with a message and writes nothing, a guard against a scenario that never lets time advance`,
      }),
    ),
  },
  { additionalProperties: false, description: 'hard limits on one run' },
);

export const NetworkSpec = Type.Object(
  {
    latency: Type.Optional(DurationDistribution('one-way latency of every message', 'exp(20ms)')),
    loss: Type.Optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'probability that one agent<->PS or agent<->resource message is lost, each way (default 0)' }),
    ),
    links: Type.Optional(
      Type.Array(
        Type.Object(
          {
            agent: Id('the agent at one end of the link'),
            peer: Id('the Person Server or resource at the other end'),
            loss: Type.Number({ minimum: 0, maximum: 1, description: 'probability that one message on this link is lost, each way' }),
          },
          { additionalProperties: false },
        ),
        { description: 'per-link loss, overriding network.loss for the links named' },
      ),
    ),
    server_links: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ps: Id('the Person Server at one end of the link'),
            as: Id('the Access Server at the other end'),
            loss: Type.Number({ minimum: 0, maximum: 1, description: 'probability that one message on this link is lost, each way' }),
          },
          { additionalProperties: false },
        ),
        {
          description:
            "loss on a PS<->AS link (aauth-latest: the PS's revocation notice to the AS and its answer; a lost notice is sent again after network.timeout, at most network.retries times). Default: no loss",
        },
      ),
    ),
    timeout: Type.Optional(Duration('on a lossy link: how long an agent waits for an answer before sending its request again', '30s')),
    retries: Type.Optional(
      Type.Integer({ minimum: 0, default: 3, description: 'on a lossy link: how often an agent sends a request again before it gives up and stops' }),
    ),
  },
  { additionalProperties: false },
);

export const ScenarioSpec = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    name: Id('scenario name'),
    description: Type.String({ description: 'what the scenario shows, and which seed it comes from' }),
    duration: Duration('simulated time horizon'),
    seed: Type.Optional(Type.Integer({ minimum: 0, description: 'default seed; --seed overrides it' })),
    profile: Type.Optional(literals(PROFILES, 'protocol profile: a named bundle of defaults (default aauth-r01)')),
    clock_origin: Type.Optional(
      Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'wall-clock time of day at t=0 (HH:MM), for the Mission Control view' }),
    ),
    tokens: Type.Optional(TokenLifetimesSpec),
    class_check: Type.Optional(
      Type.Boolean({
        description:
          "seed 002, this project's concept (no draft defines class): the PS binds each mission to its proposer's class (the agent token's mb_class claim) and issues tokens only to runtimes of that class (default: true under mission-authority, false elsewhere; docs/mission-class.md)",
      }),
    ),
    network: Type.Optional(NetworkSpec),
    topology: Type.Object(
      {
        person_servers: Type.Optional(Type.Array(PersonServerSpec)),
        access_servers: Type.Optional(Type.Array(AccessServerSpec)),
        resources: Type.Array(ResourceSpec, { description: 'resources with their queues' }),
      },
      { additionalProperties: false },
    ),
    people: Type.Optional(Type.Array(PersonSpec)),
    agents: Type.Optional(Type.Array(AgentSpec)),
    interventions: Type.Optional(Type.Array(InterventionSpec, { description: 'what people do to missions, and when' })),
    faults: Type.Optional(Type.Array(FaultSpec, { description: 'agent runtime crashes, and when (class-based failover, seed 002)' })),
    workload: Type.Optional(Type.Array(WorkloadSpec)),
    orchestration: Type.Optional(OrchestrationSpec),
    authority: Type.Optional(AuthoritySettingsSpec),
    monitor: Type.Optional(MonitorSpec),
    limits: Type.Optional(LimitsSpec),
  },
  { additionalProperties: false, title: 'missionbench scenario' },
);

export type Scenario = Static<typeof ScenarioSpec>;
export type ResourceDef = Static<typeof ResourceSpec>;
export type NetworkDef = Static<typeof NetworkSpec>;
export type QueueDef = Static<typeof QueueSpec>;
export type WorkloadDef = Static<typeof WorkloadSpec>;
export type OperationDef = Static<typeof OperationSpec>;
export type RevocationDef = Static<typeof RevocationSpec>;
export type PersonDef = Static<typeof PersonSpec>;
export type PersonServerDef = Static<typeof PersonServerSpec>;
export type AccessServerDef = Static<typeof AccessServerSpec>;
export type AgentDef = Static<typeof AgentSpec>;
export type SubAgentPolicyDef = Static<typeof SubAgentPolicySpec>;
export type PlanStepDef = Static<typeof PlanStepSpec>;
export type IntentDef = Static<typeof IntentSpec>;
export type MissionDef = Static<typeof MissionSpec>;
export type AuthoritySettingsDef = Static<typeof AuthoritySettingsSpec>;
export type NarrowingMode = (typeof NARROWING_MODES)[number];
export type DriftDef = Static<typeof DriftSpec>;
export type MonitorDef = Static<typeof MonitorSpec>;
export type LimitsDef = Static<typeof LimitsSpec>;
export type InterventionDef = Static<typeof InterventionSpec>;
export type FaultDef = Static<typeof FaultSpec>;
export type ProfileName = (typeof PROFILES)[number];
export type RevocationMode = (typeof REVOCATION_MODES)[number];
export type RecallPolicy = (typeof RECALL_POLICIES)[number];
