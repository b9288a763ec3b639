import type { ProcessBody, Signal } from '../engine/process.ts';
import type { ProposedMission } from '../scenario/compile.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { PausableRuntime } from './agent-pause.ts';
import type { PersonChannel } from './person-channel.ts';
import type { MissionAnswer } from './ps-messages.ts';
import type { Profile } from './profiles.ts';
import type { ProviderMissions } from './provider-missions.ts';
import type { MissionHeader } from './resource-messages.ts';
import type { TokenHolders } from './step-slot.ts';
import type { WireSightings } from './wire-sightings.ts';

/**
 * A root agent runtime's side of mission proposal and approval: it sends
 * its mission to its PS (with the person channel the PS asks the person
 * through), polls at each Retry-After until the person approved or refused
 * it, and from then on acts under the approved s256 and approver. A second,
 * concurrent mission is proposed and polled the same way under a handle of
 * its own. It runs once per mission (and again after a pause or a crash),
 * never on the step path.
 *
 * A base class of the Agent rather than an object it holds: an approval
 * writes the mission, approver and concurrent mission every step presents,
 * and clears the pause's `endedByEvent`, which every step reads; as fields
 * of the agent itself they cost no object more per agent (30,000 in the
 * large benchmark) and no pointer more per step, and a helper would need
 * all of them handed back. It extends PausableRuntime because the pause
 * re-proposes through `propose`, which it declares and this class defines.
 */
export abstract class ProposingRuntime extends PausableRuntime {
  constructor(
    ctx: ActorContext,
    profile: Profile,
    /** How the PS reaches the person who approves or refuses the proposal. */
    private readonly person: PersonChannel,
  ) {
    super(ctx, profile);
  }

  /** Whether this agent's mission has been approved (the provider remembers it across runtimes). */
  protected approved = false;
  /** The second mission, once approved: its s256 and approver (steps `under: concurrent` present it). */
  protected concurrent: MissionHeader | undefined;

  // What of the agent the proposal reads and writes (sim/protocol/agent.ts).
  /** The PS that approved the mission (r01's AAuth-Mission `approver`). */
  protected abstract approver: string;
  /** aauth-r11: person tokens, which name one mission. */
  protected abstract readonly personTokens: TokenHolders;
  protected abstract readonly sightings?: WireSightings;
  protected abstract readonly providerMissions?: ProviderMissions;

  /** Proposes the mission (again, after a pause, when `reproposal`), polling until it is approved; false if the person refused it. */
  protected *propose(reproposal: boolean): ProcessBody<boolean> {
    const mission = this.proposal as ProposedMission; // references: a root agent has a mission
    const propose = () => {
      const agentToken = this.signingToken();
      return this.callPs((reply: (answer: MissionAnswer) => void) => this.ps.proposeMission(this.def.id, this.person, mission, reply, reproposal, agentToken));
    };
    return yield* this.awaitApproval(yield propose(), propose);
  }

  /**
   * The agent's second, concurrent mission: proposed under its own handle
   * (the PS answers it like any proposal; the blob names this agent), polled
   * until approved. Refused: steps under it have no mission to present.
   */
  protected *proposeConcurrent(spec: ProposedMission): ProcessBody<void> {
    const handle = `${this.def.id}/concurrent`;
    const propose = () =>
      this.callPs((reply: (answer: MissionAnswer) => void) =>
        this.ps.proposeMission(handle, this.person, spec, reply, false, this.signingToken(), this.def.id),
      );
    let answer: MissionAnswer = yield propose();
    while (answer.status !== 'approved') {
      if (answer.status === 'refused' || answer.status === 'rejected') return;
      yield answer.retryAfter;
      answer = yield answer.status === 'unavailable'
        ? propose()
        : this.callPs((reply: (answer: MissionAnswer) => void) => this.ps.pollMission(handle, reply, this.signingToken()));
    }
    if (answer.s256 !== null) this.concurrent = { approver: answer.approver, s256: answer.s256 };
  }

  /** Polls a proposal until it is approved (re-sending it while the PS is unavailable); false if the person refused it. */
  private *awaitApproval(first: MissionAnswer = { status: 'pending', retryAfter: 0 }, propose?: () => Signal<MissionAnswer>): ProcessBody<boolean> {
    let answer = first;
    const poll = () => {
      const agentToken = this.signingToken();
      return this.callPs((reply: (answer: MissionAnswer) => void) => this.ps.pollMission(this.def.id, reply, agentToken));
    };
    while (answer.status !== 'approved') {
      if (answer.status === 'refused') return false;
      if (answer.status === 'rejected') {
        this.credentialRefusal = answer.reason;
        return false;
      }
      yield answer.retryAfter;
      answer = yield answer.status === 'unavailable' && propose ? propose() : poll();
    }
    // A person token names one mission: those of a mission this approval replaced are of no use (a re-proposal).
    if (this.mission !== answer.s256) this.personTokens.clear();
    this.endedByEvent = false;
    this.approved = true;
    this.actUnder(answer.s256, answer.approver);
    return true;
  }

  /**
   * The mission this runtime acts under from now on (approved, or a hop
   * its PS minted): kept, and, when it has one, told to the wire's
   * sightings and to its provider's other runtimes.
   */
  protected actUnder(s256: string | null, approver: string): void {
    this.mission = s256;
    this.approver = approver;
    if (s256 === null) return;
    this.sightings?.missionSent(this.def.id, { approver, s256 });
    this.providerMissions?.post(this.def.id, { approver, s256 });
  }

  /** The person refused the mission: the agent has nothing to act under (false: no plan to follow). */
  protected stopRefused(): false {
    this.ctx.record('agent.stopped', null, this.actor, { reason: this.credentialRefusal ?? 'mission refused' });
    return false;
  }
}
