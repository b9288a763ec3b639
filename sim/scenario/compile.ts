import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDistribution, type Distribution } from '../engine/distribution.ts';
import { parseDuration } from '../engine/duration.ts';
import { runtimeClass } from './agent-classes.ts';
import {
  AccessServerSpec,
  AgentSpec,
  DriftSpec,
  FaultSpec,
  NetworkSpec,
  PersonServerSpec,
  PersonSpec,
  RevocationSpec,
  WorkloadSpec,
  type AccessServerDef,
  type AgentDef,
  type DriftDef,
  type FaultDef,
  type InterventionDef,
  type MissionDef,
  type NetworkDef,
  type PersonDef,
  type PersonServerDef,
  type PlanStepDef,
  type QueueDef,
  type ResourceDef,
  type RevocationDef,
  type RevocationMode,
  type Scenario,
  type SubAgentPolicyDef,
  type WorkloadDef,
} from './schema.ts';
import {
  OrchestrationSpec,
  PlanBSpec,
  SubGoalSpec,
  type AttackDef,
  type OrchestrationDef,
  type PlanBDef,
  type RevocationDef as SacrRevocationDef,
  type SubGoalDef,
} from './orchestration-schema.ts';

/**
 * The scenario as the world is built from it: parsed once, after
 * validation, into values domain code uses as they are (durations in
 * integer microseconds, distributions parsed), with every default taken
 * from the schema's `default` (the one place a default is written). The
 * model is frozen: nothing downstream changes it.
 *
 * Compiled so far: the network and the topology's people, Person Servers,
 * resources (operations' service times, revocation) and Access Servers;
 * agents (start, plan steps' times, drift, mission lifetime), interventions
 * and faults; queues, the background workload and token lifetimes; the
 * orchestration section's times. The horizon (sim/run.ts) and what the
 * loader's own checks parse (sim/scenario/) are the only parsing left.
 * References are checked at load time but not yet resolved to objects here.
 */
export interface CompiledScenario {
  /** The validated document, for the parts not compiled yet. */
  readonly spec: Scenario;
  readonly network: CompiledNetwork;
  readonly people: ReadonlyMap<string, CompiledPerson>;
  readonly personServers: ReadonlyMap<string, CompiledPersonServer>;
  readonly resources: ReadonlyMap<string, CompiledResource>;
  readonly accessServers: ReadonlyMap<string, CompiledAccessServer>;
  readonly agents: ReadonlyMap<string, CompiledAgent>;
  readonly interventions: readonly CompiledIntervention[];
  readonly faults: readonly CompiledFault[];
  readonly workload: readonly CompiledWorkload[];
  /** The scenario's token lifetimes, where it overrides its profile's. */
  readonly tokens: CompiledTokens;
  readonly orchestration: CompiledOrchestration | undefined;
}

export interface CompiledSubGoal {
  readonly def: Readonly<SubGoalDef>;
  /** Latest close from mission open (AT_RISK if still open then). */
  readonly deadlineUs: number | undefined;
  /** Work time of a leaf sub-goal. */
  readonly duration: Distribution;
  /** When its injected fault happens, into its execution. */
  readonly faultAfter: Distribution | undefined;
}

export interface CompiledOrchestration {
  readonly def: Readonly<OrchestrationDef>;
  readonly startUs: number;
  readonly gecLatency: Distribution;
  readonly subGoals: ReadonlyMap<string, CompiledSubGoal>;
  /** Each Plan B's work time, by id. */
  readonly planBDurations: ReadonlyMap<string, Distribution>;
  readonly attacks: ReadonlyArray<{ readonly def: Readonly<AttackDef>; readonly atUs: number }>;
  /** MAD revocation triggers (R-1..R-7), each at its time. */
  readonly revocations: ReadonlyArray<{ readonly def: Readonly<SacrRevocationDef>; readonly atUs: number }>;
}

/** A FIFO service station. */
export interface CompiledQueue {
  readonly servers: number;
  readonly capacity: number | undefined;
  readonly service: Distribution;
}

export interface CompiledWorkload {
  readonly def: Readonly<WorkloadDef>;
  readonly interarrival: Distribution;
  readonly startUs: number;
}

