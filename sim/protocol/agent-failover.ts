import { Interrupt, startProcess, type Process, type ProcessBody } from '../engine/process.ts';
import type { ProposedMission } from '../scenario/compile.ts';
import { TokenHoldingRuntime } from './agent-tokens.ts';

/** How a runtime starts (proposal, delegation or take-over): true if it goes on to follow the plan. */
export type Prologue = ProcessBody<boolean>;

/**
 * The runtimes that execute an agent, one at a time (seed 002: the
 * interchangeable runtimes of its class). The first starts the agent: a
 * root agent proposes its mission (agent-proposal.ts), a sub-agent asks for
 * its hop (agent-delegation.ts), a runtime acting under another's mission
 * joins the one its provider holds. A fault crashes the running one; its
 * provider starts another that resumes the plan at the step in progress,
 * the checkpoint, once its authority binding allows. Each runtime is a
 * kernel process: its start (the prologue), then the plan, which the Agent
 * runs (agent.ts).
 *
 * A base class of the Agent rather than an object it holds: the plan writes
 * the checkpoint at every step, and a field of the agent itself costs no
 * pointer more to follow there (and no object more per agent). The plan is
 * not here: a crash interrupts it, but does not change how it is followed.
 */
export abstract class FailoverRuntime extends TokenHoldingRuntime {
  /** The runtime now executing the agent (seed 002: one of the interchangeable runtimes of its class). */
  private runtime = 1;
  /** The plan step in progress: the checkpoint a replacement runtime resumes from. */
  protected position = 0;
  /** Whether a runtime is following the plan (cleared once it finished or stopped: nothing is left to fail over). */
  protected running = false;
  /** The running runtime's process (a crash interrupts it). */
  private process: Process | undefined;

  // What of the agent the runtimes read and run (sim/protocol/agent.ts).
  protected abstract readonly startUs: number;
  /** A second mission it holds at the same time (proposeConcurrent). */
  protected abstract readonly concurrentProposal: ProposedMission | undefined;
  /** What every runtime does: its prologue, then the plan from the checkpoint. */
  protected abstract runtimeBody(prologue: Prologue | undefined): ProcessBody;

  start(): void {
    this.run(this.live());
  }

  private get runtimeId(): string {
    return `${this.def.id}#${this.runtime}`;
  }

  /** Runs a runtime as a process: its start (`prologue`), then, unless that said stop, the plan from the checkpoint. */
  private run(prologue: Prologue): void {
    this.running = true;
    this.mediating?.restarted();
    this.process = startProcess(this.ctx.sim, this.runtimeBody(prologue));
    this.process.then(ignore, endedByCrash);
  }

  /**
   * A fault crashes the runtime: its process and the tokens it held (bound
   * to its key) are gone. After `restartAfter` the provider starts another
   * runtime of the same class, which resumes the plan at the step in
   * progress: at once if authority is bound to mission + class, after a new
   * approval if it was bound to the crashed runtime. An agent that has
   * finished or stopped has nothing to fail over.
   */
  crash(restartAfter: number): void {
    if (!this.running) return;
    const crashedAt = this.ctx.sim.now;
    const previous = this.runtimeId;
    this.runtime++;
    this.running = false;
    this.process?.interrupt('crash');
    this.mediating?.crashed();
    this.tokens.clear();
    // The runtime cannot log its own crash: its provider does.
    this.ctx.record('agent.crashed', this.mission, `ap:${this.def.id}`, { runtime: previous, step: this.position });
    this.ctx.sim.schedule(restartAfter, () => this.run(this.takeOver(previous, crashedAt)));
  }

  private *takeOver(previous: string, crashedAt: number): Prologue {
    const binding = this.def.authority_binding ?? 'class';
    this.ctx.record('agent.replaced', this.mission, `ap:${this.def.id}`, { runtime: this.runtimeId, previous, class: this.provider.runtimeClass, binding });
    this.renewAgentToken();
    if (this.proposal && !this.approved) {
      // Crashed before its proposal was answered: the provider sends it again; a PS that already holds it answers as to a poll.
      const approved = yield* this.propose(false);
      if (!approved) return this.stopRefused();
    } else if (binding === 'runtime' && this.def.parent !== undefined) {
      // A runtime-bound hop died with the crashed sub-agent runtime: the replacement asks for the hop again.
      if (!(yield* this.delegate())) return false;
    } else if (binding === 'runtime') {
      // Runtime-bound authority died with the crashed runtime: the replacement must have a new mission approved.
      if (!(yield* this.propose(true))) return this.stopRefused();
    }
    this.ctx.record('agent.plan_resumed', this.mission, this.actor, {
      runtime: this.runtimeId,
      step: this.position,
      since_crash_us: this.ctx.sim.now - crashedAt,
    });
    return true;
  }

  /** Starts the agent: proposes its mission (or asks for its hop); true to follow the plan from its start. */
  private *live(): Prologue {
    yield this.startUs;
    this.renewAgentToken();
    if (this.def.parent !== undefined) {
      if (!(yield* this.delegate())) return false;
    } else if (this.def.acts_under !== undefined) {
      // Seed 002: another runtime of the provider joins the mission its provider already holds (the s256 and approver its other runtime received).
      let joined = this.providerMissions?.missionOf(this.agentId);
      while (joined === undefined) {
        yield PROVIDER_MISSION_CHECK_US;
        joined = this.providerMissions?.missionOf(this.agentId);
      }
      this.mission = joined.s256;
      this.approver = joined.approver;
    } else if (!(yield* this.propose(false))) {
      return this.stopRefused();
    } else if (this.concurrentProposal) {
      yield* this.proposeConcurrent(this.concurrentProposal);
    }
    return true; // the checkpoint is still step 0
  }
}

function ignore(): void {}

/** A runtime's process failed: by a crash's Interrupt (expected), or by a bug, which stops the run. */
function endedByCrash(cause: unknown): void {
  if (!(cause instanceof Interrupt)) throw cause;
}

/**
 * Seed 002: how often a joining runtime checks its provider's records for the mission its other runtime
 * holds (the provider's own bookkeeping, not the PS's; 5 s, the PS's default polling interval, so logs kept).
 */
const PROVIDER_MISSION_CHECK_US = 5_000_000;
