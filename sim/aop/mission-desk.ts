import type { ActorContext } from '../context/actor-context.ts';
import type { CompiledOrchestration } from '../scenario/compile.ts';
import type { OrchestrationDef, RevocationDef, SubGoalDef } from '../scenario/orchestration-schema.ts';
import type { PersonChannel } from '../protocol/person-channel.ts';
import type { AauthChain } from './aauth-chain.ts';
import type { AttackOracle } from './attack-oracle.ts';
import type { EndorsedEod, StandingPlans } from './eod.ts';
import { GEC, Gec } from './gec.ts';
import type { DeskRecipients, GecDesk } from './gec-desk.ts';
import type { GecLink } from './gec-link.ts';
import { GecIntake } from './gec-intake.ts';
import { GecReplanning } from './gec-replanning.ts';
import { HemEscalation } from './hem-escalation.ts';
import { deriveXpid, s256Canonical } from './ids.ts';
import type { OrchestrationSummary, OrchestrationTally } from './metrics.ts';
import { MissionPlan, type PlanChange } from './plan.ts';
import type { AgentInbox, MissionSubmission, SubAgentInbox } from './ports.ts';
import type { SpawnedAgents } from './spawned-agents.ts';
import { MissionStatus, type MissionOutcome } from './status.ts';

/**
 * The GEC's mission desk (seed 003): it commits the Mission Plan and is
 * the only writer of the Mission Status; from the status it tells each
 * assigner when a sub-goal of its may be assigned; it takes the spawn
 * requests (checks, SACR, sub-goal EOD, Assignment), opens sessions, hears
 * what the sub-agents report (done, faults), watches deadlines, revokes and
 * closes the mission (ALE-055). Re-planning is its part in
 * gec-replanning.ts. It knows of the agents only what they sent it and
 * what the committed plan declares. Under `governance: chaining` there is
 * no GEC: the same desk stands for the orchestrator's own record of its
 * sub-goals (nothing is checked or endorsed), and a spawn is the
 * requester's delegation request to its Person Server, if one is named.
 */
export class MissionDesk implements GecDesk {
  readonly missionId: string;
  readonly plan: MissionPlan;
  readonly status: MissionStatus;
  readonly gec: Gec;
  readonly hem: HemEscalation;
  readonly governed: boolean;
  /** The sub-goals as the committed plan declares them. */
  readonly declared = new Map<string, SubGoalDef>();
  /** The session of each sub-goal opened so far. */
  readonly sessions = new Map<string, string>();
  /** How many times each sub-goal's EOD was revised (by a person's NEW_EOD). */
  readonly eodRevisions = new Map<string, number>();
  /** What each achieved sub-goal commits, as its agent reported it (an approval gate's amounts). */
  private readonly amounts = new Map<string, number>();
  /** The Assignment issued for each sub-goal (ALE-044). */
  readonly assignments = new Map<string, string>();
  /** Its part that hears faults and re-plans. */
  readonly replanning: GecReplanning;
  /** Its part that takes what agents ask of the GEC (spawns, status writes, messages). */
  readonly intake: GecIntake;
  private readonly principalXpid: string;
  private missionEod: EndorsedEod | undefined;
  private sessionCount = 0;
  private openedAt: number | undefined;
  private closedAt: number | undefined;
  private outcome: MissionOutcome = 'INCOMPLETE';
  private aborted = false;