/** Token lifetimes in µs; undefined: the profile's. */
export interface CompiledTokens {
  readonly agentTtlUs: number | undefined;
  readonly resourceTtlUs: number | undefined;
  readonly authTtlUs: number | undefined;
  readonly personTtlUs: number | undefined;
  readonly refreshBeforeUs: number | undefined;
}

export interface CompiledPlanStep {
  readonly def: Readonly<PlanStepDef>;
  /** Time since the start of the run at which to take the step. */
  readonly atUs: number | undefined;
  /** Think time after the previous step (undefined: none, not even a zero wait). */
  readonly after: Distribution | undefined;
}

export interface CompiledDrift {
  readonly def: Readonly<DriftDef> | undefined;
  readonly fromUs: number;
  /** Injection: when the instruction arrives (Infinity: never). */
  readonly atUs: number;
  readonly rate: number;
  readonly max: number;
}

export interface CompiledAgent {
  readonly def: Readonly<AgentDef>;
  readonly startUs: number;
  readonly plan: readonly CompiledPlanStep[];
  readonly drift: CompiledDrift;
  /** A root agent's mission as it proposes it (without the intent). */
  readonly mission: ProposedMission | undefined;
  /** Seed 002: the class its runtimes name (sim/scenario/agent-classes.ts). */
  readonly runtimeClass: string;
  /** A second mission the agent holds at the same time (`concurrent_mission`). */
  readonly concurrentMission: ProposedMission | undefined;
  /** -11: what it does as a parent with its sub-agents' requests (`sub_agents`); undefined: pass-through. */
  readonly subAgentPolicy: CompiledSubAgentPolicy | undefined;
}

export interface CompiledSubAgentPolicy {
  readonly refuse: readonly string[];
  readonly narrow: SubAgentPolicyDef['narrow'];
  readonly rateLimit: { readonly max: number; readonly perUs: number } | undefined;
}

export function compileSubAgentPolicy(def: SubAgentPolicyDef | undefined): CompiledSubAgentPolicy | undefined {
  if (def === undefined) return undefined;
  const limit = def.rate_limit;
  return Object.freeze({
    refuse: Object.freeze([...(def.refuse ?? [])]),
    narrow: def.narrow,
    rateLimit: limit === undefined ? undefined : Object.freeze({ max: limit.max, perUs: parseDuration(limit.per) }),
  });
}

export interface CompiledIntervention {
  readonly def: Readonly<InterventionDef>;
  /** When the person acts, drawn from the person's own stream. */
  readonly at: Distribution;
}

export interface CompiledFault {
  readonly def: Readonly<FaultDef>;
  readonly atUs: number;
  readonly restart: Distribution;
}

export interface CompiledNetwork {
  readonly def: Readonly<NetworkDef>;
  /** One-way latency of every message (and of revocation calls without their own). */
  readonly latency: Distribution;
  readonly timeoutUs: number;
  readonly retries: number;
}

export interface CompiledPerson {
  readonly def: Readonly<PersonDef>;
  readonly approvalLatency: Distribution;
}

export interface CompiledPersonServer {
  readonly def: Readonly<PersonServerDef>;
  readonly queue: CompiledQueue;
  readonly pollIntervalUs: number;
  /** Retry-After of its answer to an agent polling a paused mission (terminate-only profiles without an events inbox). */
  readonly pausePollUs: number;
  /** Periods when the PS answers nothing but 503, in µs from t=0. */
  readonly outages: ReadonlyArray<{ readonly from: number; readonly until: number }>;
}

export interface CompiledRevocation {
  /** Undefined: the profile's default mode. */
  readonly mode: RevocationMode | undefined;
  /** Undefined: the network's latency. */
  readonly latency: Distribution | undefined;
  readonly loss: number;
  readonly retries: number;
  readonly retryIntervalUs: number;
  readonly retryAfterUs: number;
  readonly cacheTtlUs: number;
  /** Periods when the revocation endpoint is down, in µs from t=0. */
  readonly outages: ReadonlyArray<{ readonly from: number; readonly until: number }>;
  /** aauth-latest: the endpoint's limit on calls per caller (undefined: none). */
  readonly rateLimit: CompiledRateLimit | undefined;
}

