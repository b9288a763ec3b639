import type { AuditSink } from '../audit/writer.ts';
import { parseDistribution } from '../engine/distribution.ts';
import { randomStream, type Rng } from '../engine/random.ts';
import { Station } from '../engine/station.ts';
import type { QueueDef } from '../scenario/schema.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { EventFields, EventType } from '../audit/catalogue.ts';
import { MissionOutcomes } from '../truth/mission-outcomes.ts';
import { MetricsTally } from '../truth/metrics.ts';
import { NO_TRUTH, type TruthSink } from '../truth/truth-log.ts';
import { Oracle } from '../truth/oracle.ts';
import { deriveSigningKey, SESSION_BLOCK_TYPE, SessionBlockTracker, signSessionBlock, type SigningKey } from '../audit/session-block.ts';

/** What every part of the simulated world is built with. */
export class WorldContext {
  /** Per-mission outcomes the run summary reports. */
  readonly outcomes = new MissionOutcomes();
  private readonly sessionBlocks = new SessionBlockTracker();
  private readonly signingKeys = new Map<string, SigningKey>();
  /** The oracle's records (truth.jsonl), tallied into the run's authority metrics on the way. */
  readonly truth: MetricsTally;
  /** Ground truth: each mission's intent and each agent's delegation depth. */
  readonly oracle = new Oracle();

  constructor(
    readonly sim: Simulation,
    readonly seed: number,
    readonly audit: AuditSink,
    truth: TruthSink = NO_TRUTH,
  ) {
    this.truth = new MetricsTally(truth);
  }

  /** The seq of the event recorded last: what a truth record points at. */
  get lastSeq(): number {
    return this.audit.count - 1;
  }

  /** The random stream of one entity (by stable id), independent of all others. */
  stream(entityId: string): Rng {
    return randomStream(this.seed, entityId);
  }

  /** A service station as a scenario's queue describes it, drawing service times from the entity's own stream. */
  station<J>(queue: QueueDef, entityId: string): Station<J> {
    const serviceTime = parseDistribution(queue.service, 'duration');
    return new Station<J>(this.sim, { servers: queue.servers, capacity: queue.capacity, serviceTime }, this.stream(`${entityId}/service`));
  }

  /** Records an event at the current simulated time. */
  record<T extends EventType>(type: T, mission: string | null, actor: string, fields: EventFields<T>): void {
    this.audit.emit(this.sim.now, type, mission, actor, fields as Record<string, unknown>);
    if (mission !== null) this.sessionBlocks.observe(mission, this.audit.lastHash);
  }

  /**
   * Writes a session block signed by `signer` over the mission's events
   * since its last block (nothing if there are none).
   */
  sealMission(mission: string, signer: string): void {
    const covered = this.sessionBlocks.close(mission);
    if (covered.count === 0) return;
    let key = this.signingKeys.get(signer);
    if (!key) {
      key = deriveSigningKey(this.seed, signer);
      this.signingKeys.set(signer, key);
    }
    const block: EventFields<typeof SESSION_BLOCK_TYPE> = signSessionBlock(key, mission, covered.count, covered.root);
    this.audit.emit(this.sim.now, SESSION_BLOCK_TYPE, mission, signer, { ...block });
  }
}
