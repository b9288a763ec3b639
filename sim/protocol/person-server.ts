import type { CompiledPersonServer } from '../scenario/compile.ts';
import type { Rng } from '../engine/random.ts';
import type { PersonServerDef, Scenario } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { GovernanceEndpoints } from './governance-endpoints.ts';
import type { OperationIndex, ProposedMission } from '../authority/renderings.ts';
import { AuthorityDesk } from './authority-desk.ts';
import type { FederationEndpoint } from './federation.ts';
import { RevocationSender } from './revocation-sender.ts';
import { AgentTokenRevocations, type AgentTokenRevocationAnswer, type AgentTokenRevocationNotice } from './agent-token-revocation.ts';
import { MissionUpdates } from './mission-update.ts';
import { EventsPublisher } from './events-inbox.ts';
import { MissionControlEndpoint, type ControlAnswer, type ControlDesk, type ControlRequest } from './mission-control.ts';
import { carryOut } from '../lifecycle/interventions.ts';
import type { AccessServerRevocationEndpoint } from './as-revocation-endpoint.ts';
import { ServiceDoor } from './service-door.ts';
import type { MissionControl, MissionDirectory } from './mission-directory.ts';
import type { MissionRecord, MissionState } from './mission-record.ts';
import type { Network } from './network.ts';
import type { PersonChannel } from './person-channel.ts';
import type { Profile } from './profiles.ts';
import type { AgentFacingEndpoints } from './ps-endpoints.ts';
import type { AuthAnswer, CallDetails, MissionAnswer, ResumeAnswer } from './ps-messages.ts';
import type { RevocationTarget } from './revocation-target.ts';
import type { TokenStatus } from './token-status.ts';
import { TokenIssuer, type Token } from './tokens.ts';
import { drains } from '../lifecycle/states.ts';
import { Reproposals } from '../lifecycle/reproposal.ts';
import { MissionEndings } from '../lifecycle/endings.ts';
import { MissionClasses } from './mission-class.ts';
import { missionBudget, type MissionBudget } from './mission-budget.ts';
import { AuthTokenEndpoint } from './auth-token-endpoint.ts';
import { MissionApprovals } from './mission-approval.ts';
import { ControlCarrier } from './control-carrying.ts';
import { PersonTokenEndpoint } from './person-token-endpoint.ts';
import { MissionProposals } from './mission-proposal.ts';
import { RequestSigners } from './request-signers.ts';
import { DelegationEndpoint } from './delegation-endpoint.ts';
import { AgentTokenRevocationEndpoint } from './agent-token-revocation-endpoint.ts';
import { GovernedMissions } from './governed-missions.ts';
import type { PsEndpointBook } from './ps-endpoint-book.ts';
import { keepsExpiredTokens } from './token-retention.ts';

/**
 * The Person Server: holds missions, asks the person, issues auth tokens
 * judged against the mission, keeps the mission log, and on termination
 * stops issuing and calls resources' revocation endpoints. Every request is
 * served through a queue, so token load shows up as delay.
 */
export class PersonServer implements AgentFacingEndpoints, TokenStatus, MissionDirectory, MissionControl, ControlDesk {
  readonly actor: string;
  /** The queue every request waits in, and the 503s of outages and overload. */
  private readonly door: ServiceDoor;
  private readonly issuer: TokenIssuer;
  /** Proposals and their missions, by the proposal's handle (the proposing agent's: its pending URL). */
  private readonly missionsByAgent = new Map<string, MissionRecord>();
  /** Approved missions by s256: how a token request's mission is located (from what the request carries). */
  private readonly missionsByS256 = new Map<string, MissionRecord>();
  private readonly revocationRng: Rng;
  private readonly pollInterval: number;
  readonly desk: AuthorityDesk;
  readonly domain: string;
  /** Terminate-only profiles: missions terminated by a pause, whose agents re-propose when the person resumes (the PS's own: agents learn it by a message). */
  private readonly reproposals: Reproposals;
  readonly def: Readonly<PersonServerDef>;
  /** The cumulative limits this PS enforces per mission at issuance, if its deployment has any. */
  private readonly budget: MissionBudget | undefined;

