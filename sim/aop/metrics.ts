import type { AttackOutcome } from './attack-ledger.ts';
import type { SpawnError } from './gec-checks.ts';
import type { MissionPlan } from './plan.ts';
import type { MissionOutcome, MissionStatus, SubGoalOutcome } from './status.ts';

/** What an AOP run reports in its summary: guarantees kept and what they cost. */
export interface OrchestrationSummary {
  governance: 'aop' | 'chaining';
  /** Chaining: the Person Server that evaluated the AAuth side (null: nothing was evaluated; always null under AOP). */
  person_server: { actor: string; model: string; narrowing: string; depthCap: number } | null;
  mission: string;
  overall_outcome: MissionOutcome;
  makespan_s: number | null;
  plan_versions: number;
  critical_path: string[];
  critical_path_expected_s: number;
  sub_goals: Record<string, SubGoalOutcome>;
  /** Costs. */
  spawns_accepted: number;
  gec_round_trips: number;
  governance_latency_s: number;
  at_risk: number;
  deadlines_missed: number;
  plan_b_activated: number;
  escalations: number;
  person_interruptions: number;
  person_wait_s: number;
  /** Guarantees: what the GEC refused, and what took effect unchecked. */
  spawns_rejected: Partial<Record<SpawnError, number>>;
  spo_integrity_violations: number;
  status_writes_denied: number;
  /** Chaining under a PS: delegations and auth tokens it refused. */
  ps_refusals: number;
  /** Each attack (and each planned sub-goal a GEC check fails): refused by whom, or took effect and where it shows. */
  attacks: AttackOutcome[];
  violations_executed: {
    /** Spawns the GEC would have refused (by its error code) that went through. */
    spawns: Partial<Record<SpawnError, number>>;
    /** Plan B executed from a Standing Plan Object altered since it was reviewed. */
    hijacked_plan_b: number;
    /** Commitments above a human-approval threshold made without the human. */
    approval_gates_bypassed: number;
    /** Sub-goals an agent marked achieved by writing the status directly. */
    status_forged: number;
  };
}

const bump = <K extends string>(record: Partial<Record<K, number>>, key: K) => {
  record[key] = (record[key] ?? 0) + 1;
};

/** Running tallies the AOP world keeps as the mission goes. */
export class OrchestrationTally {
  spawnsAccepted = 0;
  gecRoundTrips = 0;
  governanceLatencyUs = 0;
  atRisk = 0;
  deadlinesMissed = 0;
  planBActivated = 0;
  escalations = 0;
  personInterruptions = 0;
  personWaitUs = 0;
  spoViolations = 0;
  hijackedPlanB = 0;
  gatesBypassed = 0;
  statusWritesDenied = 0;
  statusForged = 0;
  psRefusals = 0;
  readonly rejected: Partial<Record<SpawnError, number>> = {};
  readonly violationsExecuted: Partial<Record<SpawnError, number>> = {};

  roundTrip(us: number): void {
    this.gecRoundTrips++;
    this.governanceLatencyUs += us;
  }

  reject(error: SpawnError): void {
    bump(this.rejected, error);
  }

  psRefusal(): void {
    this.psRefusals++;
  }

  executedViolation(error: SpawnError): void {
    bump(this.violationsExecuted, error);
  }

  /** The run's summary: the mission's outcome and plan (from the world) with these tallies. */
  summary(world: {
    attacks: AttackOutcome[];
    personServer: OrchestrationSummary['person_server'];
    governed: boolean;
    missionId: string;
    outcome: MissionOutcome;
    openedAt: number | undefined;
    closedAt: number | undefined;
    plan: MissionPlan;
    status: MissionStatus;
  }): OrchestrationSummary {
    return {
      governance: world.governed ? 'aop' : 'chaining',
      person_server: world.personServer,
      mission: world.missionId,
      overall_outcome: world.outcome,
      makespan_s: world.openedAt === undefined || world.closedAt === undefined ? null : (world.closedAt - world.openedAt) / 1e6,
      plan_versions: world.plan.version,
      critical_path: world.plan.critical.path,
      critical_path_expected_s: world.plan.critical.lengthUs / 1e6,
      sub_goals: Object.fromEntries(world.status.outcomes().map((o) => [o.sub_goal_id, o.eod_outcome])),
      spawns_accepted: this.spawnsAccepted,
      gec_round_trips: this.gecRoundTrips,
      governance_latency_s: this.governanceLatencyUs / 1e6,
      at_risk: this.atRisk,
      deadlines_missed: this.deadlinesMissed,
      plan_b_activated: this.planBActivated,
      escalations: this.escalations,
      person_interruptions: this.personInterruptions,
      person_wait_s: this.personWaitUs / 1e6,
      spawns_rejected: { ...this.rejected },
      spo_integrity_violations: this.spoViolations,
      status_writes_denied: this.statusWritesDenied,
      ps_refusals: this.psRefusals,
      attacks: world.attacks,
      violations_executed: {
        spawns: { ...this.violationsExecuted },
        hijacked_plan_b: this.hijackedPlanB,
        approval_gates_bypassed: this.gatesBypassed,
        status_forged: this.statusForged,
      },
    };
  }
}
