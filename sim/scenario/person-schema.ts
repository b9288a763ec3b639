import { Type, type Static } from '@sinclair/typebox';
import { DurationDistribution, Id } from './schema-types.ts';
import { DAYS_PATTERN, HOURS_PATTERN } from './working-hours.ts';

/** The scenario format's people (part of the scenario schema, schema.ts): how fast, when and how reliably each answers. */

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

export type PersonDef = Static<typeof PersonSpec>;
