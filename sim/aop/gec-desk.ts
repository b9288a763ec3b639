import type { ActorContext } from '../context/actor-context.ts';
import type { SubGoalDef } from '../scenario/orchestration-schema.ts';
import type { AttackOracle } from './attack-oracle.ts';
import type { StandingPlans } from './eod.ts';
import type { Gec } from './gec.ts';
import type { GecLink } from './gec-link.ts';
import type { HemEscalation } from './hem-escalation.ts';
import type { OrchestrationTally } from './metrics.ts';
import type { MissionPlan, PlanChange } from './plan.ts';
import type { AgentInbox, OrchestratorInbox, SubAgentInbox } from './ports.ts';
import type { SpawnedAgents } from './spawned-agents.ts';
import type { MissionStatus } from './status.ts';

/** Who the desk sends messages to: every agent by id, the sub-agent of each sub-goal, the orchestrator. */
export interface DeskRecipients {
  agents: ReadonlyMap<string, AgentInbox>;
  subAgents: ReadonlyMap<string, SubAgentInbox>;
  orchestrator: OrchestratorInbox;
}

/**
 * The GEC's mission desk as its own parts see it (gec-intake.ts,
 * gec-replanning.ts): one role's state, shared inside that role only
 * (mission-desk.ts holds it).
 */
export interface GecDesk {
  readonly ctx: ActorContext;
  readonly missionId: string;
  readonly governed: boolean;
  readonly plan: MissionPlan;
  readonly status: MissionStatus;
  readonly gec: Gec;
  readonly hem: HemEscalation;
  readonly link: GecLink;
  readonly tally: OrchestrationTally;
  readonly oracle: AttackOracle;
  /** The world's record of which agents exist: written where a spawn takes effect; read only on the oracle's paths (the attack schedule, chaining's unmediated messages), never by a party. */
  readonly spawnedAgents: SpawnedAgents;
  readonly standingPlans: StandingPlans;
  readonly to: DeskRecipients;
  /** The sub-goals as the committed plan declares them. */
  readonly declared: ReadonlyMap<string, SubGoalDef>;
  /** The session of each sub-goal opened so far. */
  readonly sessions: ReadonlyMap<string, string>;
  /** How many times each sub-goal's EOD was revised (by a person's NEW_EOD). */
  readonly eodRevisions: Map<string, number>;
  /** The Assignment issued for each sub-goal (ALE-044). */
  readonly assignments: Map<string, string>;
  readonly closed: boolean;
  /** The actor of a sub-goal's agent in the log. */
  agentActor(subGoalId: string): string;
  advance(): void;
  /** What an achieved sub-goal's agent reported it commits. */
  committed(subGoalId: string, amountJpy: number | undefined): void;
  fail(subGoalId: string, reason: string, outcome?: 'UNMATCHED' | 'PARTIAL'): void;
  openSession(subGoalId: string): void;
  updatePlan(change: PlanChange): void;
}
