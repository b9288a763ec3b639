import { agentLinkLoss } from '../protocol/link-loss.ts';
import type { CompiledScenario } from '../scenario/compile.ts';
import type { AgentDef } from '../scenario/schema.ts';
import type { WorldContext } from './context.ts';
import type { QueuedResource } from './queued-resource.ts';
import { AccessServer } from '../protocol/access-server.ts';
import { Agent } from '../protocol/agent.ts';
import type { FederationEndpoint } from '../protocol/federation.ts';
import { Network } from '../protocol/network.ts';
import { Person } from '../protocol/person.ts';
import { PersonServer } from '../protocol/person-server.ts';
import { resolveProfile, type Profile } from '../protocol/profiles.ts';
import { Resource, type PersonServerPort } from '../protocol/resource.ts';
import { WireSightings } from '../protocol/wire-sightings.ts';
import { operationIndex } from '../authority/renderings.ts';
import { AlignmentMonitor, type MonitoredServer } from '../alignment/monitor.ts';
import { AlignmentTally, type AlignmentSummary } from '../alignment/metrics.ts';
import { applyIntervention } from '../lifecycle/interventions.ts';
import { scheduleFaults } from '../lifecycle/faults.ts';
import { classAttacks, type ClassAttacks } from './class-attacks.ts';
import { ProviderMissions } from '../protocol/provider-missions.ts';
import type { AttackOutcome } from '../aop/attack-ledger.ts';
import { authorMissions } from './authoring.ts';

export const DEFAULT_CLOCK_ORIGIN = '00:00';

/** An agent as the world hands it its definition: its mission without the true intent (the oracle's). */
function withoutIntent(def: AgentDef): AgentDef {
  if (!def.mission?.intent) return def;
  const { intent: _intent, ...proposal } = def.mission;
  return { ...def, mission: proposal };
}

/**
 * Wires the AAuth world of a scenario onto the engine: people, Person
 * Servers, resources (sharing the queues of the queueing layer), agents,
 * and the interventions people make. References were checked at load time.
 * Every party gets only its own context and ports to the parties it talks
 * to; the oracle's intent reaches no party: the person writes each mission
 * from it first (the authoring step, sim/world/authoring.ts, logged), and
 * agents propose what was written.
 */
export class ProtocolWorld {
  readonly profile: Profile;
  readonly personServers = new Map<string, PersonServer>();
  readonly resources = new Map<string, Resource>();
  readonly people = new Map<string, Person>();
  readonly agents = new Map<string, Agent>();
  /** The runtime alignment monitor, if the scenario has one. */
  readonly monitor: AlignmentMonitor | undefined;
  private readonly alignment: AlignmentTally | undefined;