  constructor(
    readonly ctx: ActorContext,
    private readonly compiled: CompiledOrchestration,
    readonly link: GecLink,
    readonly tally: OrchestrationTally,
    readonly oracle: AttackOracle,
    /** The world's record of which agents exist (spawned-agents.ts): written here where a spawn takes effect; read only on the oracle's paths (the attack schedule, chaining's unmediated messages), never by a party. */
    readonly spawnedAgents: SpawnedAgents,
    /** The Standing Plan Objects, where a Plan B's reference resolves. */
    readonly standingPlans: StandingPlans,
    people: ReadonlyMap<string, PersonChannel>,
    readonly to: DeskRecipients,
    /** Chaining under a Person Server: the requesters' client of it. */
    private readonly aauth: AauthChain | undefined,
  ) {
    const def: Readonly<OrchestrationDef> = compiled.def;
    this.governed = (def.governance ?? 'aop') === 'aop';
    this.missionId = s256Canonical({ principal: def.principal, mandate: def.mandate, eod: def.eod, sub_goals: def.sub_goals });
    this.plan = new MissionPlan(`mission-plan:${this.missionId}`, def.sub_goals);
    this.status = new MissionStatus(this.plan);
    this.gec = new Gec(ctx, this.missionId, this.plan, this.governed, tally, def.mandate.limit_jpy);
    this.principalXpid = deriveXpid('root', `person:${def.principal}`);
    this.hem = new HemEscalation(ctx, this.missionId, people, tally, def.orchestrator.id, { isClosed: () => this.closed, abort: () => this.abort() });
    for (const goal of def.sub_goals) this.declared.set(goal.id, goal);
    this.replanning = new GecReplanning(this, compiled.def.principal);
    this.intake = new GecIntake(this, aauth);
  }

  get closed(): boolean {
    return this.closedAt !== undefined;
  }

  /** The mission opened (under chaining: its PS approved it) and has not closed yet. */
  get open(): boolean {
    return this.openedAt !== undefined && !this.closed;
  }

  private get orchestratorId(): string {
    return this.compiled.def.orchestrator.id;
  }

  /** The agent that assigns a sub-goal: its parent's agent, or the orchestrator. */
  private assignerOf(subGoalId: string): string {
    const parent = this.plan.node(subGoalId).parent;
    return parent === undefined ? this.orchestratorId : this.plan.node(parent).agent;
  }

  // ---- mission open ----------------------------------------------------------

  missionSubmitted(submission: MissionSubmission): void {
    this.openedAt = this.ctx.sim.now;
    if (this.governed) {
      this.missionEod = this.gec.endorse(submission.eod, null, 1);
      this.to.orchestrator.eodEndorsed(this.missionEod);
    }
    this.ctx.record('aop.mission_open', this.missionId, GEC, {
      ale: 'ALE-042',
      mission_id: this.missionId,
      mission_plan_so_id: this.plan.id,
      root_eod_id: this.missionEod?.eod_id ?? null,
      mission_principal_xpid: this.principalXpid,
      governance: this.governed ? 'aop' : 'chaining',
      plan_version: this.plan.version,
      plan_hash: this.plan.hash(),
      critical_path: this.plan.critical.path,
      critical_path_us: this.plan.critical.lengthUs,
    });
    this.to.orchestrator.sacrIssued(this.gec.issueSacr(this.orchestratorId, null, this.principalXpid, submission.terms));
    for (const goal of this.compiled.subGoals.values()) {
      if (goal.deadlineUs !== undefined) this.ctx.sim.schedule(goal.deadlineUs, () => this.replanning.checkDeadline(goal.def.id));
    }
    this.advance();
  }

  // ---- the Mission Status drives assignment -----------------------------------

  /** Assigns every sub-goal that is ready, skips those that can never be, closes what is done. */
  advance(): void {
    for (let changed = true; changed && !this.closed; ) {
      changed = false;
      for (const id of this.plan.nodes.keys()) {
        if (this.status.get(id) === 'PENDING') {
          const readiness = this.status.readiness(id);
          if (readiness.ready) {
            this.status.set(id, 'ASSIGNING');
            this.assign(id);
            changed = true;
          } else if (readiness.skip !== undefined) {
            this.skip(id, readiness.skip);
            changed = true;
          }
        } else if (this.status.get(id) === 'OPEN' && this.plan.node(id).children.length > 0) {
          const rolled = this.status.rollup(id);
          if (rolled) {
            if (rolled.outcome === 'MATCHED') this.achieve(id);
            else this.fail(id, `sub-goals not achieved: ${rolled.unmatched.join(', ')}`, rolled.outcome);
            changed = true;
          }
        }
      }
    }
    if (!this.closed && this.status.allTerminal()) this.close(this.status.overall(false));
  }

