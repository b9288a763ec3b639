import type { AuditSink } from '../log/audit-sink.ts';
import { envelopeJson, type Envelope, type OpFacts } from '../authority/envelope.ts';
import { randomState, randomStream, type RandomState, type Rng } from '../engine/random.ts';
import { Station } from '../engine/station.ts';
import type { CompiledQueue } from '../scenario/compile.ts';
import type { Simulation } from '../engine/simulation.ts';
import type { EventFields, EventType } from '../log/catalogue.ts';
import type { ActorContext, MissionLog } from '../context/actor-context.ts';
import { MissionOutcomes } from '../truth/mission-outcomes.ts';
import { MetricsTally } from '../truth/metrics.ts';
import type { AttackTruth, DecisionTruth, DelegationTruth, DisclosureTruth, MissionTruth, PolicyTruth } from '../truth/records.ts';
import type { TruthRecorder } from '../truth/truth-recorder.ts';
import { NO_TRUTH, type TruthSink } from '../truth/truth-log.ts';
import { Oracle, type OracleTypes, type TrueIntent } from '../truth/oracle.ts';
import { type WorldAgent, WorldAgents } from '../truth/world-agents.ts';
import { LastExecutors } from './last-executors.ts';
import { deriveSigningKey, type MissionBlock, SESSION_BLOCK_TYPE, SessionBlockTracker, signSessionBlock, type SigningKey } from '../log/session-block.ts';

/**
 * The world's side of every party's context: it implements ActorContext
 * (what the parties are handed) and alone holds the oracle, the tallies'
 * read side and the log writers.
 */
export class WorldContext implements ActorContext {
  /** Each agent's oracle hop and outcome tally in one record: an executed operation finds both with one lookup. */
  readonly agents = new WorldAgents<OracleTypes>();
  /** Per-mission outcomes the run summary reports. */
  readonly outcomes = new MissionOutcomes(this.agents);
  private readonly sessionBlocks = new SessionBlockTracker();
  private readonly signingKeys = new Map<string, SigningKey>();
  /** The oracle's records (truth.jsonl), tallied into the run's authority metrics on the way. */
  readonly metrics: MetricsTally;
  /** Ground truth: each mission's intent and each agent's delegation depth. */
  readonly oracle: Oracle;
  /** How the parties write the oracle's records. */
  readonly truth: TruthRecorder;

  constructor(
    readonly sim: Simulation,
    readonly seed: number,
    readonly audit: AuditSink,
    truth: TruthSink = NO_TRUTH,
    intents: ReadonlyMap<string, TrueIntent> = new Map(),
  ) {
    this.metrics = new MetricsTally(truth);
    this.oracle = new Oracle(intents, this.agents);
    this.truth = new OracleRecorder(this);
  }

  /** The seq of the event recorded last: what a truth record points at. */
  get lastSeq(): number {
    return this.audit.count - 1;
  }

  /** The random stream of one entity (by stable id), independent of all others. */
  stream(entityId: string): Rng {
    return randomStream(this.seed, entityId);
  }

  /** The same stream as an object with `next()`, for owners of very many streams (no bound function per stream). */
  streamState(entityId: string): RandomState {
    return randomState(this.seed, entityId);
  }

  /** A service station as a scenario's queue describes it, drawing service times from the entity's own stream. */
  station<J>(queue: CompiledQueue, entityId: string): Station<J> {
    return new Station<J>(this.sim, { servers: queue.servers, capacity: queue.capacity, serviceTime: queue.service }, this.stream(`${entityId}/service`));
  }

  /** Records an event at the current simulated time. */
  record<T extends EventType>(type: T, mission: string | MissionLog | null, actor: string, fields: EventFields<T>): void {
    if (mission === null || typeof mission === 'string') {
      this.audit.emit(this.sim.now, type, mission, actor, fields as Record<string, unknown>);
      if (mission !== null) this.sessionBlocks.observeLast(this.sessionBlocks.block(mission), this.audit);
    } else {
      // A handle from missionLog: its block is at hand, nothing to look up.
      const block = mission as MissionBlock;
      this.audit.emit(this.sim.now, type, block.mission, actor, fields as Record<string, unknown>);
      this.sessionBlocks.observeLast(block, this.audit);
    }
    if (this.tamperedTokens.size > 0) this.answerToTampered(type, actor, fields as Record<string, unknown>);
  }

