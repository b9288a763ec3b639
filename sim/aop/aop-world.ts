import type { Distribution } from '../engine/distribution.ts';
import type { Rng } from '../engine/random.ts';
import type { CompiledOrchestration, CompiledSubGoal } from '../scenario/compile.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { StandingPlans, type EndorsedEod, type EndorsedPlanB } from './eod.ts';
import { Gec, GEC } from './gec.ts';
import { deriveXpid, s256Canonical, sha256Canonical } from './ids.ts';
import { OrchestrationTally, type OrchestrationSummary } from './metrics.ts';
import { MissionPlan, type PlanChange } from './plan.ts';
import { evaluateReplan, type ReplanHolder } from './replan.ts';
import type { AttackDef, HemResolution, OrchestrationDef, RevocationDef, SubGoalDef } from '../scenario/orchestration-schema.ts';
import { rogueSpawnRequest, subGoalSpawnRequest } from './spawn-requests.ts';
import { HemEscalation } from './hem-escalation.ts';
import { MissionStatus, type MissionOutcome } from './status.ts';
import type { Running } from './running.ts';
import type { PersonChannel } from '../protocol/person-channel.ts';
import { AauthChain, type ChainingPersonServer } from './aauth-chain.ts';
import { AttackLedger, attackLabel, planLabel } from './attack-ledger.ts';
import type { SpawnError, SpawnRequest } from './gec-checks.ts';
import { soNamespace } from './so-scope.ts';

/**
 * One AOP mission on the engine (seed 003): the GEC endorses the mission
 * EOD and commits the Mission Plan, then sub-goals are assigned as their
 * dependencies allow, each through the GEC's spawn checks, a SACR, an
 * endorsed sub-goal EOD and an Assignment; faults raise AT_RISK and
 * re-planning (bounded Plan B with SPO re-check, or escalation to a
 * person); the mission closes with ALE-055 and an Ed25519 session block.
 * Under `governance: chaining` the same mission runs as plain AAuth
 * delegation: no GEC checks, no EODs, no escalation. With a Person Server
 * named (`orchestration.person_server`) every delegation and every field a
 * sub-agent's work touches goes to that PS, which mints, refuses and issues
 * tokens by its own authority model (aauth-chain.ts); without one nothing is
 * evaluated. Either way, what the GEC's checks would have stopped and still
 * took effect is counted (the oracle's view), attack by attack.
 */
