import type { ActorContext } from '../context/actor-context.ts';
import type { AuthorityDesk } from './authority-desk.ts';
import type { ProposedMission } from '../authority/renderings.ts';
import type { PersonServerDef } from '../scenario/schema.ts';
import { isEnded } from '../lifecycle/states.ts';
import type { Reproposals } from '../lifecycle/reproposal.ts';
import type { AgentTokenRevocations } from './agent-token-revocation.ts';
import type { MissionApprovals } from './mission-approval.ts';
import type { MissionClasses } from './mission-class.ts';
import type { MissionRecord } from './mission-record.ts';
import { OutstandingTokens } from './outstanding-tokens.ts';
import type { PersonChannel } from './person-channel.ts';
import type { Profile } from './profiles.ts';
import type { MissionAnswer, ResumeAnswer } from './ps-messages.ts';
import type { Token } from './tokens.ts';

/** What the mission endpoint reads of the PS and asks it to do. */
export interface ProposalBook {
  /** Proposals and their missions, by the proposal's handle (the proposing agent's: its pending URL). */
  readonly missionsByAgent: Map<string, MissionRecord>;
  /** An approved mission by its s256. */
  byS256(s256: string): MissionRecord | undefined;
  /** Whether `agent` acts under the mission: its own, or a hop the PS minted in its tree. */
  belongsTo(record: MissionRecord, agent: string): boolean;
  /** Every request goes through the PS's door: queued, or 503 while down or full. */
  serve(work: () => void, unavailable: () => void): void;
  /** A request refused for its credentials: logged, then answered as refused. */
  refuseCredential(agent: string, endpoint: 'mission', reason: string, answer: () => void): void;
  /** The PS ends a mission (here: superseded by a re-proposal). */
  terminate(agent: string, reason: string): void;
  /** A replaced mission, still sealed at the end of the run. */
  retire(record: MissionRecord): void;
  readonly approvals: MissionApprovals;
  /** This PS's identifier: the `approver` of the missions it approves. */
  readonly approver: string;
}

/** The parts of the PS the mission endpoint works with. */
export interface ProposalParts {
  readonly def: Readonly<PersonServerDef>;
  readonly profile: Profile;
  readonly desk: AuthorityDesk;
  readonly agentTokens: AgentTokenRevocations;
  readonly classes: MissionClasses | undefined;
  readonly reproposals: Reproposals;
  readonly pollInterval: number;
  /** Retry-After of its answer to an agent polling a paused mission (`pause_poll`). */
  readonly pausePoll: number;
  /** Whether a mission's outstanding list keeps its expired tokens (sim/protocol/token-retention.ts). */
  readonly keepsExpiredTokens: boolean;
}

/**
 * The Person Server's mission endpoint: an agent proposes a mission (or
 * re-proposes one after a termination), polls a deferred proposal, and
 * (terminate-only profiles) polls whether a paused mission was resumed.
 * Approval itself is sim/protocol/mission-approval.ts.
 */
