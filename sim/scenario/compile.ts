import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseDistribution, type Distribution } from '../engine/distribution.ts';
import { parseDuration } from '../engine/duration.ts';
import {
  AccessServerSpec, NetworkSpec, PersonServerSpec, PersonSpec, RevocationSpec,
  type AccessServerDef, type NetworkDef, type PersonDef, type PersonServerDef, type ResourceDef, type RevocationDef, type RevocationMode, type Scenario,
} from './schema.ts';

/**
 * The scenario as the world is built from it: parsed once, after
 * validation, into values domain code uses as they are (durations in
 * integer microseconds, distributions parsed), with every default taken
 * from the schema's `default` (the one place a default is written). The
 * model is frozen: nothing downstream changes it.
 *
 * Compiled so far: the network and the topology's people, Person Servers,
 * resources (operations' service times, revocation) and Access Servers.
 * The rest of the scenario is read from `spec` until it is compiled too.
 */
export interface CompiledScenario {
  /** The validated document, for the parts not compiled yet. */
  readonly spec: Scenario;
  readonly network: CompiledNetwork;
  readonly people: ReadonlyMap<string, CompiledPerson>;
  readonly personServers: ReadonlyMap<string, CompiledPersonServer>;
  readonly resources: ReadonlyMap<string, CompiledResource>;
  readonly accessServers: ReadonlyMap<string, CompiledAccessServer>;
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
  readonly pollIntervalUs: number;
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
}

export interface CompiledResource {
  readonly def: Readonly<ResourceDef>;
  /** Each operation's own service time, by name (undefined: the queue's). */
  readonly operationService: ReadonlyMap<string, Distribution | undefined>;
  readonly revocation: CompiledRevocation;
}

export interface CompiledAccessServer {
  readonly def: Readonly<AccessServerDef>;
  readonly clarifyLatency: Distribution;
}

/** A section with the schema's defaults filled in (a copy: the document stays as written). */
function withDefaults<T>(schema: TSchema, value: T): T {
  return Value.Default(schema, structuredClone(value)) as T;
}

const durationDistribution = (text: string) => parseDistribution(text, 'duration');
const byId = <T extends { readonly def: { id: string } }>(items: readonly T[]) => new Map(items.map((item) => [item.def.id, Object.freeze(item)]));

export function compileNetwork(def: NetworkDef | undefined): CompiledNetwork {
  const network = withDefaults(NetworkSpec, def ?? {});
  return Object.freeze({
    def: def ?? {},
    latency: durationDistribution(network.latency as string),
    timeoutUs: parseDuration(network.timeout as string),
    retries: network.retries as number,
  });
}

export function compilePerson(def: PersonDef): CompiledPerson {
  const person = withDefaults(PersonSpec, def);
  return { def, approvalLatency: durationDistribution(person.approval_latency as string) };
}

export function compilePersonServer(def: PersonServerDef): CompiledPersonServer {
  const ps = withDefaults(PersonServerSpec, def);
  const outages = (ps.outages ?? []).map((outage) => {
    const from = parseDuration(outage.at);
    return Object.freeze({ from, until: from + parseDuration(outage.for) });
  });
  return { def, pollIntervalUs: parseDuration(ps.poll_interval as string), outages: Object.freeze(outages) };
}

export function compileRevocation(def: ResourceDef['revocation']): CompiledRevocation {
  // The mode is required where a revocation section is written; absent, the profile decides it.
  const revocation: RevocationDef = withDefaults(RevocationSpec, def ?? { mode: 'none' });
  return Object.freeze({
    mode: def?.mode,
    latency: def?.latency === undefined ? undefined : durationDistribution(def.latency),
    loss: revocation.loss as number,
    retries: revocation.retries as number,
    retryIntervalUs: parseDuration(revocation.retry_interval as string),
    retryAfterUs: parseDuration(revocation.retry_after as string),
    cacheTtlUs: parseDuration(revocation.cache_ttl as string),
  });
}

export function compileResource(def: ResourceDef): CompiledResource {
  const operationService = new Map((def.operations ?? []).map((op) => [op.name, op.service === undefined ? undefined : durationDistribution(op.service)]));
  return { def, operationService, revocation: compileRevocation(def.revocation) };
}

export function compileAccessServer(def: AccessServerDef): CompiledAccessServer {
  const as = withDefaults(AccessServerSpec, def);
  return { def, clarifyLatency: durationDistribution(as.clarify_latency as string) };
}

/** Compiles a validated scenario (sim/scenario/load.ts has checked it and its references). */
export function compileScenario(spec: Scenario): CompiledScenario {
  return Object.freeze({
    spec,
    network: compileNetwork(spec.network),
    people: byId((spec.people ?? []).map(compilePerson)),
    personServers: byId((spec.topology.person_servers ?? []).map(compilePersonServer)),
    resources: byId(spec.topology.resources.map(compileResource)),
    accessServers: byId((spec.topology.access_servers ?? []).map(compileAccessServer)),
  });
}
