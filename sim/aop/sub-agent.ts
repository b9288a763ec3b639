import type { ActorContext } from '../context/actor-context.ts';
import type { Distribution } from '../engine/distribution.ts';
import type { Rng } from '../engine/random.ts';
import type { EventHandle } from '../engine/simulation.ts';
import type { CompiledSubGoal } from '../scenario/compile.ts';
import type { SubGoalDef } from '../scenario/orchestration-schema.ts';
import { AopAgent } from './aop-agent.ts';
import type { AauthChain, ChainMission } from './aauth-chain.ts';
import type { AttackOracle } from './attack-oracle.ts';
import type { GecLink } from './gec-link.ts';
import type { DeskInbox, SubAgentInbox } from './ports.ts';

/** What a sub-agent is built with: its sub-goal and what it knows of its place in the plan. */
export interface SubAgentSetup {
  goal: SubGoalDef;
  /** Its work times (the scenario's `duration`, `fault.after`). */
  times: CompiledSubGoal;
  /** How long each Plan B that replaces its sub-goal takes. */
  planBTimes: ReadonlyMap<string, Distribution>;
  /** Its tier: one more per sub-goal above its own. */
  tier: number;
  /** The sub-goals it decomposes into (it assigns them). */
  children: readonly SubGoalDef[];
}

/**
 * The runtime of one sub-goal's agent (seed 003): it holds the SACR and
 * EOD the GEC sent it, does its work when its session opens (under plain
 * chaining with a PS after asking for an auth token per field it touches),
 * reports completion and faults to the desk, assigns the sub-goals it
 * decomposes into when the desk says they are ready, and evaluates a
 * re-plan below it from its own SACR and EOD. Its work times come from its
 * own random stream, the same under AOP and chaining.
 */
export class SubAgent extends AopAgent implements SubAgentInbox {
  readonly subGoalId: string;
  private readonly rng: Rng;
  /** Chaining under a PS: the mission its delegation named. */
  private mission: ChainMission | undefined;
  private work: EventHandle | undefined;
  /** Work left when a fault stopped it (µs). */
  private remainingUs = 0;
  /** A fault stopped its work. */
  private halted = false;
  /** Its sub-goal was closed by another's hand, or the mission closed. */
  private stopped = false;

  constructor(
    private readonly ctx: ActorContext,
    private readonly setup: SubAgentSetup,
    link: GecLink,
    desk: DeskInbox,
    private readonly oracle: AttackOracle,
    /** Chaining under a Person Server: its client of that PS. */
    private readonly aauth: AauthChain | undefined,
  ) {
    super(setup.goal.agent, setup.goal.id, setup.tier, setup.children, link, desk);
    this.subGoalId = setup.goal.id;
    this.rng = ctx.stream(`aop-agent:${this.id}`);
  }

  delegated(mission: ChainMission): void {
    this.mission = mission;
  }

  startWork(): void {
    if (!this.aauth) {
      this.oracle.workStarted(this.subGoalId);
      return this.begin();
    }
    // Plain AAuth: the work needs an auth token for every field it touches (the fields its EOD references).
    this.aauth.access(
      this.id,
      this.mission,
      this.setup.goal.eod.fields,
      (refusal) => {
        if (this.stopped) return;
        if (refusal !== null) return this.desk.accessRefused(this.subGoalId, refusal);
        this.oracle.workStarted(this.subGoalId);
        this.begin();
      },
      () => this.stopped,
    );
  }

  private begin(): void {
    const { times, goal } = this.setup;
    const duration = times.duration.sample(this.rng);
    const faultAt = times.faultAfter?.sample(this.rng);
    if (goal.fault && faultAt !== undefined && faultAt < duration) {
      this.remainingUs = duration - faultAt;
      this.work = this.ctx.sim.schedule(faultAt, () => this.onFault());
    } else {
      this.work = this.ctx.sim.schedule(duration, () => this.done());
    }
  }

  /** The work is done: reported with what the sub-goal commits (the scenario's `amount_jpy`). */
  private done(): void {
    this.desk.workDone(this.subGoalId, this.setup.goal.amount_jpy);
  }

  private onFault(): void {
    const fault = this.setup.goal.fault as NonNullable<SubGoalDef['fault']>;
    this.work = undefined;
    this.halted = true;
    this.desk.fault(this.subGoalId, fault);
  }

  runPlanB(planBId: string): void {
    this.cancel();
    // The Standing Plan Object it runs is the one stored now: the oracle's word on whether it is the reviewed one.
    this.oracle.planBRunning(planBId);
    const delay = (this.setup.planBTimes.get(planBId) as Distribution).sample(this.rng);
    this.work = this.ctx.sim.schedule(delay, () => this.desk.planBDone(this.subGoalId, planBId, this.setup.goal.amount_jpy));
  }

  restart(): void {
    this.cancel();
    this.halted = false;
    const delay = this.setup.times.duration.sample(this.rng);
    this.work = this.ctx.sim.schedule(delay, () => this.done());
  }

  resume(): void {
    if (this.halted) this.work = this.ctx.sim.schedule(this.remainingUs, () => this.done());
    this.halted = false;
  }

  stop(): void {
    this.cancel();
    this.stopped = true;
  }

  missionClosed(): void {
    this.stopped = true;
  }

  private cancel(): void {
    if (this.work !== undefined) this.ctx.sim.cancel(this.work);
  }
}