  constructor(
    private readonly ctx: ActorContext,
    compiled: CompiledPersonServer,
    private readonly profile: Profile,
    network: Network,
    /** The revocation endpoints of the resources this PS issues tokens for, by resource id. */
    resources: ReadonlyMap<string, RevocationTarget>,
    /** Four-party: the Access Server of each resource that has one, by resource id. */
    accessServers: ReadonlyMap<string, FederationEndpoint>,
    clockOrigin: string,
    settings: Scenario['authority'],
    ops: OperationIndex,
  ) {
    const def = compiled.def;
    this.def = def;
    this.actor = `ps:${def.id}`;
    this.domain = def.domain ?? def.id;
    this.desk = new AuthorityDesk(ctx, this.actor, def, settings, ops);
    this.budget = missionBudget(def.budget);
    this.door = new ServiceDoor(ctx, this.actor, compiled);
    this.issuer = new TokenIssuer(this.actor);
    this.revocationRng = ctx.stream(`${this.actor}/revocation`);
    const asEndpoints = new Map(
      [...accessServers.values()].flatMap((as) => (as.revokeIssued ? [[as.actor, as as AccessServerRevocationEndpoint] as const] : [])),
    );
    this.revocations = new RevocationSender(ctx, this.actor, profile, resources, this.revocationRng, asEndpoints, undefined, network);
    this.pollInterval = compiled.pollIntervalUs;
    this.agentTokens = new AgentTokenRevocations(profile.agentTtl);
    this.signers = new RequestSigners(ctx, this.actor, profile, this.agentTokens, (agent) => this.recordOf(agent));
    this.reproposals = new Reproposals();
    this.classes = profile.classCheck ? new MissionClasses(ctx, this.actor) : undefined;
    const book = { get: (agent: string) => this.missionsByAgent.get(agent), descendants: (root: string) => this.desk.descendants(root) };
    this.events = profile.eventsInbox ? new EventsPublisher(ctx, this.actor, network) : undefined;
    // A termination revokes the mission's tokens and (aauth-latest) tells its agents through their providers' inboxes.
    const ending = {
      revokeMission: (record: MissionRecord, live: Token[], recallAll: boolean) => {
        this.revocations.revokeMission(record, live, recallAll);
        this.events?.missionEnded(record.s256, [record.agent, ...this.desk.descendants(record.agent)], record.terminationReason);
      },
    };
    this.endings = new MissionEndings(ctx, this.actor, profile, book, resources, ending, this.reproposals, this.revocationRng);
    this.updates = new MissionUpdates(ctx, this.actor, clockOrigin, (agent) => this.endings.complete(agent, 'person'));
    this.missionControl = new MissionControlEndpoint(
      ctx,
      this.actor,
      {
        find: (s256) => [...this.missionsByAgent.values()].find((record) => record.s256 === s256),
        body: (record) => this.approvals.bodyOf(record),
        updates: (record) => this.updates.of(record),
        act: (record, action) => carryOut(this, record.agent, action),
      },
      new Set(def.administrators ?? []),
    );
    const governed = new GovernedMissions(profile, this.desk, {
      byS256: (s256) => this.missionsByS256.get(s256),
      recordOf: (agent) => this.recordOf(agent),
      belongsTo: (record, agent) => this.belongsTo(record, agent),
    });
    this.governance = new GovernanceEndpoints(ctx, this.actor, {
      pollIntervalUs: this.pollInterval,
      serve: (work, unavailable) => this.serve(work, unavailable),
      activeMission: (agent, mission) => governed.active(agent, mission),
      judge: (agent, mission, action) => governed.judge(agent, mission, action),
      refusesAgentToken: (agent, agentToken, parentToken) => {
        const credential = this.signers.refusesSigners(agentToken, parentToken);
        if (credential !== null) this.signers.refuseCredential(agent, 'governance', credential, () => undefined);
        return credential;
      },
    });
    this.approvals = new MissionApprovals(
      ctx,
      this.actor,
      {
        profile,
        desk: this.desk,
        clockOrigin,
        approver: this.approver,
        clarificationRounds: def.clarification_rounds ?? 0,
        classes: this.classes,
        budget: this.budget,
      },
      {
        administrators: () => this.administratorChannels,
        approved: (record) => this.missionsByS256.set(record.s256 as string, record),
        timeOut: (record) => this.endings.timeOut(record),
      },
    );
    this.controls = new ControlCarrier(ctx, this.actor, profile, {
      endpoint: this.missionControl,
      byHandle: (handle) => this.missionsByAgent.get(handle),
      missions: () => this.missionsByAgent.values(),
      act: (agent, action) => carryOut(this, agent, action),
    });
    this.proposals = new MissionProposals(
      ctx,
      this.actor,
      {
        def,
        profile,
        desk: this.desk,
        agentTokens: this.agentTokens,
        classes: this.classes,
        reproposals: this.reproposals,
        pollInterval: this.pollInterval,
        pausePoll: compiled.pausePollUs,
        keepsExpiredTokens: keepsExpiredTokens(
          profile,
          [...resources.values()].map((resource) => resource.revocation.mode),
        ),
      },
      {
        missionsByAgent: this.missionsByAgent,
        byS256: (s256) => this.missionsByS256.get(s256),
        belongsTo: (record, agent) => this.belongsTo(record, agent),
        serve: (work, unavailable) => this.serve(work, unavailable),
        refuseCredential: (agent, endpoint, reason, answer) => this.signers.refuseCredential(agent, endpoint, reason, answer),
        terminate: (agent, reason) => this.terminate(agent, reason),
        retire: (record) => this.retired.push(record),
        approvals: this.approvals,
        approver: this.approver,
      },
    );
    // What both token endpoints read of this PS's missions.
    const tokenBook = {
      byS256: (s256: string) => this.missionsByS256.get(s256),
      belongsTo: (record: MissionRecord, agent: string) => this.belongsTo(record, agent),
      subAgentRefusal: (own: Token | undefined, parent: Token | undefined) => this.signers.subAgentRefusal(own, parent),
      terminate: (agent: string, reason: string) => this.terminate(agent, reason),
    };
    this.personTokens = new PersonTokenEndpoint(
      ctx,
      this.actor,
      { profile, issuer: this.issuer, agentTokens: this.agentTokens, classes: this.classes, approver: this.approver, retryAfterUs: this.pollInterval },
      tokenBook,
    );
    this.authTokens = new AuthTokenEndpoint(
      ctx,
      this.actor,
      {
        profile,
        desk: this.desk,
        network,
        accessServers,
        issuer: this.issuer,
        agentTokens: this.agentTokens,
        budget: this.budget,
        classes: this.classes,
        domain: this.domain,
        approver: this.approver,
        retryAfterUs: this.pollInterval,
      },
      { ...tokenBook, recordOf: (agent) => this.recordOf(agent), personToken: (jti) => this.personTokens.issued(jti) },
    );
    // The rarer endpoints, each in its own file, served through the same door.
    const endpointBook: PsEndpointBook = {
      recordOf: (agent: string) => this.recordOf(agent),
      serve: (work: () => void, unavailable: () => void) => this.serve(work, unavailable),
    };
    const { agentTokens, signers, classes, approver, pollInterval } = this;
    this.delegations = new DelegationEndpoint(ctx, { profile, desk: this.desk, agentTokens, signers, classes, approver, pollInterval }, endpointBook);
    this.agentTokenRevocation = new AgentTokenRevocationEndpoint(ctx, this.actor, profile, agentTokens, this.revocations, pollInterval, endpointBook);
  }

