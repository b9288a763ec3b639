/**
 * Which agents of one mission exist: the world's record, not a party's
 * (the scripted attacks are the world's, and an agent that does not exist
 * cannot be compromised). The orchestrator exists from the start (it
 * proposes the mission); any other agent from the moment its spawn takes
 * effect: under AOP when the GEC issues its SACR, under chaining when the
 * delegation goes through (under a Person Server, when it mints it). That
 * holds for an agent a rogue spawn asked for too (though a scenario names
 * only the plan's agents as attackers). Written where a spawn
 * takes effect; read only by the world, before it runs a scripted attack.
 * No agent ends before the mission closes: a revoked agent loses its SACR,
 * not its process, so what it still sends is refused, not absent.
 */
export class SpawnedAgents {
  private readonly agents = new Set<string>();

  constructor(orchestrator: string) {
    this.agents.add(orchestrator);
  }

  spawned(agent: string): void {
    this.agents.add(agent);
  }

  has(agent: string): boolean {
    return this.agents.has(agent);
  }
}
