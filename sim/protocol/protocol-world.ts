import { parseDistribution } from '../engine/distribution.ts';
import { parseDuration } from '../engine/duration.ts';
import { agentLinkLoss } from './link-loss.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { WorldContext } from '../world/context.ts';
import type { QueuedResource } from '../world/queued-resource.ts';
import { AccessServer } from './access-server.ts';
import { Agent } from './agent.ts';
import { Network } from './network.ts';
import { Person } from './person.ts';
import { PersonServer } from './person-server.ts';
import { resolveProfile, type Profile } from './profiles.ts';
import { Resource } from './resource.ts';
import { operationIndex } from '../authority/renderings.ts';
import { AlignmentMonitor } from '../alignment/monitor.ts';
import { applyIntervention } from '../lifecycle/interventions.ts';
import { scheduleFaults } from '../lifecycle/faults.ts';

export const DEFAULT_CLOCK_ORIGIN = '00:00';

/**
 * Wires the AAuth world of a scenario onto the engine: people, Person
 * Servers, resources (sharing the queues of the queueing layer), agents,
 * and the interventions people make. References were checked at load time.
 */
export class ProtocolWorld {
  readonly profile: Profile;
  readonly personServers = new Map<string, PersonServer>();
  readonly resources = new Map<string, Resource>();
  readonly people = new Map<string, Person>();
  readonly agents = new Map<string, Agent>();
  /** The runtime alignment monitor, if the scenario has one. */
  readonly monitor: AlignmentMonitor | undefined;

  constructor(ctx: WorldContext, spec: Scenario, queues: Map<string, QueuedResource>) {
    this.profile = resolveProfile(spec);
    const latency = parseDistribution(spec.network?.latency ?? 'exp(20ms)', 'duration');
    const network = new Network(ctx, latency, agentLinkLoss(spec), {
      timeout: parseDuration(spec.network?.timeout ?? '30s'),
      retries: spec.network?.retries ?? 3,
    });
    const clockOrigin = spec.clock_origin ?? DEFAULT_CLOCK_ORIGIN;
    for (const def of spec.people ?? []) this.people.set(def.id, new Person(ctx, def, clockOrigin));
    for (const def of spec.topology.resources) {
      this.resources.set(def.id, new Resource(ctx, def, this.profile, network, latency, queues.get(def.id) as QueuedResource));
    }
    for (const resource of this.resources.values()) resource.peers = this.resources;
    for (const def of spec.topology.access_servers ?? []) {
      const accessServer = new AccessServer(ctx, def, this.profile, spec.authority);
      for (const resource of this.resources.values()) {
        if (resource.def.access_server !== def.id) continue;
        resource.accessServer = accessServer;
        accessServer.domainResources.add(resource.id);
        for (const op of resource.def.operations ?? []) accessServer.domainClasses.add(op.class ?? resource.id);
      }
    }
    const ops = operationIndex(spec.topology.resources);
    for (const def of spec.topology.person_servers ?? []) {
      this.personServers.set(def.id, new PersonServer(ctx, def, this.profile, network, this.resources, clockOrigin, spec.authority, ops));
    }
    for (const def of spec.agents ?? []) {
      const ps = this.personServers.get(def.ps) as PersonServer;
      const person = this.people.get(def.person) as Person;
      this.agents.set(def.id, new Agent(ctx, def, this.profile, network, ps, person, this.resources));
    }
    for (const intervention of spec.interventions ?? []) {
      const person = this.people.get(intervention.person) as Person;
      const agent = (spec.agents ?? []).find((a) => a.id === intervention.agent);
      const ps = this.personServers.get(agent?.ps ?? '') as PersonServer;
      // A person acts when at work: an intervention drawn outside their hours happens when they next start.
      const at = person.availableAt(person.draw(parseDistribution(intervention.at, 'duration')));
      ctx.sim.schedule(at, () => applyIntervention(ctx, ps, person.id, intervention));
    }
    if (spec.monitor) {
      this.monitor = new AlignmentMonitor(ctx, spec.monitor);
      for (const resource of this.resources.values()) resource.monitor = this.monitor;
    }
    scheduleFaults(ctx, spec.faults ?? [], this.agents);
    for (const agent of this.agents.values()) agent.start();
  }
}