  private skip(id: string, reason: string): void {
    this.status.set(id, 'SKIPPED');
    this.ctx.record('aop.sub_goal_skipped', this.missionId, GEC, { sub_goal_id: id, reason });
  }

  /** An approval gate (governed) goes to a person first; then the assigner is told its sub-goal is ready. */
  private assign(id: string): void {
    const goal = this.declared.get(id) as SubGoalDef;
    const gate = goal.approval_gate;
    const ready = () => (this.to.agents.get(this.assignerOf(id)) as AgentInbox).assignReady(id);
    if (gate && this.governed) {
      // The GEC knows an amount once the sub-goal's agent reported it with its result.
      const over = gate.of.filter((other) => (this.amounts.get(other) ?? 0) > gate.above_jpy);
      if (over.length > 0) {
        const reason = `APPROVAL_GATE: ${over.map((o) => `${o} ${this.amounts.get(o)} JPY`).join(', ')} above ${gate.above_jpy} JPY`;
        this.hem.escalate(id, reason, gate.approver, gate.resolution ?? 'CONTINUE', (resolution) => {
          if (resolution === 'NEW_EOD') this.eodRevisions.set(id, 1);
          ready();
        });
        return;
      }
    } else if (gate?.of.some((other) => (this.amounts.get(other) ?? 0) > gate.above_jpy)) {
      // Chaining: nobody gates. The oracle counts a bypass of amounts that were committed (work done and reported, not a
      // forged status: a quote never made gates nothing), once the sub-goal goes ahead.
      this.oracle.gateUnasked(id);
    }
    ready();
  }

  // ---- sub-goal sessions --------------------------------------------------------

  openSession(id: string): void {
    if (this.closed || this.status.isTerminal(id)) return;
    const sessionId = `session-${++this.sessionCount}`;
    this.sessions.set(id, sessionId);
    this.status.set(id, 'OPEN');
    this.ctx.record('aop.sub_goal_opened', this.missionId, this.agentActor(id), {
      ale: 'ALE-045',
      sub_goal_id: id,
      assignment_id: this.assignments.get(id) ?? null,
      session_id: sessionId,
    });
    if (this.plan.node(id).children.length === 0) (this.to.subAgents.get(id) as SubAgentInbox).startWork();
    else this.oracle.decompositionStarted(id);
    this.advance();
  }

  agentActor(id: string): string {
    return `agent:${this.plan.node(id).agent}`;
  }

  accessRefused(id: string, refusal: { field: string; reason: string }): void {
    if (this.closed || this.status.isTerminal(id)) return;
    const ps = (this.aauth as AauthChain).ps.actor;
    this.tally.psRefusal();
    this.oracle.accessRefused(id, ps, `auth token for ${refusal.field}: ${refusal.reason}`);
    this.fail(id, `${ps} refused an auth token for ${refusal.field}: ${refusal.reason}`);
    this.advance();
  }

  achieve(id: string, amountJpy?: number): void {
    if (this.closed || this.status.isTerminal(id)) return;
    this.committed(id, amountJpy);
    this.status.set(id, 'MATCHED');
    this.ctx.record('aop.sub_goal_achieved', this.missionId, this.agentActor(id), {
      ale: 'ALE-046',
      sub_goal_id: id,
      session_id: this.sessions.get(id) as string,
      eod_outcome: 'MATCHED',
    });
    this.advance();
  }

  committed(id: string, amountJpy: number | undefined): void {
    if (amountJpy !== undefined) this.amounts.set(id, amountJpy);
  }

