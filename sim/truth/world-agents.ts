/**
 * One agent as the world follows it: where the oracle places it in a
 * delegation tree and what its mission did (the outcome tally), in one
 * object. Every executed operation asks about both for the same agent; at
 * 10,000 agents, each acting about every 30 simulated seconds, every such
 * lookup misses the cache, so one record found once costs one miss where a
 * map per concern cost one each (docs/benchmarks/world-agents.md).
 *
 * The oracle writes the first group and the outcome tally the second; the
 * parties never see the record (they hold only the write-only sinks).
 * `Entry` is the oracle's mission entry, opaque here (this file sits below
 * the oracle).
 */
export class WorldAgent<Entry> {
  // The oracle's: the record of its mission's root agent (itself for a root agent; undefined until it has a
  // mission), its depth, and the entry of the mission it is the root agent of (if any).
  root: WorldAgent<Entry> | undefined = undefined;
  depth = 0;
  missionEntry: Entry | undefined = undefined;

  // The outcome tally's (sim/truth/mission-outcomes.ts).
  tallied = false;
  mission: string | null = null;
  terminatedAt: number | undefined = undefined;
  executed = 0;
  after = 0;
  irreversibleAfter = 0;
  lastAfter: number | undefined = undefined;

  constructor(readonly id: string) {}
}

/** The world's agents by id, shared by the oracle and the outcome tally. */
export class WorldAgents<Entry> {
  private readonly byId = new Map<string, WorldAgent<Entry>>();
  /**
   * The record found last: an executed operation asks for its agent twice
   * in a row (its `op` record, then its outcome tally), and the second ask
   * is then a pointer comparison. Records are never removed, so it never
   * goes stale.
   */
  private last: WorldAgent<Entry> | undefined = undefined;

  /** The agent's record, if the world has one. */
  find(id: string): WorldAgent<Entry> | undefined {
    const last = this.last;
    if (last !== undefined && last.id === id) return last;
    const found = this.byId.get(id);
    if (found !== undefined) this.last = found;
    return found;
  }

  /** The agent's record, made on first use. */
  of(id: string): WorldAgent<Entry> {
    let agent = this.find(id);
    if (agent === undefined) {
      agent = new WorldAgent<Entry>(id);
      this.byId.set(id, agent);
      this.last = agent;
    }
    return agent;
  }
}
