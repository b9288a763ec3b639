import type { AuditSink } from '../audit/writer.ts';
import { randomStream, type Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import { MissionOutcomes } from '../protocol/mission-outcomes.ts';

/** What every part of the simulated world is built with. */
export class WorldContext {
  /** Per-mission outcomes the run summary reports. */
  readonly outcomes = new MissionOutcomes();

  constructor(
    readonly sim: Simulation,
    readonly seed: number,
    readonly audit: AuditSink,
  ) {}

  /** The random stream of one entity (by stable id), independent of all others. */
  stream(entityId: string): Rng {
    return randomStream(this.seed, entityId);
  }

  /** Records an event at the current simulated time. */
  record(type: string, mission: string | null, actor: string, fields?: Record<string, unknown>): void {
    this.audit.emit(this.sim.now, type, mission, actor, fields);
  }
}
