import type { ChainMission } from './aauth-chain.ts';
import type { EndorsedEod } from './eod.ts';
import type { SacrTerms, SpawnRequest } from './gec-checks.ts';
import type { ReplanStep } from './replan.ts';
import type { SacrRecord } from './sacr.ts';
import type { EodDef, SubGoalDef } from '../scenario/orchestration-schema.ts';

/**
 * The messages between the AOP roles. Each role (the orchestrator,
 * sub-agent runtimes, the GEC's mission desk) holds the others only as
 * these inboxes, plain objects of functions the coordinator wires
 * (aop-world.ts): a role decides from its own state and what it was sent,
 * never by reading another's (test/sim/aop/roles.test.ts). A message is
 * delivered when its sender already waited the round trip the model has
 * for it (`GecLink`), so every call here is synchronous.
 */

/** A fault a sub-agent's work met (the scenario's `fault:`). */
export type Fault = NonNullable<SubGoalDef['fault']>;

/** What the orchestrator submits to open the mission: the mission EOD and the terms of its own SACR. */
export interface MissionSubmission {
  eod: EodDef;
  terms: SacrTerms;
}

/** What the agents send the GEC's mission desk (under chaining: the orchestrator's own record). */
export interface DeskInbox {
  /** The orchestrator's mission opens (under chaining once its Person Server approved it). */
  missionSubmitted(submission: MissionSubmission): void;
  /** A spawn request reached the GEC, from an agent `tier` tiers below the root. */
  spawnRequested(request: SpawnRequest, tier: number): void;
  /** A sub-agent's work is done, with what it commits (a quote's amount, a purchase order's), if anything. */
  workDone(subGoalId: string, amountJpy: number | undefined): void;
  /** A sub-agent's Plan B work is done, with what it commits. */
  planBDone(subGoalId: string, planBId: string, amountJpy: number | undefined): void;
  /** A sub-agent's work met its fault. */
  fault(subGoalId: string, fault: Fault): void;
  /** Chaining under a PS: the PS refused an auth token a sub-agent's work needs. */
  accessRefused(subGoalId: string, refusal: { field: string; reason: string }): void;
  /** Chaining: the orchestrator has no Plan B for a faulted sub-goal; it fails (`reason`) or, failed already, is left UNMATCHED. */
  abandoned(subGoalId: string, reason: string | null): void;
  /** Chaining: the orchestrator runs a Plan B it knows, unchecked. */
  planBChosen(subGoalId: string, planBId: string): void;
}

/** What an attacker (a compromised agent, seed 003 section 15) sends. */
export interface AttackInbox {
  /** A spawn request reached the GEC (or, under chaining, the requester turns to its PS). */
  rogueSpawnRequested(request: SpawnRequest, label: string, tier: number): void;
  /** A direct Mission Status write reached the GEC (under chaining: the orchestrator's record). */
  statusWriteRequested(by: string, subGoalId: string, label: string): void;
  /** An agent-to-agent message reached the GEC, which mediates it. */
  messageRouted(from: string, to: string, label: string): void;
  /** Chaining: an agent-to-agent message, seen by no party. */
  messageUnmediated(from: string, to: string, label: string): void;
}

/** What the desk sends any agent: the orchestrator or a sub-agent. */
export interface AgentInbox {
  /** A sub-goal this agent assigns is ready: it sends its spawn request. */
  assignReady(subGoalId: string): void;
  /** The SACR the GEC committed for this agent (ALE-043). */
  sacrIssued(sacr: SacrRecord): void;
  /** The GEC revoked this agent's SACR (a MAD trigger). */
  sacrRevoked(): void;
  /** The EOD the GEC endorsed for what this agent holds (the mission, or its sub-goal). */
  eodEndorsed(eod: EndorsedEod): void;
  /** A sub-goal below this agent is at risk or failed: its evaluation, from its own SACR and EOD; `last`: nobody above it. */
  evaluateReplan(subGoalId: string, reason: string, last: boolean): ReplanStep;
}

/** What the desk sends a sub-agent about its own sub-goal. */
export interface SubAgentInbox extends AgentInbox {
  /** Chaining under a PS: the delegation its assigner asked for was minted, under this mission. */
  delegated(mission: ChainMission): void;
  /** Its session opened and it is a leaf: the work starts. */
  startWork(): void;
  /** Work on a Plan B replaces the primary work. */
  runPlanB(planBId: string): void;
  /** A person gave a new EOD: the work starts over. */
  restart(): void;
  /** CONTINUE: work a fault stopped resumes. */
  resume(): void;
  /** Its sub-goal closed by another's hand (failed, revoked, aborted, forged): whatever it does stops. */
  stop(): void;
  /** The mission closed. */
  missionClosed(): void;
}

/** What the desk sends the orchestrator. */
export interface OrchestratorInbox extends AgentInbox {
  /** Chaining: a sub-goal's work met a fault; no GEC re-plans, the orchestrator improvises. */
  improvise(subGoalId: string, fault: Fault): void;
}
