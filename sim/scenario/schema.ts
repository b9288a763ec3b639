import { Type, type Static } from '@sinclair/typebox';
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
import { AccessServerSpec } from './access-server-schema.ts';
import { AuthoritySettingsSpec } from './authority-settings-schema.ts';
import { NetworkSpec } from './network-schema.ts';
import { PersonSpec } from './person-schema.ts';
import { PersonServerSpec } from './person-server-schema.ts';
import { ResourceSpec, WorkloadSpec } from './resource-schema.ts';
import { Duration, Id, literals } from './schema-types.ts';

/**
 * The scenario file format, defined once: the loader's TypeScript types are
 * `Static<...>` of these, and scenarios/schema.json is generated from them
 * (`npm run schema`), so the two cannot drift apart. This file holds the
 * document's top level (its profile, token lifetimes, limits); each part
 * with its own concept has its own file, re-exported here so every reader
 * imports the format from one place (the orchestration block,
 * orchestration-schema.ts, is the exception: sim/aop/ imports it directly).
 */

export { DURATION_FORMAT, DURATION_DISTRIBUTION_FORMAT, Duration, DurationDistribution, Id } from './schema-types.ts';
export * from './agent-schema.ts';
export * from './resource-schema.ts';
export * from './person-schema.ts';
export * from './person-server-schema.ts';
export * from './access-server-schema.ts';
export * from './authority-settings-schema.ts';
export * from './network-schema.ts';

export const PROFILES = ['oauth', 'aauth-r01', 'aauth-r11', 'aauth-latest', 'aauth-m0', 'mission-authority'] as const;

/**
 * Profiles whose source text allows sub-agents one level deep only, the
 * parent asking on the sub-agent's behalf (draft-hardt-aauth-protocol-11):
 * `validate` refuses a deeper chain under them (docs/profiles.md).
 */
export const ONE_LEVEL_SUB_AGENTS: readonly ProfileName[] = ['aauth-r11', 'aauth-latest'];
/** Profiles whose source text has mission updates (draft-hardt-oauth-aauth-protocol-11 and later): `validate` refuses an `update` plan step elsewhere. */
export const MISSION_UPDATE_PROFILES: readonly ProfileName[] = ['aauth-r11', 'aauth-latest'];

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
export type AgentDef = Static<typeof AgentSpec>;
export type SubAgentPolicyDef = Static<typeof SubAgentPolicySpec>;
export type PlanStepDef = Static<typeof PlanStepSpec>;
export type IntentDef = Static<typeof IntentSpec>;
export type MissionDef = Static<typeof MissionSpec>;
export type DriftDef = Static<typeof DriftSpec>;
export type MonitorDef = Static<typeof MonitorSpec>;
export type LimitsDef = Static<typeof LimitsSpec>;
export type InterventionDef = Static<typeof InterventionSpec>;
export type FaultDef = Static<typeof FaultSpec>;
export type ProfileName = (typeof PROFILES)[number];
