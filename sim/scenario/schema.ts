import { Type, type ObjectOptions, type Static, type TProperties } from '@sinclair/typebox';
import {
  type IntentSpec,
  type MissionSpec,
  type PlanStepSpec,
  type DriftSpec,
  type SubAgentPolicySpec,
  AgentSpec,
  FaultSpec,
  InterventionSpec,
  MonitorSpec,
} from './agent-schema.ts';
import { OrchestrationSpec } from './orchestration-schema.ts';
import { AUTHORITY_MODELS } from './authority-vocabulary.ts';
import { DISTRIBUTION_HELP, Duration, DurationDistribution, Id, literals } from './schema-types.ts';
import { DAYS_PATTERN, HOURS_PATTERN } from './working-hours.ts';

/**
 * The scenario file format, defined once: the loader's TypeScript types are
 * `Static<...>` of these, and scenarios/schema.json is generated from them
 * (`npm run schema`), so the two cannot drift apart.
 */

export { DURATION_FORMAT, DURATION_DISTRIBUTION_FORMAT, Duration, DurationDistribution, Id } from './schema-types.ts';
export * from './agent-schema.ts';

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
