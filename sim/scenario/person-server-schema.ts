import { Type, type Static } from '@sinclair/typebox';
import { AUTHORITY_MODELS } from './authority-vocabulary.ts';
import { QueueSpec } from './resource-schema.ts';
import { Duration, Id, literals } from './schema-types.ts';

/** The scenario format's Person Servers (part of the scenario schema, schema.ts): approval, outages, authority model, narrowing and budget. */

export const NARROWING_MODES = ['at-mint', 'at-evaluation', 'provenance'] as const;

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

export type PersonServerDef = Static<typeof PersonServerSpec>;
export type NarrowingMode = (typeof NARROWING_MODES)[number];