export class MissionProposals {
  private readonly def: Readonly<PersonServerDef>;
  private readonly profile: Profile;
  private readonly desk: AuthorityDesk;
  private readonly agentTokens: AgentTokenRevocations;
  private readonly classes: MissionClasses | undefined;
  private readonly reproposals: Reproposals;
  private readonly pollInterval: number;
  private readonly pausePoll: number;
  private readonly keepsExpiredTokens: boolean;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    parts: ProposalParts,
    private readonly book: ProposalBook,
  ) {
    ({
      def: this.def,
      profile: this.profile,
      desk: this.desk,
      agentTokens: this.agentTokens,
      classes: this.classes,
      reproposals: this.reproposals,
      pollInterval: this.pollInterval,
      pausePoll: this.pausePoll,
      keepsExpiredTokens: this.keepsExpiredTokens,
    } = parts);
  }

  /** Mission endpoint: approve at once, or defer to the person (202 + Retry-After). */
  proposeMission(
    agent: string,
    person: PersonChannel,
    spec: ProposedMission,
    reply: (answer: MissionAnswer) => void,
    reproposal = false,
    agentToken?: Token,
    owner?: string,
  ): void {
    const unavailable = () => reply({ status: 'unavailable', retryAfter: this.pollInterval });
    this.book.serve(() => {
      const credential = this.agentTokens.refusesAgentToken(agentToken, this.ctx.sim.now);
      if (credential !== null) return this.book.refuseCredential(agent, 'mission', credential, () => reply({ status: 'rejected', reason: credential }));
      const previous = this.book.missionsByAgent.get(agent);
      // A proposal sent again because its answer was lost: answer it like a poll, do not open a second mission.
      if (previous && !reproposal) return this.answerPoll(agent, reply);
      this.classes?.propose(agent, agentToken);
      // A mission replaced by a new proposal is still sealed at the end (its last revocations came after its termination).
      // The pause (if one ended the last mission) is over: the new proposal is its answer.
      if (reproposal) this.reproposals.consumed(agent);
      if (previous && reproposal) {
        // A re-proposal replaces the agent's mission: one still active (a runtime-bound grant after a crash) is superseded (r11).
        this.book.terminate(agent, 'superseded');
        this.book.retire(previous);
      }
      const authority = this.desk.openMission(agent, spec);
      const record: MissionRecord = {
        s256: null,
        agent,
        person,
        state: 'pending',
        scope: authority.scope,
        expiresAt: undefined,
        outstanding: new OutstandingTokens(this.keepsExpiredTokens),
        authority,
        ...(owner !== undefined && owner !== agent ? { owner } : {}),
      };
      this.book.missionsByAgent.set(agent, record);
      this.ctx.record('mission.proposed', null, this.actor, { agent, description: spec.description, tools: spec.approved_tools ?? [] });
      if (reproposal) this.ctx.record('mission.reproposed', null, this.actor, { agent, previous: previous?.s256 ?? null });
      if (!this.profile.missions) {
        // OAuth: static scopes consented up front; there is no mission to approve.
        record.state = 'active';
        this.ctx.record('consent.granted', null, this.actor, { agent, approver: person.id, scopes: [...record.scope] });
        this.book.approvals.tellApproved(record);
        this.book.approvals.missionTruth(record, spec);
        this.book.approvals.policyCompiled(record);
        this.ctx.outcomes.approved(agent, null);
        reply({ status: 'approved', s256: null, approver: this.book.approver });
        return;
      }
      // A mission proposed again after a termination goes to the person whatever the PS's approval mode: they ended the last one.
      if ((this.def.approval ?? 'immediate') === 'immediate' && !reproposal) {
        this.book.approvals.approve(record, spec);
        reply({ status: 'approved', s256: record.s256, approver: this.book.approver });
        return;
      }
      this.ctx.record('mission.deferred', null, this.actor, { agent, status: 202, retry_after_us: this.pollInterval });
      this.book.approvals.clarifyThenApprove(record, spec, this.def.clarification_rounds ?? 0);
      reply({ status: 'pending', retryAfter: this.pollInterval });
    }, unavailable);
  }

  /** Polling a deferred proposal. */
  pollMission(agent: string, reply: (answer: MissionAnswer) => void, agentToken?: Token): void {
    this.book.serve(
      () => {
        const credential = this.agentTokens.refusesAgentToken(agentToken, this.ctx.sim.now);
        if (credential !== null) return this.book.refuseCredential(agent, 'mission', credential, () => reply({ status: 'rejected', reason: credential }));
        this.answerPoll(agent, reply);
      },
      () => reply({ status: 'pending', retryAfter: this.pollInterval }),
    );
  }

  /**
   * Terminate-only profiles without an events inbox: an agent whose mission
   * was terminated administratively asks whether that was a pause its
   * person has since resumed. The mission is named by its s256 (oauth: the
   * agent's consent) and must be this agent's; each poll is logged.
   */
  pollResume(agent: string, mission: string | null, reply: (answer: ResumeAnswer) => void, agentToken?: Token): void {
    this.book.serve(
      () => {
        const credential = this.agentTokens.refusesAgentToken(agentToken, this.ctx.sim.now);
        if (credential !== null) return this.book.refuseCredential(agent, 'mission', credential, () => reply({ status: 'ended' }));
        const named = mission === null ? (this.profile.missions ? undefined : this.book.missionsByAgent.get(agent)) : this.book.byS256(mission);
        const record = named && this.book.belongsTo(named, agent) && isEnded(named.state) ? named : undefined;
        const answer = (record && this.reproposals.state(record.agent)) ?? 'ended';
        this.ctx.record('mission.resume_polled', record?.s256 ?? null, this.actor, { agent, answer });
        reply(answer === 'paused' ? { status: 'paused', retryAfter: this.pausePoll } : { status: answer });
      },
      () => reply({ status: 'unavailable', retryAfter: this.pollInterval }),
    );
  }

  private answerPoll(agent: string, reply: (answer: MissionAnswer) => void): void {
    const record = this.book.missionsByAgent.get(agent);
    if (record?.state === 'refused') reply({ status: 'refused' });
    else if (record && record.state !== 'pending') reply({ status: 'approved', s256: record.s256, approver: this.book.approver });
    else reply({ status: 'pending', retryAfter: this.pollInterval });
  }
}
