import type { ProcessBody, Signal } from '../engine/process.ts';
import { Signal as Latch } from '../engine/signal.ts';
import type { ProposedMission } from '../scenario/compile.ts';
import type { AgentDef } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { endedRefusal } from '../lifecycle/states.ts';
import type { AgentEvent, EventsInbox } from './events-inbox.ts';
import type { Profile } from './profiles.ts';
import type { AgentFacingEndpoints } from './ps-endpoints.ts';
import type { ResumeAnswer } from './ps-messages.ts';
import type { StepOutcome, StepSlot, TokenHolders } from './step-slot.ts';
import type { Token } from './tokens.ts';

/**
 * An agent runtime's side of a pause under a terminate-only profile (r01,
 * r11, aauth-latest: the PS cannot suspend a mission). A person's pause
 * ends the mission as an administrative termination, and the agent cannot
 * tell it from any other: it stops, learns of a resume only by a message
 * (aauth-latest: the PS's push to its provider's events inbox; elsewhere:
 * asking the PS at the Retry-After it gives, `pause_poll`), then proposes a
 * new mission and tries the step again. It also keeps what the runtime was
 * told of its mission's ending (a refusal's termination_reason, an inbox
 * event), which decides whether an ending could have been a pause.
 *
 * The Agent extends this class rather than holding it: the step path reads
 * `endedByEvent` at every step, and a field of the agent itself costs no
 * object more per agent (30,000 of them in the large benchmark) and no
 * pointer more to follow per step.
 */
export abstract class PausableRuntime {
  constructor(
    protected readonly ctx: ActorContext,
    protected readonly profile: Profile,
  ) {}

  /** aauth-latest: the provider's events inbox told this agent its mission ended; it sends nothing more under it. */
  protected endedByEvent = false;
  /** Why the mission it acts under was terminated, as a refusal or an inbox event said (r11's termination_reason). */
  protected endedReason: string | undefined;
  /** The last final refusal's reason (under -01, `mission terminated` is all it is told). */
  protected finalRefusal: string | undefined;
  /** The mission a mission.resumed event named, and what hearResume waits on. */
  private resumedMission: string | null | undefined;
  private resumeHeard: Latch<void> | undefined;

  // What of the agent the pause handling reads and asks (sim/protocol/agent.ts).
  abstract readonly actor: string;
  abstract readonly def: Readonly<AgentDef>;
  protected abstract readonly ps: AgentFacingEndpoints;
  /** A root agent's mission as it proposes it (none: a sub-agent, or a runtime joining its provider's mission, has nothing to propose again). */
  protected abstract readonly proposal: ProposedMission | undefined;
  /** The mission it acts under now. */
  protected abstract mission: string | null;
  /** Its auth tokens (a re-proposal drops those of the ended mission). */
  protected abstract tokens: TokenHolders;
  /** Refusals no resume can lift: its class, or its agent token. */
  protected abstract classRefusal: string | undefined;
  protected abstract credentialRefusal: string | undefined;
  abstract signingToken(): Token | undefined;
  protected abstract callPs<T>(invoke: (reply: (answer: T) => void) => void): Signal<T>;
  protected abstract propose(reproposal: boolean): ProcessBody<boolean>;
  protected abstract perform(slot: StepSlot, first: number): ProcessBody<StepOutcome>;

  /**
   * A step ended its mission ('stop'). Terminate-only profiles: a pause
   * ended it; once resumed, a new mission is approved and the step is tried
   * again. False if the agent stops (logged).
   */
  protected *afterStop(slot: StepSlot): ProcessBody<boolean> {
    let outcome: StepOutcome = 'stop';
    while (outcome === 'stop') {
      const after = yield* this.reproposeAfterPause();
      if (after !== 'resumed') {
        if (after !== 'stopped')
          this.ctx.record('agent.stopped', this.mission, this.actor, { reason: this.classRefusal ?? this.credentialRefusal ?? 'mission ended' });
        return false;
      }
      outcome = yield* this.perform(slot, 0);
    }
    return true;
  }

  /**
   * The mission ended. Under a terminate-only profile a pause ends it as an
   * administrative termination, and the agent cannot tell a pause from any
   * other: it stops, and learns of a resume only by a message (aauth-latest:
   * the PS's push to its provider's inbox; elsewhere: asking the PS at the
   * Retry-After it gives, `pause_poll`). Once resumed, it proposes a new
   * mission; the tokens of the old one are dropped. `resumed`: approved
   * again; `refused`: the person refused the new one; `stopped`: no pause
   * (agent.stopped already logged); `no`: not an ending a resume can follow.
   */
  private *reproposeAfterPause(): ProcessBody<'resumed' | 'refused' | 'stopped' | 'no'> {
    // -01 and oauth refusals carry no termination_reason: any termination could have been a pause, so the agent asks.
    const terminated = this.profile.terminationReason ? this.endedReason === 'administrative' : this.finalRefusal === endedRefusal('terminated');
    const couldBePause = terminated && !this.profile.suspendable && this.classRefusal === undefined && this.credentialRefusal === undefined;
    if (!this.proposal || !couldBePause) return 'no';
    // It stops as any agent whose mission ended (a pause never resumed looks the same); a resume restarts it.
    this.ctx.record('agent.stopped', this.mission, this.actor, { reason: 'mission ended' });
    if (!(yield* this.profile.eventsInbox ? this.hearResume() : this.pollResume())) return 'stopped';
    this.endedReason = undefined;
    this.finalRefusal = undefined;
    this.tokens.clear();
    // Refused: the caller stops the agent (its log shows mission.refused before).
    return (yield* this.propose(true)) ? 'resumed' : 'refused';
  }

  /** aauth-latest: waits for the PS's mission.resumed push (it may have come already); a pause never resumed keeps it waiting. */
  private *hearResume(): ProcessBody<boolean> {
    if (this.resumedMission === undefined || this.resumedMission !== this.mission) {
      this.resumeHeard = new Latch<void>(this.ctx.sim);
      yield this.resumeHeard;
    }
    return true;
  }

  /** Asks the PS whether its mission's ending was a pause since resumed, again at each Retry-After; true once it was. */
  private *pollResume(): ProcessBody<boolean> {
    const ask = () => {
      const agentToken = this.signingToken();
      return this.callPs((reply: (answer: ResumeAnswer) => void) => this.ps.pollResume(this.def.id, this.mission, reply, agentToken));
    };
    let answer: ResumeAnswer = yield ask();
    while (answer.status === 'paused' || answer.status === 'unavailable') {
      yield answer.retryAfter;
      answer = yield ask();
    }
    return answer.status === 'resumed';
  }

  /** aauth-latest: the agent provider's events inbox (sim/protocol/events-inbox.ts). */
  get inbox(): EventsInbox {
    return {
      actor: `ap:${this.def.id}`,
      deliver: (event: AgentEvent) => {
        this.ctx.record('event.received', event.mission, `ap:${this.def.id}`, { agent: event.agent, event: event.type });
        // Only the mission the runtime acts under now: a later re-proposal's mission is not ended by an old event.
        if (event.mission !== this.mission) return;
        if (event.type === 'mission.resumed') {
          this.resumedMission = event.mission;
          if (this.resumeHeard && !this.resumeHeard.settled) this.resumeHeard.fire();
          return;
        }
        this.endedByEvent = true;
        this.endedReason = event.reason;
        this.tokens.clear();
      },
    };
  }
}
