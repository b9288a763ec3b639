import { Type, type Static } from '@sinclair/typebox';
import { AUTHORITY_MODELS } from './authority-vocabulary.ts';
import { QueueSpec, RevocationRateLimitSpec } from './resource-schema.ts';
import { Duration, DurationDistribution, Id, literals } from './schema-types.ts';

/** The scenario format's Access Servers (part of the scenario schema, schema.ts): four-party issuance, what each trusts of a federated PS. */

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

export type AccessServerDef = Static<typeof AccessServerSpec>;