  constructor(ctx: WorldContext, compiled: CompiledScenario, queues: Map<string, QueuedResource>) {
    const spec = compiled.spec;
    this.profile = resolveProfile(spec.profile, compiled.tokens, spec.class_check);
    const oracle = ctx.oracle;
    const latency = compiled.network.latency;
    const network = new Network(ctx, latency, agentLinkLoss(spec), { timeout: compiled.network.timeoutUs, retries: compiled.network.retries });
    const clockOrigin = spec.clock_origin ?? DEFAULT_CLOCK_ORIGIN;
    for (const person of compiled.people.values()) this.people.set(person.def.id, new Person(ctx, person, clockOrigin));
    const psPorts = new Map<string, PersonServerPort>();
    for (const resource of compiled.resources.values()) {
      this.resources.set(resource.def.id, new Resource(ctx, resource, this.profile, network, latency, (queues.get(resource.def.id) as QueuedResource).station));
    }
    for (const resource of this.resources.values()) {
      resource.peers = this.resources;
      resource.personServers = psPorts;
    }
    const federation = new Map<string, FederationEndpoint>();
    for (const compiledAs of compiled.accessServers.values()) {
      const def = compiledAs.def;
      const accessServer = new AccessServer(ctx, compiledAs, this.profile, spec.authority);
      for (const resource of this.resources.values()) {
        if (resource.def.access_server !== def.id) continue;
        resource.accessServer = accessServer.actor;
        federation.set(resource.id, accessServer);
        accessServer.revocationTargets.set(resource.id, resource);
        accessServer.domainResources.add(resource.id);
        for (const op of resource.def.operations ?? []) accessServer.domainClasses.add(op.class ?? resource.id);
      }
    }
    const ops = operationIndex(spec.topology.resources);
    for (const compiledPs of compiled.personServers.values()) {
      const ps = new PersonServer(ctx, compiledPs, this.profile, network, this.resources, federation, clockOrigin, spec.authority, ops);
      this.personServers.set(compiledPs.def.id, ps);
      psPorts.set(ps.actor, ps);
      // Its administrators are told of every mission it approves (what they may name one by).
      ps.administratorChannels = (compiledPs.def.administrators ?? []).map((id) => this.people.get(id) as Person);
    }
    this.classAttacks = classAttacks(compiled.agents, this.profile, ctx.truth);
    const authored = authorMissions(ctx, spec, compiled.agents.values(), ops, oracle);
    // What goes over the wire as an eavesdropper sees it: read only by an attacking agent (issue 17 item 3),
    // so kept only when one attacks. What a provider knows of its runtimes' missions: read only by runtimes
    // that join another's mission (acts_under). Without a reader, no agent's entry is kept.
    const defs = [...compiled.agents.values()].map((agent) => agent.def);
    const sightings = defs.some((def) => def.attack !== undefined) ? new WireSightings() : undefined;
    const providerMissions = defs.some((def) => def.acts_under !== undefined) ? new ProviderMissions() : undefined;
    for (const agent of compiled.agents.values()) {
      const def = agent.def;
      const mission = authored.get(def.id) ?? agent.mission;
      const ps = this.personServers.get(def.ps) as PersonServer;
      const person = this.people.get(def.person) as Person;
      const attack = this.classAttacks?.reportFor(def.id);
      this.agents.set(
        def.id,
        new Agent(ctx, { ...agent, mission, def: withoutIntent(def) }, this.profile, network, ps, person, this.resources, attack, sightings, providerMissions),
      );
    }
    // Seed 002, token_cache: shared: the runtime holds its provider's cache for the identity it presents.
    for (const agent of this.agents.values()) {
      const owner = agent.def.token_cache === 'shared' && agent.def.acts_under !== undefined ? this.agents.get(agent.def.acts_under) : undefined;
      if (owner) agent.shareTokensOf(owner);
    }
    // -11: a sub-agent sends its hop request to its parent runtime's endpoint (sim/protocol/parent-mediation.ts).
    if (this.profile.parentMediated) {
      for (const agent of this.agents.values()) if (agent.def.parent !== undefined) agent.parent = this.agents.get(agent.def.parent)?.mediator;
    }
    // aauth-latest: every agent's provider has an events inbox its PS pushes to.
    for (const agent of this.agents.values()) this.personServers.get(agent.def.ps)?.events?.inboxes.set(agent.def.id, agent.inbox);
    for (const { def: intervention, at: when } of compiled.interventions) {
      const person = this.people.get(intervention.person) as Person;
      const agent = compiled.agents.get(intervention.agent);
      const ps = this.personServers.get(agent?.def.ps ?? '') as PersonServer;
      // A person acts when at work: an intervention drawn outside their hours happens when they next start.
      const at = person.availableAt(person.draw(when));
      ctx.sim.schedule(at, () => applyIntervention(ctx, network, ps, person, intervention));
    }
    if (spec.monitor) {
      // The monitor's figures are judged against the oracle, for the metrics only.
      this.alignment = new AlignmentTally((agent, op) => oracle.executedIntended(agent, op));
      const servers = new Map<string, MonitoredServer>([...this.personServers.values()].map((ps) => [ps.actor, ps]));
      this.monitor = new AlignmentMonitor(ctx, spec.monitor, servers, this.alignment, network);
      for (const resource of this.resources.values()) resource.monitor = this.monitor;
    }
    scheduleFaults(ctx, compiled.faults, this.agents);
    for (const agent of this.agents.values()) agent.start();
  }

  /** Seed 002: runtimes of another class the scenario injected to present a mission (the oracle's ledger), if any. */
  private readonly classAttacks: ClassAttacks | undefined;

  /** What became of each runtime of another class that presented a mission: refused (by whom), or took effect (visible in the log or only to the oracle). */
  classAttackOutcomes(): AttackOutcome[] | undefined {
    return this.classAttacks?.list();
  }

  /** The monitor's figures, if the scenario has one. */
  alignmentSummary(): AlignmentSummary | undefined {
    return this.monitor && this.alignment ? this.alignment.summary(this.monitor.enabled) : undefined;
  }
}
