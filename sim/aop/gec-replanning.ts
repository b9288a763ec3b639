import type { HemResolution, SubGoalDef } from '../scenario/orchestration-schema.ts';
import type { EndorsedPlanB } from './eod.ts';
import { GEC } from './gec.ts';
import type { GecDesk } from './gec-desk.ts';
import type { AgentInbox, Fault, SubAgentInbox } from './ports.ts';
import type { ReplanHolder } from './replan.ts';

/**
 * The GEC's part in faults and re-planning (seed 003 sections 3.4, 10,
 * 15.4): a sub-agent's fault report raises AT_RISK or closes its session;
 * each orchestrating agent above is asked in turn (one GEC round trip each,
 * hub-only) and answers from its own SACR and EOD; a Plan B is activated
 * only after its SPO reference and hash check out (SEC-11, SEC-10), else the
 * fault goes to a person through HEM. The GEC's deadline watch raises
 * AT_RISK too. Under chaining a fault goes to the orchestrator, which
 * improvises. Part of the desk (the same role): it shares the desk's
 * Mission Plan and Status.
 */
export class GecReplanning {
  /** Sub-goals with an evaluation or an escalation under way. */
  private readonly replanning = new Set<string>();
  /** Sub-goals whose fault closed their session (`failure`), as their sub-agent reported it. */
  private readonly failedByFault = new Set<string>();

  constructor(
    private readonly desk: GecDesk,
    /** Who a fault no agent can re-plan is escalated to. */
    private readonly principal: string,
  ) {}

  private subAgent(id: string): SubAgentInbox {
    return this.desk.to.subAgents.get(id) as SubAgentInbox;
  }

  /** A sub-agent's work met its fault. */
  fault(id: string, fault: Fault): void {
    const { desk } = this;
    if (fault.kind === 'failure') this.failedByFault.add(id);
    else this.failedByFault.delete(id);
    if (fault.kind === 'at_risk') {
      desk.tally.atRisk++;
      desk.status.set(id, 'AT_RISK');
      desk.ctx.record('aop.sub_goal_at_risk', desk.missionId, desk.agentActor(id), { ale: 'ALE-048', sub_goal_id: id, at_risk_reason: fault.reason });
    } else {
      desk.status.set(id, 'REPLANNING');
      desk.ctx.record('aop.sub_goal_failed', desk.missionId, desk.agentActor(id), {
        ale: 'ALE-049',
        sub_goal_id: id,
        session_id: desk.sessions.get(id) ?? null,
        failure_reason: fault.reason,
      });
    }
    if (!desk.governed) desk.to.orchestrator.improvise(id, fault);
    else if (!this.replanning.has(id)) this.replan(id, fault.reason, fault.resolution ?? 'CONTINUE');
  }

  /**
   * The GEC's deadline watch: a sub-goal still open at its deadline is
   * AT_RISK. A leaf at work is re-planned like any AT_RISK (its work goes on
   * meanwhile; an escalation is answered CONTINUE); a decomposed one is
   * flagged only.
   */
  checkDeadline(id: string): void {
    const { desk } = this;
    if (desk.closed || desk.status.isTerminal(id) || desk.status.get(id) === 'PENDING') return;
    desk.tally.deadlinesMissed++;
    if (!desk.governed) return;
    desk.ctx.record('aop.sub_goal_at_risk', desk.missionId, GEC, { ale: 'ALE-048', sub_goal_id: id, at_risk_reason: 'deadline_missed' });
    if (desk.plan.node(id).children.length > 0 || desk.status.get(id) !== 'OPEN' || this.replanning.has(id)) return;
    desk.tally.atRisk++;
    desk.status.set(id, 'AT_RISK');
    this.replan(id, 'deadline_missed', 'CONTINUE');
  }

  /** Each orchestrating agent above evaluates in turn, when the request reaches it (hub-only: one GEC round trip each). */
  private replan(id: string, reason: string, resolution: HemResolution): void {
    const { desk } = this;
    this.replanning.add(id);
    const holders = [...desk.plan.ancestors(id).map((ancestor) => desk.plan.node(ancestor).agent), desk.to.orchestrator];
    const next = (i: number): void => {
      const holder = holders[i];
      if (holder === undefined) return;
      if (desk.status.isTerminal(id)) {
        this.replanning.delete(id);
        return;
      }
      desk.link.send(() => {
        const inbox: AgentInbox = typeof holder === 'string' ? (desk.to.agents.get(holder) as AgentInbox) : holder;
        const step = inbox.evaluateReplan(id, reason, i === holders.length - 1);
        desk.ctx.record('aop.replan_evaluated', desk.missionId, `agent:${step.holder.agent}`, {
          ale: 'ALE-051',
          mission_id: desk.missionId,
          sub_goal_id: id,
          replan_authority: step.holder.authority,
          evaluation_outcome: step.outcome,
          evaluator_xpid: desk.gec.xpidOf(step.holder.agent),
        });
        // The sub-goal closed while the request was out (its SACR revoked, the mission aborted): nothing left to re-plan.
        if (desk.status.isTerminal(id)) {
          this.replanning.delete(id);
          return;
        }
        if (step.outcome === 'ESCALATED_TO_PARENT') next(i + 1);
        else if (step.outcome === 'PLAN_B') this.activatePlanB(id, step.planB as EndorsedPlanB, step.conditionsMet ?? [], step.holder, resolution);
        else this.escalate(id, reason, resolution);
      });
    };
    next(0);
  }