/** A revocation endpoint's limit: at most `calls` calls from one caller within `perUs`. */
export interface CompiledRateLimit {
  readonly calls: number;
  readonly perUs: number;
}

/** aauth-latest, four-party: the revocation endpoint of an Access Server, as the PS's notices meet it. */
export interface CompiledAccessServerRevocation {
  readonly outages: ReadonlyArray<{ readonly from: number; readonly until: number }>;
  /** The Retry-After of its 503 answers. */
  readonly retryIntervalUs: number;
  readonly rateLimit: CompiledRateLimit | undefined;
}

export interface CompiledResource {
  readonly def: Readonly<ResourceDef>;
  readonly queue: CompiledQueue;
  /** Each operation's own service time, by name (undefined: the queue's). */
  readonly operationService: ReadonlyMap<string, Distribution | undefined>;
  readonly revocation: CompiledRevocation;
}

export interface CompiledAccessServer {
  readonly def: Readonly<AccessServerDef>;
  readonly queue: CompiledQueue;
  readonly clarifyLatency: Distribution;
  readonly revocation: CompiledAccessServerRevocation;
}

/**
 * A section with the schema's defaults filled in (a copy: the document stays
 * as written). `keys` are the properties the compiler relies on the schema
 * to default: each must be set afterwards, or the schema lost its default.
 */
function withDefaults<T extends object, K extends keyof T>(schema: TSchema, value: T, ...keys: K[]): T & { [P in K]-?: Exclude<T[P], undefined> } {
  const filled = Value.Default(schema, structuredClone(value)) as T;
  for (const key of keys) {
    if (filled[key] === undefined) throw new Error(`the scenario schema gives no default for ${String(key)}`);
  }
  return filled as T & { [P in K]-?: Exclude<T[P], undefined> };
}

/**
 * One top-level property's value, or the schema's default for it when the
 * section leaves it out: what `withDefaults` gives for that property when
 * its default is a plain value (nothing nested to fill), without copying
 * and walking the whole section. For sections compiled once per agent: with
 * `withDefaults` there, compiling the 10,000-agent benchmark world took
 * 200-290 ms of CPU; 25-85 ms with this.
 */
function orDefault<S extends TObject, K extends keyof Static<S> & string>(schema: S, value: Static<S>, key: K): Exclude<Static<S>[K], undefined> {
  const own = value[key];
  if (own !== undefined) return own as Exclude<Static<S>[K], undefined>;
  const fallback = (schema.properties[key] as TSchema | undefined)?.default;
  if (fallback === undefined || (typeof fallback === 'object' && fallback !== null)) throw new Error(`the scenario schema gives no plain default for ${key}`);
  return fallback as Exclude<Static<S>[K], undefined>;
}

const durationDistribution = (text: string) => parseDistribution(text, 'duration');
const byId = <T extends { readonly def: { id: string } }>(items: readonly T[]) => new Map(items.map((item) => [item.def.id, Object.freeze(item)]));

export function compileQueue(def: QueueDef): CompiledQueue {
  return Object.freeze({ servers: def.servers, capacity: def.capacity, service: durationDistribution(def.service) });
}

export function compileWorkload(def: WorkloadDef): CompiledWorkload {
  const workload = withDefaults(WorkloadSpec, def, 'start');
  return Object.freeze({ def, interarrival: durationDistribution(def.interarrival), startUs: parseDuration(workload.start) });
}

const optionalDuration = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text));

export function compileTokens(def: Scenario['tokens']): CompiledTokens {
  return Object.freeze({
    agentTtlUs: optionalDuration(def?.agent_ttl),
    resourceTtlUs: optionalDuration(def?.resource_ttl),
    authTtlUs: optionalDuration(def?.auth_ttl),
    personTtlUs: optionalDuration(def?.person_ttl),
    refreshBeforeUs: optionalDuration(def?.refresh_before),
  });
}

export function compileNetwork(def: NetworkDef | undefined): CompiledNetwork {
  const network = withDefaults(NetworkSpec, def ?? {}, 'latency', 'timeout', 'retries');
  return Object.freeze({
    def: def ?? {},
    latency: durationDistribution(network.latency),
    timeoutUs: parseDuration(network.timeout),
    retries: network.retries,
  });
}

