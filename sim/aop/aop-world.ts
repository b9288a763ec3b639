import type { Distribution } from '../engine/distribution.ts';
import type { CompiledOrchestration, CompiledSubGoal } from '../scenario/compile.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { PersonChannel } from '../protocol/person-channel.ts';
import { AauthChain, type ChainingPersonServer } from './aauth-chain.ts';
import { attackLabel } from './attack-ledger.ts';
import { AttackOracle } from './attack-oracle.ts';
import { Attacker } from './attacker.ts';
import { StandingPlans } from './eod.ts';
import { GecLink } from './gec-link.ts';
import type { OrchestrationSummary } from './metrics.ts';
import { OrchestrationTally } from './metrics.ts';
import { MissionDesk } from './mission-desk.ts';
import { Orchestrator } from './orchestrator.ts';
import type { AgentInbox, AttackInbox, DeskInbox, OrchestratorInbox, SubAgentInbox } from './ports.ts';
import { soNamespace } from './so-scope.ts';
import { SpawnedAgents } from './spawned-agents.ts';
import { SubAgent } from './sub-agent.ts';

/**
 * One AOP mission on the engine (seed 003), as its roles: the orchestrator
 * (orchestrator.ts), one runtime per sub-goal's agent (sub-agent.ts), the
 * GEC's mission desk (mission-desk.ts, gec-replanning.ts, gec.ts) and the
 * attacks of section 15 (attacker.ts). This file only builds them and
 * wires each to the others' inboxes (ports.ts): no role holds another, and
 * each decides from its own state and the messages it received. The GEC
 * endorses the mission EOD and commits the Mission Plan, then sub-goals are
 * assigned as their dependencies allow, each through the GEC's spawn
 * checks, a SACR, an endorsed sub-goal EOD and an Assignment; faults raise
 * AT_RISK and re-planning; the mission closes with ALE-055 and an Ed25519
 * session block. Under `governance: chaining` the same mission runs as
 * plain AAuth delegation (no GEC checks, no EODs, no escalation), under the
 * Person Server `orchestration.person_server` names if any (aauth-chain.ts).
 * Either way, what the GEC's checks would have stopped and still took
 * effect is counted by the oracle (attack-oracle.ts), attack by attack.
 */
export class AopWorld {
  readonly missionId: string;
  private readonly desk: MissionDesk;
  /** The role instances, for the structural test only (test/sim/aop/roles.test.ts): no role is handed another. */
  private readonly built: { orchestrator: Orchestrator; subAgents: SubAgent[]; desk: MissionDesk; attacker: Attacker; shared: object[] };

