import { Type, type Static } from '@sinclair/typebox';
import { Duration, DurationDistribution, Id } from './schema-types.ts';

/** The scenario format's network (part of the scenario schema, schema.ts): latency, loss per link, and an agent's timeout and retries. */

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

export type NetworkDef = Static<typeof NetworkSpec>;