  private activatePlanB(id: string, planB: EndorsedPlanB, conditionsMet: string[], holder: ReplanHolder, resolution: HemResolution): void {
    const { desk } = this;
    // CONF-AOP-SEC-11 (seed 003 15.4 (2)) before -10: the reference is resolved before its content is hashed,
    // and a document outside the governed namespace is refused even when it is a verbatim copy.
    if (!desk.standingPlans.governed(planB.def.id)) {
      desk.oracle.spoRefused(planB.def.id, 'SPO_NAMESPACE_VIOLATION');
      desk.gec.rejectSpoReference(id, planB.def.id, desk.standingPlans.ref(planB.def.id));
      this.escalate(id, `SPO_NAMESPACE_VIOLATION on ${planB.def.id}`, resolution);
      return;
    }
    const actual = desk.standingPlans.hash(planB.def.id);
    if (actual !== planB.spoHash) {
      desk.tally.spoViolations++;
      desk.oracle.spoRefused(planB.def.id, 'SPO_INTEGRITY_VIOLATION');
      desk.ctx.record('aop.spo_integrity_violation', desk.missionId, GEC, {
        ale: 'ALE-050',
        sub_goal_id: id,
        plan_b_id: planB.def.id,
        expected_spo_hash: planB.spoHash,
        actual_spo_hash: actual,
      });
      this.escalate(id, `SPO_INTEGRITY_VIOLATION on ${planB.def.id}`, resolution);
      return;
    }
    this.replanning.delete(id);
    desk.ctx.record('aop.replan_bounded_activated', desk.missionId, `agent:${holder.agent}`, {
      ale: 'ALE-052',
      mission_id: desk.missionId,
      sub_goal_id: id,
      plan_b_id: planB.def.id,
      activation_conditions_met: conditionsMet,
      spo_hash: actual,
      replan_authority: holder.authority,
    });
    desk.updatePlan({ sub_goal_id: id, change: 'PLAN_B_ACTIVATED', ref: planB.def.id });
    this.runPlanB(id, planB.def.id);
  }

  /**
   * The sub-goal's agent works on the Plan B instead. Under chaining the
   * orchestrator's choice arrives one round trip after the fault: a
   * sub-goal closed meanwhile (a forged status write) stays closed.
   */
  runPlanB(id: string, planBId: string): void {
    if (this.desk.closed || this.desk.status.isTerminal(id)) return;
    this.desk.tally.planBActivated++;
    this.desk.status.set(id, 'PLAN_B');
    this.subAgent(id).runPlanB(planBId);
  }

  /** A sub-agent's Plan B work is done; a report that arrives after its sub-goal closed (as `achieve` does with work done) changes nothing. */
  planBDone(id: string, planBId: string, amountJpy: number | undefined): void {
    const { desk } = this;
    if (desk.closed || desk.status.isTerminal(id)) return;
    desk.committed(id, amountJpy);
    desk.status.set(id, 'PLAN_B_MATCHED');
    desk.ctx.record('aop.sub_goal_plan_b_achieved', desk.missionId, desk.agentActor(id), {
      ale: 'ALE-047',
      sub_goal_id: id,
      session_id: desk.sessions.get(id) as string,
      eod_outcome: 'PLAN_B_MATCHED',
      plan_b_id: planBId,
    });
    desk.advance();
  }

  /** Chaining: the orchestrator has no Plan B: an at-risk sub-goal fails (`reason`), a failed one stays UNMATCHED. */
  abandoned(id: string, reason: string | null): void {
    if (reason !== null) this.desk.fail(id, reason);
    else this.desk.status.set(id, 'UNMATCHED');
    this.desk.advance();
  }

  private escalate(id: string, reason: string, resolution: HemResolution): void {
    const { desk } = this;
    desk.status.set(id, 'REPLANNING');
    desk.hem.escalate(id, reason, this.principal, resolution, (outcome) => {
      this.replanning.delete(id);
      if (desk.status.isTerminal(id)) return;
      if (outcome === 'NEW_EOD') {
        const revision = (desk.eodRevisions.get(id) ?? 0) + 1;
        desk.eodRevisions.set(id, revision);
        const eod = desk.gec.endorse((desk.declared.get(id) as SubGoalDef).eod, id, revision + 1);
        this.subAgent(id).eodEndorsed(eod);
        desk.updatePlan({ sub_goal_id: id, change: 'NEW_EOD', ref: eod.eod_id });
        desk.status.set(id, 'OPEN');
        this.failedByFault.delete(id);
        this.subAgent(id).restart();
      } else if (this.failedByFault.has(id)) {
        desk.status.set(id, 'UNMATCHED');
        desk.advance();
      } else {
        // CONTINUE: work a fault stopped resumes; work still going (a missed deadline) just goes on.
        desk.status.set(id, 'OPEN');
        this.subAgent(id).resume();
      }
    });
  }
}