  /** Who may sign a request: agent tokens presented, -11's parent-signed sub-agent requests (sim/protocol/request-signers.ts). */
  private readonly signers: RequestSigners;

  /** The delegation endpoint: minting a sub-agent's hop (sim/protocol/delegation-endpoint.ts). */
  private readonly delegations: DelegationEndpoint;

  /** The revocation endpoint for agent tokens (sim/protocol/agent-token-revocation-endpoint.ts). */
  private readonly agentTokenRevocation: AgentTokenRevocationEndpoint;

  /** Approving missions and writing them to the log and the oracle (sim/protocol/mission-approval.ts). */
  private readonly approvals: MissionApprovals;

  /** Carries out a person's control request or the monitor's alarm (sim/protocol/control-carrying.ts). */
  private readonly controls: ControlCarrier;

  /** The mission endpoint: proposals, their polls and resume polls (sim/protocol/mission-proposal.ts). */
  private readonly proposals: MissionProposals;

  /** The person-token endpoint (sim/protocol/person-token-endpoint.ts). */
  private readonly personTokens: PersonTokenEndpoint;

  /** The auth-token endpoint (sim/protocol/auth-token-endpoint.ts). */
  private readonly authTokens: AuthTokenEndpoint;

  /** Permission, audit and interaction endpoints. */
  readonly governance: GovernanceEndpoints;

  /** Seed 002, where the PS checks class: the class each mission and hop is bound to (sim/protocol/mission-class.ts). */
  private readonly classes: MissionClasses | undefined;

  /** Revocation calls and stream events to resources (and the r11 cascade's answers). */
  private readonly revocations: RevocationSender;

