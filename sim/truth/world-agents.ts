/** The oracle's types a record holds: its intent envelope, an operation's facts, a pending budget charge. */
export interface RecordTypes {
  intent: unknown;
  op: unknown;
  charge: unknown;
}

/** A predicate over operations, compared bivariantly (method syntax), so a record of the oracle's types is one of unknown types. */
type OpPredicate<Op> = { check(op: Op): boolean }['check'];

/** A mission without budget charges (shared: never written, a budgeted mission gets a list of its own; frozen, so a stray write throws). */
const NO_CHARGES: never[] = Object.freeze([]) as never[];

/**
 * One agent as the world follows it: where the oracle places it in a
 * delegation tree and what its mission did (the outcome tally), in one
 * object. Every executed operation asks about both for the same agent; at
 * 10,000 agents, each acting about every 30 simulated seconds, every such
 * lookup misses the cache, so one record found once costs one miss where a
 * map per concern cost one each (docs/benchmarks/world-agents.md).
 *
 * The oracle writes the first two groups and the outcome tally the third;
 * no party reads the record (they hold only the write-only sinks; the
 * world keeps one per mission as a hint: sim/world/last-executors.ts).
 * `T` names the oracle's types, opaque here (this file sits below the
 * oracle).
 */
export class WorldAgent<T extends RecordTypes = RecordTypes> {
  // The oracle's: the record of its mission's root agent (itself for a root agent; undefined until it has a
  // mission) and its depth.
  root: WorldAgent<T> | undefined = undefined;
  depth = 0;

  // The oracle's entry of the mission this agent is the root agent of (intent undefined: none), inline
  // rather than an object of its own: every operation reads it, and at 30,000 agents a separate object
  // was a cache miss of its own (docs/benchmarks/worldrecord.md). A new mission of the same root
  // agent overwrites it whole (sim/truth/oracle.ts `mission`).
  missionId: string | null = null;
  intent: T['intent'] | undefined = undefined;
  logShowsOutside: OpPredicate<T['op']> | undefined = undefined;
  budget: { arg: string; limit: number } | undefined = undefined;
  spent = 0;
  pending: T['charge'][] = NO_CHARGES;

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
export class WorldAgents<T extends RecordTypes = RecordTypes> {
  private readonly byId = new Map<string, WorldAgent<T>>();
  /**
   * The record found last: an executed operation asks for its agent twice
   * in a row (its `op` record, then its outcome tally), and the second ask
   * is then a pointer comparison. Records are never removed, so it never
   * goes stale.
   */
  private last: WorldAgent<T> | undefined = undefined;

  /**
   * The record found last, to keep as a hint for a later `expect` (the
   * world keeps one per mission: the agent that executed under it last).
   */
  get lastFound(): WorldAgent<T> | undefined {
    return this.last;
  }

  /**
   * Names the record the next `find` is likely to ask for, found without
   * the map (a hint the caller kept: a record of this registry, such as
   * `lastFound`). Only a hint:
   * `find` still compares its id, so a wrong one costs a lookup, never a
   * wrong answer.
   */
  expect(agent: WorldAgent<T>): void {
    this.last = agent;
  }

  /** The agent's record, if the world has one. */
  find(id: string): WorldAgent<T> | undefined {
    const last = this.last;
    if (last !== undefined && last.id === id) return last;
    const found = this.byId.get(id);
    if (found !== undefined) this.last = found;
    return found;
  }

  /** The agent's record, made on first use. */
  of(id: string): WorldAgent<T> {
    let agent = this.find(id);
    if (agent === undefined) {
      agent = new WorldAgent<T>(id);
      this.byId.set(id, agent);
      this.last = agent;
    }
    return agent;
  }
}