export function compilePerson(def: PersonDef): CompiledPerson {
  const person = withDefaults(PersonSpec, def, 'approval_latency');
  return { def, approvalLatency: durationDistribution(person.approval_latency) };
}

export function compilePersonServer(def: PersonServerDef): CompiledPersonServer {
  const ps = withDefaults(PersonServerSpec, def, 'queue', 'poll_interval', 'pause_poll');
  const outages = compileOutages(ps.outages);
  return {
    def,
    queue: compileQueue(ps.queue),
    pollIntervalUs: parseDuration(ps.poll_interval),
    pausePollUs: parseDuration(ps.pause_poll),
    outages: Object.freeze(outages),
  };
}

/** Outage windows (`at`, `for`) as [from, until) in µs from t=0. */
function compileOutages(outages: ReadonlyArray<{ at: string; for: string }> | undefined): Array<{ readonly from: number; readonly until: number }> {
  return (outages ?? []).map((outage) => {
    const from = parseDuration(outage.at);
    return Object.freeze({ from, until: from + parseDuration(outage.for) });
  });
}

export function compileRevocation(def: ResourceDef['revocation']): CompiledRevocation {
  // The mode is required where a revocation section is written; absent, the profile decides it.
  const revocation = withDefaults<RevocationDef, 'loss' | 'retries' | 'retry_interval' | 'retry_after' | 'cache_ttl'>(
    RevocationSpec,
    def ?? { mode: 'none' },
    'loss',
    'retries',
    'retry_interval',
    'retry_after',
    'cache_ttl',
  );
  return Object.freeze({
    mode: def?.mode,
    latency: def?.latency === undefined ? undefined : durationDistribution(def.latency),
    loss: revocation.loss,
    retries: revocation.retries,
    retryIntervalUs: parseDuration(revocation.retry_interval),
    retryAfterUs: parseDuration(revocation.retry_after),
    cacheTtlUs: parseDuration(revocation.cache_ttl),
    outages: Object.freeze(compileOutages(def?.outages)),
    rateLimit: compileRateLimit(def?.rate_limit),
  });
}

function compileRateLimit(def: RevocationDef['rate_limit']): CompiledRateLimit | undefined {
  return def === undefined ? undefined : Object.freeze({ calls: def.calls, perUs: parseDuration(def.per) });
}

export function compileResource(def: ResourceDef): CompiledResource {
  const operationService = new Map((def.operations ?? []).map((op) => [op.name, op.service === undefined ? undefined : durationDistribution(op.service)]));
  return { def, queue: compileQueue(def.queue), operationService, revocation: compileRevocation(def.revocation) };
}

export function compileAccessServer(def: AccessServerDef): CompiledAccessServer {
  const as = withDefaults(AccessServerSpec, def, 'queue', 'clarify_latency');
  const revocation = withDefaults<NonNullable<AccessServerDef['revocation']>, 'retry_interval'>(
    AccessServerSpec.properties.revocation,
    def.revocation ?? {},
    'retry_interval',
  );
  return {
    def,
    queue: compileQueue(as.queue),
    clarifyLatency: durationDistribution(as.clarify_latency),
    revocation: Object.freeze({
      outages: Object.freeze(compileOutages(revocation.outages)),
      retryIntervalUs: parseDuration(revocation.retry_interval),
      rateLimit: compileRateLimit(revocation.rate_limit),
    }),
  };
}

export function compilePlanStep(def: PlanStepDef): CompiledPlanStep {
  return Object.freeze({
    def,
    atUs: def.at === undefined ? undefined : parseDuration(def.at),
    after: def.after === undefined ? undefined : durationDistribution(def.after),
  });
}

export function compileDrift(def: DriftDef | undefined): CompiledDrift {
  const drift: DriftDef = def ?? { model: 'none', toward: [] };
  return Object.freeze({
    def,
    fromUs: parseDuration(orDefault(DriftSpec, drift, 'from')),
    atUs: drift.at === undefined ? Infinity : parseDuration(drift.at),
    rate: orDefault(DriftSpec, drift, 'rate'),
    max: orDefault(DriftSpec, drift, 'max'),
  });
}

/** A mission as its agent proposes it: what the scenario says of it but the true intent (the oracle's), its lifetime in µs. */
export type ProposedMission = Omit<MissionDef, 'intent' | 'expires_in'> & { readonly expiresInUs?: number | undefined };