  fail(id: string, reason: string, outcome: 'UNMATCHED' | 'PARTIAL' = 'UNMATCHED'): void {
    this.to.subAgents.get(id)?.stop();
    this.status.set(id, outcome);
    const session = this.sessions.get(id);
    this.ctx.record('aop.sub_goal_failed', this.missionId, session ? this.agentActor(id) : GEC, {
      ale: 'ALE-049',
      sub_goal_id: id,
      session_id: session ?? null,
      failure_reason: reason,
      ...(outcome === 'PARTIAL' ? { eod_outcome: 'PARTIAL' as const } : {}),
    });
  }

  updatePlan(change: PlanChange): void {
    const version = this.plan.update(change);
    this.ctx.record('aop.plan_updated', this.missionId, GEC, {
      mission_plan_so_id: this.plan.id,
      plan_version: version,
      plan_hash: this.plan.hash(),
      sub_goal_id: change.sub_goal_id,
      change: change.change,
      ref: change.ref,
    });
  }

  // ---- revocation ------------------------------------------------------------------

  /**
   * A MAD revocation trigger. Seed 003 names R-1 to R-7 (5.1) and says what
   * none of them does, so every class has the same modelled effect (the
   * project's choice, docs/aop-draft-conformance.md): the agent's SACR and
   * all below it are revoked (each agent is told); each open sub-goal held
   * by a revoked agent closes UNMATCHED (its work stops); sub-goals a
   * revoked agent would still assign fail at spawn (SACR_NOT_FOUND); a
   * decomposed sub-goal rolls up as usual (PARTIAL if some children were
   * achieved before).
   */
  revoke(revocation: RevocationDef): void {
    if (this.closed) return;
    const revoked = new Set(this.gec.revoke(revocation.agent, revocation.trigger));
    if (revoked.size === 0) return;
    for (const agent of revoked) this.to.agents.get(agent)?.sacrRevoked();
    for (const [id, node] of this.plan.nodes) {
      // A decomposed sub-goal is left to roll up from its children (they are revoked with it).
      if (!revoked.has(node.agent) || this.status.isTerminal(id) || this.status.get(id) === 'PENDING' || node.children.length > 0) continue;
      this.fail(id, `SACR revoked (${revocation.trigger})`);
    }
    this.advance();
  }

  // ---- close ------------------------------------------------------------------------------

  abort(): void {
    this.aborted = true;
    for (const id of this.plan.nodes.keys()) {
      const status = this.status.get(id);
      if (this.status.isTerminal(id)) continue;
      if (status === 'PENDING') this.skip(id, 'MISSION_ABORT');
      else this.fail(id, 'MISSION_ABORT');
    }
    this.close('ABORTED');
  }

  close(outcome: MissionOutcome): void {
    if (this.closed) return;
    this.outcome = outcome;
    this.closedAt = this.ctx.sim.now;
    this.link.close();
    this.intake.missionClosed();
    for (const subAgent of this.to.subAgents.values()) subAgent.missionClosed();
    const signer = this.governed ? GEC : `ps:${this.compiled.def.principal}`;
    this.ctx.record('aop.mission_close', this.missionId, GEC, {
      ale: 'ALE-055',
      mission_id: this.missionId,
      mission_plan_so_id: this.plan.id,
      session_block_id: `session-block:${this.missionId}:1`,
      sub_goal_outcomes: this.status.outcomes(),
      overall_outcome: outcome,
      plan_version: this.plan.version,
    });
    this.ctx.sealMission(this.missionId, signer);
  }

  /** At the horizon: a mission still open closes INCOMPLETE. */
  finish(): void {
    if (this.openedAt !== undefined && !this.closed) this.close(this.status.overall(this.aborted));
  }

  summary(): OrchestrationSummary {
    return this.tally.summary({
      attacks: this.oracle.list(),
      personServer: this.aauth ? { actor: this.aauth.ps.actor, ...this.aauth.ps.authority } : null,
      governed: this.governed,
      missionId: this.missionId,
      outcome: this.outcome,
      openedAt: this.openedAt,
      closedAt: this.closedAt,
      plan: this.plan,
      status: this.status,
    });
  }
}