  constructor(
    ctx: ActorContext,
    compiled: CompiledOrchestration,
    /** The people of the scenario, as HEM escalations reach them. */
    people: ReadonlyMap<string, PersonChannel>,
    /** Chaining: the Person Server named by `orchestration.person_server`, as its agents reach it. */
    chainingPs?: ChainingPersonServer,
  ) {
    const def = compiled.def;
    const governed = (def.governance ?? 'aop') === 'aop';
    const tally = new OrchestrationTally();
    const link = new GecLink(ctx, compiled.gecLatency, tally);
    const standingPlans = new StandingPlans();
    const planBs = [...(def.eod.plan_b ?? []), ...def.sub_goals.flatMap((g) => g.eod.plan_b ?? [])];
    for (const planB of planBs) standingPlans.register(planB);
    // One client of the PS for the chaining side's agents: the SO resources' token issuers; each agent passes the mission it was named.
    const aauth = !governed && chainingPs ? new AauthChain(ctx, chainingPs, soNamespace(def)) : undefined;
    const oracle = new AttackOracle(tally, standingPlans, planBs, aauth?.ps.authority.model);

    // The desk is built first with inboxes that forward to roles built after it: each role sees only the inbox.
    const agents = new Map<string, AgentInbox>();
    const subAgents = new Map<string, SubAgentInbox>();
    let orchestrator: Orchestrator | undefined;
    const toOrchestrator: OrchestratorInbox = {
      assignReady: (id) => orchestrator?.assignReady(id),
      sacrIssued: (sacr) => orchestrator?.sacrIssued(sacr),
      sacrRevoked: () => orchestrator?.sacrRevoked(),
      eodEndorsed: (eod) => orchestrator?.eodEndorsed(eod),
      evaluateReplan: (id, reason, last) => (orchestrator as Orchestrator).evaluateReplan(id, reason, last),
      improvise: (id, fault) => orchestrator?.improvise(id, fault),
    };
    const spawned = new SpawnedAgents(def.orchestrator.id);
    this.desk = new MissionDesk(ctx, compiled, link, tally, oracle, spawned, standingPlans, people, { agents, subAgents, orchestrator: toOrchestrator }, aauth);
    this.missionId = this.desk.missionId;
    const toDesk = deskInbox(this.desk);

    orchestrator = new Orchestrator(def, link, toDesk, aauth);
    agents.set(orchestrator.id, toOrchestrator);
    const plan = this.desk.plan;
    const tierOf = (agent: string) => {
      const goal = def.sub_goals.find((g) => g.agent === agent);
      return agent === def.orchestrator.id || goal === undefined ? 0 : plan.ancestors(goal.id).length + 1;
    };
    const built: SubAgent[] = [];
    for (const goal of def.sub_goals) {
      const planBTimes = new Map<string, Distribution>();
      for (const planB of planBs) if (planB.replaces === goal.id) planBTimes.set(planB.id, compiled.planBDurations.get(planB.id) as Distribution);
      const setup = {
        goal,
        times: compiled.subGoals.get(goal.id) as CompiledSubGoal,
        planBTimes,
        tier: tierOf(goal.agent),
        children: def.sub_goals.filter((g) => g.parent === goal.id),
      };
      const subAgent = new SubAgent(ctx, setup, link, toDesk, oracle, aauth);
      built.push(subAgent);
      const inbox = subAgentInbox(subAgent);
      agents.set(goal.agent, inbox);
      subAgents.set(goal.id, inbox);
    }

    const attacker = new Attacker(ctx, link, attackInbox(this.desk), standingPlans, governed, tierOf);
    this.built = { orchestrator, subAgents: built, desk: this.desk, attacker, shared: [link, oracle, spawned, tally, ...(aauth ? [aauth] : [])] };
    const principal = people.get(def.principal) as PersonChannel;
    const opener = orchestrator;
    ctx.sim.schedule(compiled.startUs, () => opener.open(principal));
    const desk = this.desk;
    for (const attack of compiled.attacks) {
      const label = attackLabel(attack.def);
      oracle.expect(label);
      if (attack.def.kind === 'spo_tamper' || attack.def.kind === 'spo_substitute') oracle.tampers(attack.def.plan_b as string, label);
      // An attacker can only attack an orchestration that exists: none before the mission opened (under chaining, before
      // its PS approved it; a refused mission never opens) and none after it closed. And the attacker must exist: an agent
      // not spawned yet cannot be compromised (the world's record, the same under both governances). Such an attack does not run.
      ctx.sim.schedule(attack.atUs, () => {
        const by = attack.def.by;
        if (!desk.open) oracle.noTarget(label, desk.closed ? 'the orchestration had closed' : 'the orchestration had not opened');
        else if (by !== undefined && !spawned.has(by)) oracle.noTarget(label, `${by} has not been spawned`);
        else attacker.attack(attack.def);
      });
    }
    // Revocations are GEC operations: under chaining the delegation records are nobody's to revoke here.
    if (governed) for (const revocation of compiled.revocations) ctx.sim.schedule(revocation.atUs, () => this.desk.revoke(revocation.def));
  }

  /** Every role instance of this mission, and what the roles share (for the structural test). */
  roles(): { orchestrator: object; subAgents: readonly object[]; desk: object; attacker: object; shared: readonly object[] } {
    return this.built;
  }

  /** At the horizon: a mission still open closes INCOMPLETE. */
  finish(): void {
    this.desk.finish();
  }

  summary(): OrchestrationSummary {
    return this.desk.summary();
  }
}

/** The desk as the agents reach it: its inbox, nothing else. */
function deskInbox(desk: MissionDesk): DeskInbox {
  return {
    missionSubmitted: (submission) => desk.missionSubmitted(submission),
    spawnRequested: (request, tier) => desk.intake.spawnRequested(request, tier),
    workDone: (id, amountJpy) => desk.achieve(id, amountJpy),
    planBDone: (id, planBId, amountJpy) => desk.replanning.planBDone(id, planBId, amountJpy),
    fault: (id, fault) => desk.replanning.fault(id, fault),
    accessRefused: (id, refusal) => desk.accessRefused(id, refusal),
    abandoned: (id, reason) => desk.replanning.abandoned(id, reason),
    planBChosen: (id, planBId) => desk.replanning.runPlanB(id, planBId),
  };
}

/** The desk as an attacker reaches it. */
function attackInbox(desk: MissionDesk): AttackInbox {
  return {
    rogueSpawnRequested: (request, label, tier) => desk.intake.rogueSpawnRequested(request, label, tier),
    statusWriteRequested: (by, id, label) => desk.intake.statusWriteRequested(by, id, label),
    messageRouted: (from, to, label) => desk.intake.messageRouted(from, to, label),
    messageUnmediated: (from, to, label) => desk.intake.messageUnmediated(from, to, label),
  };
}

/** A sub-agent as the desk reaches it. */
function subAgentInbox(agent: SubAgent): SubAgentInbox {
  return {
    assignReady: (id) => agent.assignReady(id),
    sacrIssued: (sacr) => agent.sacrIssued(sacr),
    sacrRevoked: () => agent.sacrRevoked(),
    eodEndorsed: (eod) => agent.eodEndorsed(eod),
    evaluateReplan: (id, reason, last) => agent.evaluateReplan(id, reason, last),
    delegated: (mission) => agent.delegated(mission),
    startWork: () => agent.startWork(),
    runPlanB: (planBId) => agent.runPlanB(planBId),
    restart: () => agent.restart(),
    resume: () => agent.resume(),
    stop: () => agent.stop(),
    missionClosed: () => agent.missionClosed(),
  };
}