  // The op events through the log's typed methods. None is a token's answer, so none can settle a tampered token's attack.
  recordOpQueued(mission: MissionLog | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void {
    this.audit.opQueued(this.sim.now, mission === null ? null : mission.mission, resource, agent, op, jti, queueLength);
    this.observed(mission);
  }

  recordOpStarted(mission: MissionLog | null, resource: string, agent: string, op: string, jti: string): void {
    this.audit.opStarted(this.sim.now, mission === null ? null : mission.mission, resource, agent, op, jti);
    this.observed(mission);
  }

  recordOpExecuted(mission: MissionLog | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void {
    this.audit.opExecuted(this.sim.now, mission === null ? null : mission.mission, resource, agent, op, jti, irreversible);
    this.observed(mission);
    this.executedUnder = mission as MissionBlock | null;
  }

  /**
   * The block of the op recorded executed last: the oracle's `op` record
   * (TruthRecorder.executed) follows it, and `lastExecutors` keeps per block
   * the world record of the agent that executed under its mission last. The
   * block is the one of the mission the token claims, which no one checked,
   * so the hint is only a guess the record's id confirms (WorldAgents.expect).
   */
  executedUnder: MissionBlock | null = null;
  readonly lastExecutors = new LastExecutors<WorldAgent<OracleTypes>>();

  /** Adds the event just recorded to its mission's open block (a handle from missionLog). */
  private observed(mission: MissionLog | null): void {
    if (mission !== null) this.sessionBlocks.observeLast(mission as MissionBlock, this.audit);
  }

  /** The mission's session block, as the handle parties record under (ActorContext.missionLog). */
  missionLog(mission: string): MissionLog {
    return this.sessionBlocks.block(mission);
  }

  /** Resource tokens a resource told the oracle it tampered with: the attack each belongs to (empty unless a scenario has such a resource). */
  readonly tamperedTokens = new Map<string, { attack: string; attacker: string; settled: boolean }>();

  /**
   * The PS's logged answer to a tampered resource token settles its attack:
   * refused by the PS (the log shows the refusal), or accepted, which only the
   * oracle knows (the token is self-consistent; the log cannot tell it from
   * an honest one). The world reads its own log here, not a party.
   */
  private answerToTampered(type: string, actor: string, fields: Record<string, unknown>): void {
    if (type !== 'token.auth_granted' && type !== 'token.auth_denied') return;
    const tampered = this.tamperedTokens.get(String(fields.resource_token));
    if (!tampered || tampered.settled) return;
    tampered.settled = true;
    const granted = type === 'token.auth_granted';
    this.truth.attack({
      kind: 'attack',
      attack: tampered.attack,
      attacker: tampered.attacker,
      outcome: granted ? 'took_effect' : 'refused',
      decider: granted ? null : actor,
      reason: granted ? `${type}: accepted` : `${type}: ${String(fields.reason)}`,
      visible: granted ? 'oracle' : 'log',
    });
  }

  signingKey(signer: string): SigningKey {
    let key = this.signingKeys.get(signer);
    if (!key) {
      key = deriveSigningKey(this.seed, signer);
      this.signingKeys.set(signer, key);
    }
    return key;
  }

  /**
   * Writes a session block signed by `signer` over the mission's events
   * since its last block (nothing if there are none).
   */
  sealMission(mission: string, signer: string): void {
    const covered = this.sessionBlocks.close(mission);
    if (covered.count === 0) return;
    const block: EventFields<typeof SESSION_BLOCK_TYPE> = signSessionBlock(this.signingKey(signer), mission, covered.count, covered.root);
    this.audit.emit(this.sim.now, SESSION_BLOCK_TYPE, mission, signer, { ...block });
  }
}

/** The TruthRecorder over the oracle: stamps each record and adds what only the oracle knows. */
class OracleRecorder implements TruthRecorder {
  constructor(private readonly world: WorldContext) {}

  private get stamp(): { t: number; event_seq: number } {
    return { t: this.world.sim.now, event_seq: this.world.lastSeq };
  }

  mission(record: Omit<MissionTruth, 't' | 'event_seq' | 'intent' | 'intent_source'>, logShowsOutside: (op: OpFacts) => boolean): void {
    const { oracle, metrics } = this.world;
    oracle.mission(record.agent, record.mission, logShowsOutside);
    const truth = oracle.trueIntent(record.agent);
    metrics.write({
      kind: 'mission',
      t: this.world.sim.now,
      event_seq: this.world.lastSeq,
      mission: record.mission,
      agent: record.agent,
      intent_source: truth?.source ?? 'derived',
      intent: envelopeJson(truth?.intent ?? { grants: [], exclusions: [], maxDepth: 0 }),
      renderings: record.renderings,
    });
  }

  delegation(record: Omit<DelegationTruth, 't' | 'event_seq' | 'grant' | 'within_intent'>, root: string, ownGrant: Envelope | undefined): void {
    const { oracle, metrics } = this.world;
    const { kind, ...rest } = record;
    const { grant, withinIntent: grantInside } = oracle.grantOf(record.parent, root, ownGrant);
    // An attacker's hop is outside the intent whatever its grant: refusing it is no false denial.
    const withinIntent = grantInside && !oracle.isAdversary(record.child);
    if (record.allow) oracle.hop(record.child, root, record.depth, grant);
    metrics.write({ kind, ...this.stamp, ...rest, grant: envelopeJson(grant), within_intent: withinIntent });
  }

  decision(record: Omit<DecisionTruth, 't' | 'event_seq' | 'intended'>, op: OpFacts): void {
    // The record's own members after the stamp, in their order (as `{ kind, ...stamp, ...rest }` put them), without the two spreads' objects.
    const stamped = Object.assign({ kind: record.kind, t: this.world.sim.now, event_seq: this.world.lastSeq }, record) as DecisionTruth;
    stamped.intended = this.world.oracle.judgeRequest(record.agent, op, record.request, record.allow);
    this.world.metrics.write(stamped);
  }

  policy(record: Omit<PolicyTruth, 't' | 'event_seq' | 'grant' | 'within_intent' | 'reason' | 'covers_intent'>, enforced: Envelope): void {
    const { kind, compilation_errors, ...rest } = record;
    const { withinIntent, reason, coversIntent } = this.world.oracle.comparePolicy(record.agent, enforced);
    this.world.metrics.write({
      kind,
      ...this.stamp,
      ...rest,
      grant: envelopeJson(enforced),
      compilation_errors,
      within_intent: withinIntent,
      reason,
      covers_intent: coversIntent,
    });
  }

  disclosure(record: Omit<DisclosureTruth, 't' | 'event_seq'>): void {
    const { kind, ...rest } = record;
    this.world.metrics.write({ kind, ...this.stamp, ...rest });
  }

  executed(agent: string, op: OpFacts): void {
    const world = this.world;
    // An agent's record found from the block its op was just recorded under: at 30,000+ agents the
    // map lookup by id is a cache miss or two per op; the block is in the cache (docs/benchmarks/worldrecord.md).
    const block = world.executedUnder;
    const hint = block === null ? undefined : world.lastExecutors.of(block.number);
    if (hint !== undefined) world.agents.expect(hint);
    world.oracle.executed(world.metrics, world.sim.now, world.lastSeq, agent, op);
    if (block !== null) world.lastExecutors.keep(block.number, world.agents.lastFound);
  }

  adversary(agent: string): void {
    this.world.oracle.markAdversary(agent);
  }

  attack(record: Omit<AttackTruth, 't' | 'event_seq'>): void {
    const { kind, ...rest } = record;
    this.world.metrics.write({ kind, ...this.stamp, ...rest });
  }

  tampered(resourceToken: string, attack: string, attacker: string): void {
    this.world.tamperedTokens.set(resourceToken, { attack, attacker, settled: false });
  }
}