  /** Ending, pausing and resuming missions, and what each means for their tokens and work. */
  private readonly endings: MissionEndings;

  get pollIntervalUs(): number {
    return this.pollInterval;
  }

  /** This PS's identifier: the `approver` of the missions it approves. */
  get approver(): string {
    return `https://${this.def.id}`;
  }

  /** The handle of a mission this PS approved, by its s256 (the PS's own runtime monitor: from the mission a token carries). */
  handleOf(mission: string): string | undefined {
    return this.missionsByS256.get(mission)?.agent;
  }

  /** The root agent whose mission an agent acts under (itself for a root agent). */
  rootOf(agent: string): string {
    return this.desk.hop(agent)?.root ?? agent;
  }

  /** The delegation depth of an agent in its mission's tree (0 for a root agent or one this PS never minted). */
  delegationDepth(agent: string): number {
    return this.desk.depth(agent);
  }

  stateOf(agent: string): MissionState | undefined {
    return this.recordOf(agent)?.state;
  }

  /** The person a mission acts for: who can release a held operation. */
  personOf(agent: string): PersonChannel | undefined {
    return this.recordOf(agent)?.person;
  }

  /** The mission an agent acts under: its own, or (a sub-agent) its root agent's. */
  private recordOf(agent: string): MissionRecord | undefined {
    return this.missionsByAgent.get(agent) ?? this.missionsByAgent.get(this.desk.hop(agent)?.root ?? '');
  }

  /** Mission endpoint: approve at once, or defer to the person (202 + Retry-After) (sim/protocol/mission-proposal.ts). */
  proposeMission(
    agent: string,
    person: PersonChannel,
    spec: ProposedMission,
    reply: (answer: MissionAnswer) => void,
    reproposal = false,
    agentToken?: Token,
    owner?: string,
  ): void {
    this.proposals.proposeMission(agent, person, spec, reply, reproposal, agentToken, owner);
  }

  /** Polling a deferred proposal. */
  pollMission(agent: string, reply: (answer: MissionAnswer) => void, agentToken?: Token): void {
    this.proposals.pollMission(agent, reply, agentToken);
  }

  /** Terminate-only profiles: whether a mission terminated administratively was a pause its person has since resumed. */
  pollResume(agent: string, mission: string | null, reply: (answer: ResumeAnswer) => void, agentToken?: Token): void {
    this.proposals.pollResume(agent, mission, reply, agentToken);
  }

  /** Auth-token endpoint: the resource token plus the mission decide (sim/protocol/auth-token-endpoint.ts). */
  requestAuthToken(resourceToken: Token, agentTokenExp: number, reply: (answer: AuthAnswer) => void, call: CallDetails = {}, upstream?: Token): void {
    this.door.admit(this.authTokens.request(resourceToken, agentTokenExp, reply, call, upstream));
  }

  /** aauth-r11 person-token endpoint (sim/protocol/person-token-endpoint.ts). */
  requestPersonToken(...request: Parameters<AgentFacingEndpoints['requestPersonToken']>): void {
    this.door.admit(this.personTokens.request(...request));
  }

  /** A sub-agent asks to act under its parent's mission with a narrower grant (sim/protocol/delegation-endpoint.ts). */
  requestDelegation(...request: Parameters<AgentFacingEndpoints['requestDelegation']>): void {
    this.delegations.request(...request);
  }

  /** Whether `agent` acts under the mission: its own, or a hop this PS minted in its tree. */
  private belongsTo(record: MissionRecord, agent: string): boolean {
    return (record.owner ?? record.agent) === agent || this.desk.hop(agent)?.root === record.agent;
  }

  /** The agent tokens presented to this PS and those their providers revoked at it (sim/protocol/agent-token-revocation.ts). */
  private readonly agentTokens: AgentTokenRevocations;

  /** Revocation endpoint, agent tokens (-10 and later): the agent provider revokes one (sim/protocol/agent-token-revocation-endpoint.ts). */
  revokeAgentToken(notice: AgentTokenRevocationNotice, reply: (answer: AgentTokenRevocationAnswer) => void): void {
    this.agentTokenRevocation.revoke(notice, reply);
  }

  /** Introspection for resources that check status per request (not in AAuth; a design to compare). */
  tokenActive(jti: string, mission: string | null, agent: string | undefined): boolean {
    // A token with no mission is found by the agent it names; a -11 token names none (`agent` undefined).
    const record = mission === null ? (agent === undefined ? undefined : this.recordOf(agent)) : this.missionsByS256.get(mission);
    if (!record || record.s256 !== mission) return false;
    // A completed or timed-out mission's tokens may finish their work: only those endings leave them active.
    return (record.state === 'active' || drains(record.state)) && record.outstanding.has(jti);
  }

