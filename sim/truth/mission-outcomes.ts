import { type WorldAgent, WorldAgents } from './world-agents.ts';

/** What one mission did around its termination, as the run summary reports it. */
export interface MissionOutcome {
  agent: string;
  mission: string | null;
  terminated_at_s: number | null;
  operations_executed: number;
  operations_after_termination: number;
  irreversible_after_termination: number;
  /** Termination to the last operation of the mission that executed after it (0 if none did). */
  revocation_window_s: number | null;
}

/** What the parties write into the tally (they never read it back). */
export interface OutcomeSink {
  approved(agent: string, mission: string | null): void;
  terminated(agent: string, t: number): void;
  executed(agent: string, t: number, irreversible: boolean): void;
}

/**
 * Follows executed operations per mission, so a run can report its
 * revocation window without a second pass over the log. (The analysis
 * layer defines the same measure in SQL over the log itself.)
 */
export class MissionOutcomes implements OutcomeSink {
  /** The agents tallied, in the order first tallied (the summary's order). */
  private readonly tallied: WorldAgent[] = [];

  /** `agents`: the world's per-agent records, shared with the oracle (one lookup per executed operation serves both). */
  constructor(private readonly agents: WorldAgents = new WorldAgents()) {}

  private tally(agent: string): WorldAgent {
    const tally = this.agents.of(agent);
    if (!tally.tallied) {
      tally.tallied = true;
      this.tallied.push(tally);
    }
    return tally;
  }

  approved(agent: string, mission: string | null): void {
    const tally = this.tally(agent);
    tally.mission = mission;
    // A new mission for the agent (a re-proposal): the previous one's termination no longer bounds its work.
    tally.terminatedAt = undefined;
  }

  terminated(agent: string, t: number): void {
    this.tally(agent).terminatedAt = t;
  }

  executed(agent: string, t: number, irreversible: boolean): void {
    const tally = this.tally(agent);
    tally.executed++;
    if (tally.terminatedAt !== undefined && t >= tally.terminatedAt) {
      tally.after++;
      if (irreversible) tally.irreversibleAfter++;
      tally.lastAfter = t;
    }
  }

  summary(): MissionOutcome[] {
    return this.tallied.map((tally) => ({
      agent: tally.id,
      mission: tally.mission,
      terminated_at_s: tally.terminatedAt === undefined ? null : tally.terminatedAt / 1e6,
      operations_executed: tally.executed,
      operations_after_termination: tally.after,
      irreversible_after_termination: tally.irreversibleAfter,
      revocation_window_s: tally.terminatedAt === undefined ? null : ((tally.lastAfter ?? tally.terminatedAt) - tally.terminatedAt) / 1e6,
    }));
  }
}
