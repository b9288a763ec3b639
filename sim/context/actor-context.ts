import type { EventFields, EventType } from '../log/catalogue.ts';
import type { SigningKey } from '../log/session-block.ts';
import type { RandomState, Rng } from '../engine/random.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { Station } from '../engine/station.ts';
import type { CompiledQueue } from '../scenario/compile.ts';
import type { OutcomeSink } from '../truth/mission-outcomes.ts';
import type { TruthRecorder } from '../truth/truth-recorder.ts';

/** A mission as the log follows it (what ActorContext.missionLog hands out). */
export interface MissionLog {
  readonly mission: string;
}

/**
 * What a party of the simulated world (person, Person Server, Access
 * Server, resource, agent, monitor, gate, AOP roles) is built with: the
 * clock and scheduling, random streams seeded by its stable id, and sinks
 * it can only write to (the audit log, the oracle's records, the run's
 * outcome tally). Nothing here answers a question about another party or
 * about the intent: a party knows its own state and the messages it
 * receives (through the network or a narrow port), nothing else.
 * sim/world/context.ts implements it; only the world holds the oracle.
 */
export interface ActorContext {
  /** The clock and the future-event set. */
  readonly sim: Simulation;
  /** The random stream of one entity (by stable id), independent of all others. */
  stream(entityId: string): Rng;
  /** The same stream as an object with `next()`, for owners of very many streams (no bound function per stream). */
  streamState(entityId: string): RandomState;
  /** A service station as a scenario's queue describes it, drawing service times from the entity's own stream. */
  station<J>(queue: CompiledQueue, entityId: string): Station<J>;
  /**
   * Records an audit event at the current simulated time (write-only), under
   * a mission named by its id or by the handle `missionLog` gave for it.
   */
  record<T extends EventType>(type: T, mission: string | MissionLog | null, actor: string, fields: EventFields<T>): void;
  /**
   * `record` for the three events of nearly every operation (op.queued,
   * op.started, op.executed by the resource), with their fields as
   * arguments: the log writes these lines without a field object
   * (sim/log/op-events.ts). Each records what `record(type, mission,
   * resource, {agent, op, jti, ...})` would.
   */
  recordOpQueued(mission: MissionLog | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void;
  recordOpStarted(mission: MissionLog | null, resource: string, agent: string, op: string, jti: string): void;
  recordOpExecuted(mission: MissionLog | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void;
  /**
   * A mission's handle in the log, for a party that records several events
   * under it (a resource's queued, started and executed operation): looked
   * up once, where recording by id looks the mission up in a table as large
   * as the world on every event. The same object for the whole run.
   */
  missionLog(mission: string): MissionLog;
  /** Writes a session block signed by `signer` over the mission's events since its last block. */
  sealMission(mission: string, signer: string): void;
  /** The signing key of a signer (derived from the run seed and its id). */
  signingKey(signer: string): SigningKey;
  /** The oracle's records: written, never read. */
  readonly truth: TruthRecorder;
  /** The run summary's per-mission tally: written, never read. */
  readonly outcomes: OutcomeSink;
}