  /** The person ends the mission: no more tokens; revocation calls for outstanding ones (sim/lifecycle/endings.ts). */
  terminate(agent: string, reason: string, policy = false): void {
    this.endings.terminate(agent, reason, policy);
  }

  /** An alarm or a policy ends the mission: terminated-policy under mission-authority, else administrative. */
  terminateForPolicy(agent: string): void {
    this.endings.terminateForPolicy(agent);
  }

  /** The person (or the plan's end) completes the mission. -11 and later: the agent's report at its plan's end is a proposal the person accepts or refuses. */
  complete(agent: string, by: 'person' | 'plan'): void {
    const record = this.missionsByAgent.get(agent);
    if (by === 'plan' && this.profile.missionUpdates && record) return this.updates.proposeCompletion(record);
    this.endings.complete(agent, by);
  }

  /** aauth-latest: pushes mission events to agent providers' inboxes (sim/protocol/events-inbox.ts); undefined elsewhere. */
  readonly events: EventsPublisher | undefined;

  /** aauth-latest: the mission_control_endpoint for people (sim/protocol/mission-control.ts). */
  readonly missionControl: MissionControlEndpoint;

  /** The people who administer this PS (the scenario's `administrators`; set by the world): told of every mission it approves. */
  administratorChannels: readonly PersonChannel[] = [];

  /**
   * A person's request to act on a mission, or the monitor's alarm, served
   * through the PS's queue like every other request (503 while down or
   * full). aauth-latest: through the mission_control_endpoint, which finds
   * the mission by the s256 named and acts only for its person, an
   * administrator or the PS's own monitor. Other profiles have no such
   * endpoint: the PS's console finds the mission by the s256 named (oauth:
   * the client consented to) and acts for whoever names it; the monitor's
   * alarm is a governance call naming the mission's handle.
   */
  control(request: ControlRequest, reply: (answer: ControlAnswer) => void): void {
    this.serve(
      () => reply(this.controls.carry(request)),
      () => reply({ status: 'unavailable', retryAfter: this.pollInterval }),
    );
  }

  /** -11 and later: mission updates and agent-proposed completion (sim/protocol/mission-update.ts). */
  readonly updates: MissionUpdates;

  /**
   * -11 and later: the agent proposes an update of its own mission. A
   * sub-agent's (-11, parent-mediated) is its parent's request: the mission
   * it updates is the signer's, the one its parent acts under.
   */
  proposeUpdate(agent: string, description: string, agentToken?: Token, parentToken?: Token): void {
    const record = this.missionsByAgent.get(parentToken?.agent ?? agent);
    this.serve(
      () => {
        const credential = this.signers.refusesSigners(agentToken, parentToken);
        if (credential !== null) return this.signers.refuseCredential(agent, 'update', credential, () => undefined);
        if (!record || !this.profile.missionUpdates) {
          this.ctx.record('mission.update_refused', record?.s256 ?? null, this.actor, { agent, reason: 'mission_not_found' });
          return;
        }
        this.updates.proposeUpdate(record, description, () => undefined, parentToken === undefined ? undefined : agent);
      },
      () => undefined,
    );
  }

  /** The person cancels the mission. */
  cancel(agent: string): void {
    this.endings.cancel(agent);
  }

  /** At the end of a run: a session block over every mission's events not yet sealed. */
  sealAll(): void {
    for (const record of [...this.retired, ...this.missionsByAgent.values()]) {
      if (record.s256 !== null) this.ctx.sealMission(record.s256, this.actor);
    }
  }

  /** The person pauses the mission (terminate-only profiles: terminate, and re-propose on resume). */
  suspend(agent: string): void {
    this.endings.suspend(agent);
  }

  /** The person resumes the mission. Terminate-only profiles: the agent may re-propose; aauth-latest pushes that to its inbox, elsewhere it learns it at its next poll (pollResume). */
  resume(agent: string): void {
    if (this.endings.resume(agent)) this.events?.missionResumed(this.missionsByAgent.get(agent)?.s256 ?? null, agent);
  }

  private readonly retired: MissionRecord[] = [];

  /** Every request goes through the door: queued, or 503 while down or full. */
  private serve(work: () => void, unavailable: () => void): void {
    this.door.serve(work, unavailable);
  }
}