export function proposedMission(def: MissionDef): ProposedMission {
  const { intent: _intent, expires_in, ...proposal } = def;
  // The rest object is fresh: extended and frozen in place. Freezing a spread copy of it instead gave every
  // agent's mission a hidden class of its own (about 170 B each, measured in a heap snapshot).
  return Object.freeze(expires_in === undefined ? proposal : Object.assign(proposal, { expiresInUs: parseDuration(expires_in) }));
}

export function compileAgent(def: AgentDef, agents: ReadonlyMap<string, AgentDef> = new Map()): CompiledAgent {
  return {
    def,
    runtimeClass: runtimeClass(def, agents),
    startUs: parseDuration(orDefault(AgentSpec, def, 'start')),
    plan: Object.freeze(def.plan.map(compilePlanStep)),
    drift: compileDrift(def.drift),
    mission: def.mission === undefined ? undefined : proposedMission(def.mission),
    concurrentMission: def.concurrent_mission === undefined ? undefined : proposedMission(def.concurrent_mission),
    subAgentPolicy: compileSubAgentPolicy(def.sub_agents),
  };
}

export function compileIntervention(def: InterventionDef): CompiledIntervention {
  return Object.freeze({ def, at: durationDistribution(def.at) });
}

export function compileFault(def: FaultDef): CompiledFault {
  const fault = withDefaults(FaultSpec, def, 'restart');
  return Object.freeze({ def, atUs: parseDuration(def.at), restart: durationDistribution(fault.restart) });
}

export function compileOrchestration(def: OrchestrationDef): CompiledOrchestration {
  const orchestration = withDefaults(OrchestrationSpec, def, 'start', 'gec_latency');
  const subGoals = new Map(
    def.sub_goals.map((goal): [string, CompiledSubGoal] => {
      const withDefault = withDefaults(SubGoalSpec, goal, 'duration');
      return [
        goal.id,
        Object.freeze({
          def: goal,
          deadlineUs: goal.deadline === undefined ? undefined : parseDuration(goal.deadline),
          duration: durationDistribution(withDefault.duration),
          faultAfter: goal.fault === undefined ? undefined : durationDistribution(goal.fault.after),
        }),
      ];
    }),
  );
  const planBs: PlanBDef[] = [...(def.eod.plan_b ?? []), ...def.sub_goals.flatMap((goal) => goal.eod.plan_b ?? [])];
  return Object.freeze({
    def,
    startUs: parseDuration(orchestration.start),
    gecLatency: durationDistribution(orchestration.gec_latency),
    subGoals,
    planBDurations: new Map(planBs.map((planB) => [planB.id, durationDistribution(withDefaults(PlanBSpec, planB, 'duration').duration)])),
    attacks: Object.freeze((def.attacks ?? []).map((attack) => Object.freeze({ def: attack, atUs: parseDuration(attack.at) }))),
    revocations: Object.freeze((def.revocations ?? []).map((revocation) => Object.freeze({ def: revocation, atUs: parseDuration(revocation.at) }))),
  });
}

/** Compiles a validated scenario (sim/scenario/load.ts has checked it and its references). */
export function compileScenario(spec: Scenario): CompiledScenario {
  const agentDefs = new Map((spec.agents ?? []).map((agent) => [agent.id, agent]));
  return Object.freeze({
    spec,
    network: compileNetwork(spec.network),
    people: byId((spec.people ?? []).map(compilePerson)),
    personServers: byId((spec.topology.person_servers ?? []).map(compilePersonServer)),
    resources: byId(spec.topology.resources.map(compileResource)),
    accessServers: byId((spec.topology.access_servers ?? []).map(compileAccessServer)),
    agents: byId((spec.agents ?? []).map((def) => compileAgent(def, agentDefs))),
    interventions: Object.freeze((spec.interventions ?? []).map(compileIntervention)),
    faults: Object.freeze((spec.faults ?? []).map(compileFault)),
    workload: Object.freeze((spec.workload ?? []).map(compileWorkload)),
    tokens: compileTokens(spec.tokens),
    orchestration: spec.orchestration === undefined ? undefined : compileOrchestration(spec.orchestration),
  });
}
