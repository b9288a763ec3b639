import { Type, type Static } from '@sinclair/typebox';
import { DISTRIBUTION_HELP, Duration, DurationDistribution, Id, literals } from './schema-types.ts';

/**
 * The scenario format's resources (part of the scenario schema, schema.ts):
 * the service station every queue is, the operations a resource offers,
 * how it learns of revocations, and the background load sent to it.
 */

export const QueueSpec = Type.Object(
  {
    servers: Type.Integer({ minimum: 1, maximum: 100_000, description: 'parallel servers (c), at most 100000' }),
    capacity: Type.Optional(Type.Integer({ minimum: 1, description: 'most jobs held, waiting plus in service (K); omit for unbounded' })),
    service: DurationDistribution(`service time of one job: ${DISTRIBUTION_HELP}`),
  },
  { additionalProperties: false, description: 'a FIFO service station' },
);

export const REVOCATION_MODES = ['none', 'push', 'introspect', 'cache', 'events'] as const;
export const RECALL_POLICIES = ['none', 'before-start', 'any'] as const;

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

export const WorkloadSpec = Type.Object(
  {
    id: Id('stable id of this arrival stream'),
    resource: Id('id of the resource that receives the jobs'),
    interarrival: DurationDistribution(`time between arrivals: ${DISTRIBUTION_HELP}`),
    start: Type.Optional(Duration('when the first arrival may happen', '0s')),
  },
  { additionalProperties: false, description: 'an open stream of anonymous jobs (background load)' },
);

export type ResourceDef = Static<typeof ResourceSpec>;
export type QueueDef = Static<typeof QueueSpec>;
export type WorkloadDef = Static<typeof WorkloadSpec>;
export type OperationDef = Static<typeof OperationSpec>;
export type RevocationDef = Static<typeof RevocationSpec>;
export type RevocationMode = (typeof REVOCATION_MODES)[number];
export type RecallPolicy = (typeof RECALL_POLICIES)[number];
