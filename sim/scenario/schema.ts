import { Type, type Static } from '@sinclair/typebox';

/**
 * The scenario file format, defined once: the loader's TypeScript types are
 * `Static<...>` of these, and scenarios/schema.json is generated from them
 * (`npm run schema`), so the two cannot drift apart.
 */

const DURATION_HELP = 'a duration: a number and a unit, us ms s m h d (250ms, 30s, 5m, 2h, 3d)';
const DISTRIBUTION_HELP =
  'a random duration: const(30s), uniform(1s, 5s), exp(2m), lognormal(30s, 1.5), ' +
  'normal(10s, 2s), choice(1s:3, 5s:1), empirical(1s, 2s, 9s), or a plain duration';

/** Format names checked by the real parsers in sim/engine (never by regex). */
export const DURATION_FORMAT = 'missionbench-duration';
export const DURATION_DISTRIBUTION_FORMAT = 'missionbench-duration-distribution';

export const Duration = (description = DURATION_HELP) => Type.String({ format: DURATION_FORMAT, description });
export const DurationDistribution = (description = DISTRIBUTION_HELP) =>
  Type.String({ format: DURATION_DISTRIBUTION_FORMAT, description });

export const Id = (description: string) =>
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.:-]*$', minLength: 1, maxLength: 128, description });

export const QueueSpec = Type.Object(
  {
    servers: Type.Integer({ minimum: 1, description: 'parallel servers (c)' }),
    capacity: Type.Optional(
      Type.Integer({ minimum: 1, description: 'most jobs held, waiting plus in service (K); omit for unbounded' }),
    ),
    service: DurationDistribution('service time of one job: ' + DISTRIBUTION_HELP),
  },
  { additionalProperties: false, description: 'a FIFO service station' },
);

export const ResourceSpec = Type.Object(
  {
    id: Id('stable id of the resource'),
    queue: QueueSpec,
  },
  { additionalProperties: false },
);

export const WorkloadSpec = Type.Object(
  {
    id: Id('stable id of this arrival stream'),
    resource: Id('id of the resource that receives the jobs'),
    interarrival: DurationDistribution('time between arrivals: ' + DISTRIBUTION_HELP),
    start: Type.Optional(Duration('when the first arrival may happen (default 0s)')),
  },
  { additionalProperties: false, description: 'an open stream of anonymous jobs (background load)' },
);

export const ScenarioSpec = Type.Object(
    {
      $schema: Type.Optional(Type.String()),
      name: Id('scenario name'),
      description: Type.String({ description: 'what the scenario shows, and which seed it comes from' }),
      duration: Duration('simulated time horizon'),
      seed: Type.Optional(Type.Integer({ minimum: 0, description: 'default seed; --seed overrides it' })),
      topology: Type.Object(
        {
          resources: Type.Array(ResourceSpec, { description: 'resources with their queues' }),
        },
        { additionalProperties: false },
      ),
      workload: Type.Optional(Type.Array(WorkloadSpec)),
    },
    { additionalProperties: false, title: 'missionbench scenario' },
);

export type Scenario = Static<typeof ScenarioSpec>;
export type ResourceDef = Static<typeof ResourceSpec>;
export type WorkloadDef = Static<typeof WorkloadSpec>;