export class AopWorld {
  readonly plan: MissionPlan;
  readonly status: MissionStatus;
  readonly missionId: string;
  private readonly def: Readonly<OrchestrationDef>;
  private readonly governed: boolean;
  private readonly tally = new OrchestrationTally();
  private readonly gecLatency: Distribution;
  private readonly gecRng: Rng;
  private readonly gec: Gec;
  /** Escalations to a person through HEM (approval gates, re-plans). */
  private readonly hem: HemEscalation;
  private readonly rngs = new Map<string, Rng>();
  private readonly running = new Map<string, Running>();
  private readonly standingPlans = new StandingPlans();
  private readonly principalXpid: string;
  private missionEod: EndorsedEod | undefined;
  private readonly counters = { session: 0, rogue: 0 };
  private openedAt: number | undefined;
  private closedAt: number | undefined;
  private outcome: MissionOutcome = 'INCOMPLETE';
  private aborted = false;
  /** Chaining under a Person Server: the AAuth side's requests. */
  private readonly aauth: AauthChain | undefined;
  /** What became of each attack (the oracle's record, for the summary). */
  private readonly ledger = new AttackLedger();
  /** The attack label of each tampered Plan B. */
  private readonly tamperedBy = new Map<string, string>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly compiled: CompiledOrchestration,
    /** The people of the scenario, as HEM escalations reach them. */
    private readonly people: ReadonlyMap<string, PersonChannel>,
    /** Chaining: the Person Server named by `orchestration.person_server`, as its agents reach it. */
    chainingPs?: ChainingPersonServer,
  ) {
    this.def = compiled.def;
    this.governed = (this.def.governance ?? 'aop') === 'aop';
    this.missionId = s256Canonical({ principal: this.def.principal, mandate: this.def.mandate, eod: this.def.eod, sub_goals: this.def.sub_goals });
    this.plan = new MissionPlan(`mission-plan:${this.missionId}`, this.def.sub_goals);
    this.status = new MissionStatus(this.plan);
    this.gecLatency = compiled.gecLatency;
    this.gecRng = ctx.stream(GEC);
    this.gec = new Gec(ctx, this.missionId, this.plan, this.governed, this.tally);
    this.principalXpid = deriveXpid('root', `person:${this.def.principal}`);
    this.hem = new HemEscalation(ctx, this.missionId, people, this.tally, this.def.orchestrator.id, { isClosed: () => this.closed, abort: () => this.abort() });
    for (const goal of this.def.sub_goals)
      this.running.set(goal.id, { def: goal, eodRevision: 0, assignmentId: null, remainingUs: 0, halted: false, failed: false, replanning: false });
    for (const planB of [...(this.def.eod.plan_b ?? []), ...this.def.sub_goals.flatMap((g) => g.eod.plan_b ?? [])]) this.standingPlans.register(planB);
    this.aauth = !this.governed && chainingPs ? new AauthChain(ctx, chainingPs, soNamespace(this.def)) : undefined;
    ctx.sim.schedule(compiled.startUs, () => this.open());
    for (const attack of compiled.attacks) {
      this.ledger.expect(attackLabel(attack.def));
      if (attack.def.kind === 'spo_tamper' || attack.def.kind === 'spo_substitute') this.tamperedBy.set(attack.def.plan_b as string, attackLabel(attack.def));
      ctx.sim.schedule(attack.atUs, () => this.attack(attack.def));
    }
    // Revocations are GEC operations: under chaining the delegation records are nobody's to revoke here.
    if (this.governed) for (const revocation of compiled.revocations) ctx.sim.schedule(revocation.atUs, () => this.revoke(revocation.def));
  }

  /**
   * A MAD revocation trigger. Seed 003 names R-1 to R-7 (5.1) and says what
   * none of them does, so every class has the same modelled effect (the
   * project's choice, docs/aop-draft-conformance.md): the agent's SACR and
   * all below it are revoked; each open sub-goal held by a revoked agent
   * closes UNMATCHED (its work stops); sub-goals a revoked agent would still
   * assign fail at spawn (SACR_NOT_FOUND); a decomposed sub-goal rolls up as
   * usual (PARTIAL if some children were achieved before).
   */
  private revoke(revocation: RevocationDef): void {
    if (this.closed) return;
    const revoked = new Set(this.gec.revoke(revocation.agent, revocation.trigger));
    if (revoked.size === 0) return;
    for (const [id, run] of this.running) {
      // A decomposed sub-goal is left to roll up from its children (they are revoked with it).
      if (!revoked.has(run.def.agent) || this.status.isTerminal(id) || this.status.get(id) === 'PENDING' || this.plan.node(id).children.length > 0) continue;
      this.fail(id, `SACR revoked (${revocation.trigger})`);
    }
    this.advance();
  }

  // ---- helpers -------------------------------------------------------------

  private get closed(): boolean {
    return this.closedAt !== undefined;
  }

  /** After one GEC round trip (or, under chaining, one token exchange). */
  private viaGec(then: () => void): void {
    const delay = this.gecLatency.sample(this.gecRng);
    this.tally.roundTrip(delay);
    this.ctx.sim.schedule(delay, () => {
      if (!this.closed) then();
    });
  }

  /** Each agent's own random stream (work times, faults), the same under AOP and chaining. */
  private rngOf(agent: string): Rng {
    let rng = this.rngs.get(agent);
    if (!rng) {
      rng = this.ctx.stream(`aop-agent:${agent}`);
      this.rngs.set(agent, rng);
    }
    return rng;
  }

  /** An agent's tier: 0 for the orchestrator, one more per sub-goal above its own. */
  private depthOf(agent: string): number {
    if (agent === this.def.orchestrator.id) return 0;
    const goal = this.def.sub_goals.find((g) => g.agent === agent);
    return goal === undefined ? 0 : this.plan.ancestors(goal.id).length + 1;
  }

  /** A spawn that breaks a GEC check took effect: the summary's count and the attack's record. */
  private tookEffect(label: string, code: SpawnError | 'accepted', visible: 'log' | 'oracle'): void {
    if (code !== 'accepted') this.tally.executedViolation(code);
    this.ledger.tookEffect(label, code, visible);
  }

  /**
   * Whether a spawn that broke `code` and still took effect shows in the log:
   * only a PS whose grants are logged (envelope) lets a reader check the
   * grant's scope and delegation bound; the plan, the EODs and SACRs of
   * plain chaining are in no log.
   */
  private visibility(code: SpawnError | 'accepted'): 'log' | 'oracle' {
    const grantLogged = this.aauth?.ps.authority.model === 'envelope';
    return grantLogged && (code === 'SCOPE_NARROWING_VIOLATION' || code === 'SPAWN_DEPTH_EXCEEDED') ? 'log' : 'oracle';
  }

  /**
   * Chaining under a PS: the requester asks the PS to delegate. Minted: the
   * chain records it (`chain.delegated`) and `then(true)`; refused: the PS's
   * reason goes to `label`'s record (if the spawn is one the ledger follows).
   */
  private psDelegate(request: SpawnRequest, label: string | null, then: (minted: boolean) => void): void {
    const aauth = this.aauth as AauthChain;
    const deepest = this.depthOf(request.requester) + 1 + request.max_spawn_depth;
    aauth.delegate(request.requester, request.agent, request.sub_goal_id, request.scope, deepest, (refusal) => {
      if (this.closed) return;
      if (refusal !== null) {
        this.tally.psRefusal();
        if (label !== null) this.ledger.refused(label, aauth.ps.actor, refusal);
        then(false);
        return;
      }
      this.gec.spawn(request);
      then(true);
    });
  }

  /** The agent that assigns a sub-goal: its parent's agent, or the orchestrator. */
  private assignerOf(subGoalId: string): string {
    const parent = this.plan.node(subGoalId).parent;
    return parent === undefined ? this.def.orchestrator.id : this.plan.node(parent).agent;
  }

  // ---- mission open ----------------------------------------------------------

  private open(): void {
    // Plain AAuth: the orchestrator's mission is proposed to its PS first (its mandate as the approved scope).
    if (this.aauth) {
      const principal = this.people.get(this.def.principal) as PersonChannel;
      this.aauth.openMission(this.def.orchestrator.id, principal, this.def.eod.outcome, this.def.mandate.scope, () => this.opened());
    } else {
      this.opened();
    }
  }

  private opened(): void {
    this.openedAt = this.ctx.sim.now;
    const orchestrator = this.def.orchestrator;
    if (this.governed) {
      this.missionEod = this.gec.endorse(this.def.eod, null, 1);
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
    this.gec.issueSacr(orchestrator.id, null, this.principalXpid, {
      scope: this.def.mandate.scope,
      can_decompose: orchestrator.can_decompose ?? true,
      max_spawn_depth: orchestrator.max_spawn_depth ?? 1,
      hub_only: orchestrator.hub_only ?? true,
      replan_authority: orchestrator.replan_authority ?? 'BOUNDED',
    });
    for (const goal of this.compiled.subGoals.values()) {
      if (goal.deadlineUs !== undefined) this.ctx.sim.schedule(goal.deadlineUs, () => this.checkDeadline(goal.def.id));
    }
    this.advance();
  }

  // ---- the Mission Status drives assignment -----------------------------------

  /** Assigns every sub-goal that is ready, skips those that can never be, closes what is done. */
  private advance(): void {
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

  private assign(id: string): void {
    const run = this.running.get(id) as Running;
    const gate = run.def.approval_gate;
    if (gate && this.governed) {
      const over = gate.of.filter((other) => (this.running.get(other)?.def.amount_jpy ?? 0) > gate.above_jpy);
      if (over.length > 0) {
        const reason = `APPROVAL_GATE: ${over.map((o) => `${o} ${this.running.get(o)?.def.amount_jpy} JPY`).join(', ')} above ${gate.above_jpy} JPY`;
        this.hem.escalate(id, reason, gate.approver, gate.resolution ?? 'CONTINUE', (resolution) => {
          if (resolution === 'NEW_EOD') run.eodRevision = 1;
          this.spawn(id);
        });
        return;
      }
    } else if (gate && gate.of.some((other) => (this.running.get(other)?.def.amount_jpy ?? 0) > gate.above_jpy)) {
      this.tally.gatesBypassed++;
    }
    this.spawn(id);
  }

  /** gec.spawnSubAgent(): checks, SACR, sub-goal EOD endorsement, Assignment, then the session opens. */
  private spawn(id: string): void {
    const run = this.running.get(id) as Running;
    const request = subGoalSpawnRequest(run.def, this.assignerOf(run.def.id), this.def.mandate);
    this.viaGec(() => {
      const verdict = this.gec.check(request);
      const label = verdict.ok ? null : planLabel(id, verdict.error);
      if (this.aauth) {
        this.psDelegate(request, label, (minted) => {
          if (!minted) {
            this.fail(id, `${this.aauth?.ps.actor} refused the delegation`);
            this.advance();
            return;
          }
          // A leaf's violation is settled when its work asks for the fields it touches; a decomposed sub-goal's here.
          if (!verdict.ok && this.plan.node(id).children.length > 0) this.tookEffect(label as string, verdict.error, this.visibility(verdict.error));
          else if (!verdict.ok) run.violation = { label: label as string, code: verdict.error };
          this.openSession(id);
        });
        return;
      }
      const result = this.gec.spawn(request);
      if (!this.governed) {
        if (!verdict.ok) this.tookEffect(label as string, verdict.error, 'oracle');
        this.ctx.sim.schedule(0, () => this.openSession(id));
        return;
      }
      if (!result.ok) {
        this.ledger.refused(planLabel(id, result.error), GEC, result.error);
        this.fail(id, result.error);
        this.advance();
        return;
      }
      const sacr = result.sacr;
      run.sacr = sacr;
      // The sub-goal EOD is endorsed against the SACR just issued (CONF-AOP-SEC-08), before the Assignment.
      this.viaGec(() => {
        const eod = this.gec.endorse(run.def.eod, id, run.eodRevision + 1);
        run.eod = eod;
        run.assignmentId = this.gec.assign(sacr, id, eod);
        this.viaGec(() => this.openSession(id));
      });
    });
  }

  // ---- sub-goal sessions --------------------------------------------------------

  private openSession(id: string): void {
    const run = this.running.get(id) as Running;
    if (this.closed || this.status.isTerminal(id)) return;
    run.sessionId = `session-${++this.counters.session}`;
    this.status.set(id, 'OPEN');
    this.ctx.record('aop.sub_goal_opened', this.missionId, `agent:${run.def.agent}`, {
      ale: 'ALE-045',
      sub_goal_id: id,
      assignment_id: run.assignmentId,
      session_id: run.sessionId,
    });
    if (this.plan.node(id).children.length === 0) this.startWork(id);
    this.advance();
  }

  /** A sub-goal's compiled times (every sub-goal of the plan has them). */
  private subGoal(id: string): CompiledSubGoal {
    return this.compiled.subGoals.get(id) as CompiledSubGoal;
  }

  private startWork(id: string): void {
    const run = this.running.get(id) as Running;
    if (!this.aauth) return this.work(id);
    // Plain AAuth: the work needs an auth token for every field it touches (the fields its EOD references).
    const aauth = this.aauth;
    aauth.access(run.def.agent, run.def.eod.fields, (refusal) => {
      if (this.closed || this.status.isTerminal(id)) return;
      if (refusal !== null) {
        this.tally.psRefusal();
        if (run.violation) this.ledger.refused(run.violation.label, aauth.ps.actor, `auth token for ${refusal.field}: ${refusal.reason}`);
        this.fail(id, `${aauth.ps.actor} refused an auth token for ${refusal.field}: ${refusal.reason}`);
        this.advance();
        return;
      }
      if (run.violation) this.tookEffect(run.violation.label, run.violation.code, 'oracle');
      this.work(id);
    });
  }

  private work(id: string): void {
    const run = this.running.get(id) as Running;
    const rng = this.rngOf(run.def.agent);
    const goal = this.subGoal(id);
    const duration = goal.duration.sample(rng);
    const fault = run.def.fault;
    const faultAt = goal.faultAfter?.sample(rng);
    if (fault && faultAt !== undefined && faultAt < duration) {
      run.remainingUs = duration - faultAt;
      run.work = this.ctx.sim.schedule(faultAt, () => this.onFault(id));
    } else {
      run.work = this.ctx.sim.schedule(duration, () => this.achieve(id));
    }
  }

  private achieve(id: string): void {
    if (this.closed || this.status.isTerminal(id)) return;
    const run = this.running.get(id) as Running;
    this.status.set(id, 'MATCHED');
    this.ctx.record('aop.sub_goal_achieved', this.missionId, `agent:${run.def.agent}`, {
      ale: 'ALE-046',
      sub_goal_id: id,
      session_id: run.sessionId as string,
      eod_outcome: 'MATCHED',
    });
    this.advance();
  }

  private fail(id: string, reason: string, outcome: 'UNMATCHED' | 'PARTIAL' = 'UNMATCHED'): void {
    const run = this.running.get(id) as Running;
    if (run.work !== undefined) this.ctx.sim.cancel(run.work);
    this.status.set(id, outcome);
    this.ctx.record('aop.sub_goal_failed', this.missionId, run.sessionId ? `agent:${run.def.agent}` : GEC, {
      ale: 'ALE-049',
      sub_goal_id: id,
      session_id: run.sessionId ?? null,
      failure_reason: reason,
      ...(outcome === 'PARTIAL' ? { eod_outcome: 'PARTIAL' as const } : {}),
    });
  }

  /**
   * The GEC's deadline watch: a sub-goal still open at its deadline is
   * AT_RISK. A leaf at work is re-planned like any AT_RISK (its work goes on
   * meanwhile; an escalation is answered CONTINUE); a decomposed one is
   * flagged only.
   */
  private checkDeadline(id: string): void {
    if (this.closed || this.status.isTerminal(id) || this.status.get(id) === 'PENDING') return;
    this.tally.deadlinesMissed++;
    if (!this.governed) return;
    this.ctx.record('aop.sub_goal_at_risk', this.missionId, GEC, { ale: 'ALE-048', sub_goal_id: id, at_risk_reason: 'deadline_missed' });
    const run = this.running.get(id) as Running;
    if (this.plan.node(id).children.length > 0 || this.status.get(id) !== 'OPEN' || run.replanning) return;
    this.tally.atRisk++;
    this.status.set(id, 'AT_RISK');
    this.replan(id, 'deadline_missed', 'CONTINUE');
  }

  // ---- faults and re-planning -----------------------------------------------------

  private onFault(id: string): void {
    const run = this.running.get(id) as Running;
    const fault = run.def.fault as NonNullable<SubGoalDef['fault']>;
    run.work = undefined;
    run.halted = true;
    run.failed = fault.kind === 'failure';
    if (fault.kind === 'at_risk') {
      this.tally.atRisk++;
      this.status.set(id, 'AT_RISK');
      this.ctx.record('aop.sub_goal_at_risk', this.missionId, `agent:${run.def.agent}`, { ale: 'ALE-048', sub_goal_id: id, at_risk_reason: fault.reason });
    } else {
      this.status.set(id, 'REPLANNING');
      this.ctx.record('aop.sub_goal_failed', this.missionId, `agent:${run.def.agent}`, {
        ale: 'ALE-049',
        sub_goal_id: id,
        session_id: run.sessionId ?? null,
        failure_reason: fault.reason,
      });
    }
    if (!this.governed) this.improvise(id);
    else if (!run.replanning) this.replan(id, fault.reason, fault.resolution ?? 'CONTINUE');
  }

  private holders(id: string): ReplanHolder[] {
    const chain = this.plan.ancestors(id).map((ancestor): ReplanHolder => {
      const run = this.running.get(ancestor) as Running;
      return { agent: run.def.agent, sub_goal_id: ancestor, authority: run.sacr?.replan_authority ?? 'NONE', eod: run.eod as EndorsedEod };
    });
    const orchestrator = this.gec.committed(this.def.orchestrator.id);
    chain.push({
      agent: this.def.orchestrator.id,
      sub_goal_id: null,
      authority: orchestrator?.replan_authority ?? 'NONE',
      eod: this.missionEod as EndorsedEod,
    });
    return chain;
  }

  /** Each orchestrating agent above evaluates in turn (hub-only: one GEC round trip each). */
  private replan(id: string, reason: string, resolution: HemResolution): void {
    const run = this.running.get(id) as Running;
    run.replanning = true;
    const steps = evaluateReplan(id, reason, this.holders(id));
    const next = (i: number): void => {
      const step = steps[i];
      if (!step) return;
      if (this.status.isTerminal(id)) {
        run.replanning = false;
        return;
      }
      this.viaGec(() => {
        this.ctx.record('aop.replan_evaluated', this.missionId, `agent:${step.holder.agent}`, {
          ale: 'ALE-051',
          mission_id: this.missionId,
          sub_goal_id: id,
          replan_authority: step.holder.authority,
          evaluation_outcome: step.outcome,
          evaluator_xpid: this.gec.xpidOf(step.holder.agent),
        });
        if (step.outcome === 'ESCALATED_TO_PARENT') next(i + 1);
        else if (step.outcome === 'PLAN_B') this.activatePlanB(id, step.planB as EndorsedPlanB, step.conditionsMet ?? [], step.holder, resolution);
        else this.escalateFault(id, reason, resolution);
      });
    };
    next(0);
  }

  private activatePlanB(id: string, planB: EndorsedPlanB, conditionsMet: string[], holder: ReplanHolder, resolution: HemResolution): void {
    // CONF-AOP-SEC-11 (seed 003 15.4 (2)) before -10: the reference is resolved before its content is hashed,
    // and a document outside the governed namespace is refused even when it is a verbatim copy.
    if (!this.standingPlans.governed(planB.def.id)) {
      const ref = this.standingPlans.ref(planB.def.id);
      const label = this.tamperedBy.get(planB.def.id);
      if (label !== undefined) this.ledger.refused(label, GEC, 'SPO_NAMESPACE_VIOLATION');
      this.gec.rejectSpoReference(id, planB.def.id, ref);
      this.escalateFault(id, `SPO_NAMESPACE_VIOLATION on ${planB.def.id}`, resolution);
      return;
    }
    const actual = this.standingPlans.hash(planB.def.id);
    if (actual !== planB.spoHash) {
      this.tally.spoViolations++;
      const label = this.tamperedBy.get(planB.def.id);
      if (label !== undefined) this.ledger.refused(label, GEC, 'SPO_INTEGRITY_VIOLATION');
      this.ctx.record('aop.spo_integrity_violation', this.missionId, GEC, {
        ale: 'ALE-050',
        sub_goal_id: id,
        plan_b_id: planB.def.id,
        expected_spo_hash: planB.spoHash,
        actual_spo_hash: actual,
      });
      this.escalateFault(id, `SPO_INTEGRITY_VIOLATION on ${planB.def.id}`, resolution);
      return;
    }
    (this.running.get(id) as Running).replanning = false;
    this.ctx.record('aop.replan_bounded_activated', this.missionId, `agent:${holder.agent}`, {
      ale: 'ALE-052',
      mission_id: this.missionId,
      sub_goal_id: id,
      plan_b_id: planB.def.id,
      activation_conditions_met: conditionsMet,
      spo_hash: actual,
      replan_authority: holder.authority,
    });
    this.updatePlan({ sub_goal_id: id, change: 'PLAN_B_ACTIVATED', ref: planB.def.id });
    this.runPlanB(id, planB.def.id, this.compiled.planBDurations.get(planB.def.id) as Distribution);
  }

  private runPlanB(id: string, planBId: string, duration: Distribution): void {
    const run = this.running.get(id) as Running;
    if (run.work !== undefined) this.ctx.sim.cancel(run.work);
    this.tally.planBActivated++;
    this.status.set(id, 'PLAN_B');
    const delay = duration.sample(this.rngOf(run.def.agent));
    run.work = this.ctx.sim.schedule(delay, () => {
      if (this.closed) return;
      this.status.set(id, 'PLAN_B_MATCHED');
      this.ctx.record('aop.sub_goal_plan_b_achieved', this.missionId, `agent:${run.def.agent}`, {
        ale: 'ALE-047',
        sub_goal_id: id,
        session_id: run.sessionId as string,
        eod_outcome: 'PLAN_B_MATCHED',
        plan_b_id: planBId,
      });
      this.advance();
    });
  }

  /** Plain chaining: the orchestrator falls back on any Plan B it knows, unchecked; with none, the sub-goal fails. */
  private improvise(id: string): void {
    const planB = [...(this.def.eod.plan_b ?? []), ...this.def.sub_goals.flatMap((g) => g.eod.plan_b ?? [])].find((p) => p.replaces === id);
    if (!planB) {
      const run = this.running.get(id) as Running;
      if (this.status.get(id) === 'AT_RISK') this.fail(id, run.def.fault?.reason ?? 'at risk');
      else this.status.set(id, 'UNMATCHED');
      this.advance();
      return;
    }
    if (!this.standingPlans.governed(planB.id) || this.standingPlans.hash(planB.id) !== sha256Canonical(planB.spo)) {
      this.tally.hijackedPlanB++;
      // No party holds the reviewed SPO's hash under chaining: only the oracle can tell.
      const label = this.tamperedBy.get(planB.id);
      if (label !== undefined) this.ledger.tookEffect(label, 'HIJACKED_PLAN_B', 'oracle');
    }
    this.viaGec(() => this.runPlanB(id, planB.id, this.compiled.planBDurations.get(planB.id) as Distribution));
  }

  private escalateFault(id: string, reason: string, resolution: HemResolution): void {
    const run = this.running.get(id) as Running;
    this.status.set(id, 'REPLANNING');
    this.hem.escalate(id, reason, this.def.principal, resolution, (outcome) => {
      run.replanning = false;
      if (this.status.isTerminal(id)) return;
      if (outcome === 'NEW_EOD') {
        if (run.work !== undefined) this.ctx.sim.cancel(run.work);
        run.halted = false;
        run.failed = false;
        run.eodRevision++;
        run.eod = this.gec.endorse(run.def.eod, id, run.eodRevision + 1);
        this.updatePlan({ sub_goal_id: id, change: 'NEW_EOD', ref: run.eod.eod_id });
        this.status.set(id, 'OPEN');
        const delay = this.subGoal(id).duration.sample(this.rngOf(run.def.agent));
        run.work = this.ctx.sim.schedule(delay, () => this.achieve(id));
      } else if (run.failed) {
        this.status.set(id, 'UNMATCHED');
        this.advance();
      } else {
        // CONTINUE: work a fault stopped resumes; work still going (a missed deadline) just goes on.
        this.status.set(id, 'OPEN');
        if (run.halted) run.work = this.ctx.sim.schedule(run.remainingUs, () => this.achieve(id));
        run.halted = false;
      }
    });
  }

  private updatePlan(change: PlanChange): void {
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

  // ---- attacks (seed 003 section 15) ---------------------------------------------------

  private attack(attack: AttackDef): void {
    if (this.closed) return;
    if (attack.kind === 'spo_tamper') {
      this.standingPlans.tamper(attack.plan_b as string, attack.spo ?? {});
      return;
    }
    if (attack.kind === 'spo_substitute') {
      this.standingPlans.substitute(attack.plan_b as string, attack.spo_ref as string, attack.spo);
      return;
    }
    if (attack.kind === 'status_write') {
      this.statusWrite(attack.by as string, attack.sub_goal as string, attack.name);
      return;
    }
    if (attack.kind === 'direct_message') {
      this.directMessage(attack);
      return;
    }
    const by = attack.by as string;
    const label = attackLabel(attack);
    const request = rogueSpawnRequest(attack, ++this.counters.rogue);
    // The attacker's own word to the oracle (write-only): its spawn is not the person's intent.
    this.ctx.truth.adversary(request.agent);
    if (attack.forged_max_spawn_depth !== undefined && this.gec.committed(by)) {
      // The requester presents its SACR with max_spawn_depth raised; the GEC checks the signature.
      // (Under AAuth the PS judges from its own record of the requester's hop: there is nothing to forge.)
      request.forged = !this.gec.verifiesWithDepth(by, attack.forged_max_spawn_depth);
    }
    this.viaGec(() => {
      const verdict = this.gec.check(request);
      const code = verdict.ok ? 'accepted' : verdict.error;
      if (this.aauth) {
        this.psDelegate(request, label, (minted) => {
          if (minted) this.tookEffect(label, code, this.visibility(code));
        });
        return;
      }
      const result = this.gec.spawn(request);
      if (!this.governed) this.tookEffect(label, code, 'oracle');
      else if (result.ok) this.ledger.tookEffect(label, 'accepted', 'log');
      else this.ledger.refused(label, GEC, result.error);
    });
  }

  /**
   * A compromised agent writes the Mission Status (e.g. to suppress AT_RISK).
   * Under AOP only the GEC writes it: denied. Under chaining the
   * orchestrator's own record is all there is, so the forged state stands
   * and what depends on the sub-goal goes ahead.
   */
  private statusWrite(by: string, subGoalId: string, name: string | undefined): void {
    this.viaGec(() => {
      const label = attackLabel({ kind: 'status_write', at: '0s', by, sub_goal: subGoalId, ...(name !== undefined ? { name } : {}) });
      if (this.governed) {
        this.gec.denyStatusWrite(by, subGoalId);
        this.ledger.refused(label, GEC, 'MISSION_STATUS_WRITE_DENIED');
        return;
      }
      if (!this.plan.has(subGoalId) || this.status.isTerminal(subGoalId)) return;
      const run = this.running.get(subGoalId) as Running;
      if (run.work !== undefined) this.ctx.sim.cancel(run.work);
      this.tally.statusForged++;
      // The Mission Status is the orchestrator's own record under chaining: a parent reporting its child's
      // sub-goal achieved reads the same whether or not the work was done; no PS sees it.
      this.ledger.tookEffect(label, 'MISSION_STATUS_FORGED', 'oracle');
      this.status.set(subGoalId, 'MATCHED');
      this.ctx.record('aop.sub_goal_achieved', this.missionId, `agent:${by}`, {
        ale: 'ALE-046',
        sub_goal_id: subGoalId,
        session_id: run.sessionId ?? 'none',
        eod_outcome: 'MATCHED',
      });
      this.advance();
    });
  }

  /**
   * An agent contacts another directly (seed 003 3.4: a hub_only leaf
   * "cannot directly contact the Master AI"). Under AOP the GEC mediates
   * every message and refuses one off a hub_only sender's hub route. Under
   * chaining agents talk to each other directly: no party sees it, so a
   * message the GEC would have refused takes effect, known to the oracle only.
   */
  private directMessage(attack: AttackDef): void {
    const from = attack.by as string;
    const to = attack.to as string;
    const label = attackLabel(attack);
    if (!this.governed) {
      const verdict = this.gec.checkRoute(from, to);
      this.ledger.tookEffect(label, verdict.ok ? 'accepted' : verdict.error, 'oracle');
      return;
    }
    this.viaGec(() => {
      const verdict = this.gec.route(from, to);
      if (verdict.ok) this.ledger.tookEffect(label, 'accepted', 'log');
      else this.ledger.refused(label, GEC, verdict.error);
    });
  }

  // ---- close ------------------------------------------------------------------------------

  private abort(): void {
    this.aborted = true;
    for (const id of this.plan.nodes.keys()) {
      const status = this.status.get(id);
      if (this.status.isTerminal(id)) continue;
      if (status === 'PENDING') this.skip(id, 'MISSION_ABORT');
      else this.fail(id, 'MISSION_ABORT');
    }
    this.close('ABORTED');
  }

  private close(outcome: MissionOutcome): void {
    if (this.closed) return;
    this.outcome = outcome;
    this.closedAt = this.ctx.sim.now;
    const signer = this.governed ? GEC : `ps:${this.def.principal}`;
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
      attacks: this.ledger.list(),
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
