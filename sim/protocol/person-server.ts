import type { CompiledPersonServer } from '../scenario/compile.ts';
import type { Rng } from '../engine/random.ts';
import type { IntentDef, PersonServerDef, Scenario } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { OpFacts } from '../authority/envelope.ts';
import type { Decision, MissionAuthority } from '../authority/model.ts';
import { GovernanceEndpoints, type ActionRef } from './governance-endpoints.ts';
import { opFacts, type OperationIndex, type ProposedMission } from '../authority/renderings.ts';
import { AuthorityDesk, type Hop } from './authority-desk.ts';
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
import type { AuthAnswer, CallDetails, DelegationAnswer, MissionAnswer, PersonTokenAnswer, ResumeAnswer } from './ps-messages.ts';
import type { RevocationTarget } from './revocation-target.ts';
import type { TokenStatus } from './token-status.ts';
import { TokenIssuer, type Token } from './tokens.ts';
import { drains, endedRefusal, isEnded } from '../lifecycle/states.ts';
import { Reproposals } from '../lifecycle/reproposal.ts';
import { MissionEndings } from '../lifecycle/endings.ts';
import { MissionClasses } from './mission-class.ts';
import { missionBudget, type MissionBudget } from './mission-budget.ts';
import { AuthTokenEndpoint } from './auth-token-endpoint.ts';
import { MissionApprovals } from './mission-approval.ts';
import { ControlCarrier } from './control-carrying.ts';
import { PersonTokenEndpoint } from './person-token-endpoint.ts';
import { MissionProposals } from './mission-proposal.ts';
import { namedPartiesRefusal, subAgentRefusal } from './parent-mediation.ts';

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
    this.governance = new GovernanceEndpoints(ctx, this.actor, {
      pollIntervalUs: this.pollInterval,
      serve: (work, unavailable) => this.serve(work, unavailable),
      activeMission: (agent, mission) => this.activeMission(agent, mission),
      judge: (agent, mission, action) => this.judge(agent, mission, action),
      refusesAgentToken: (agent, agentToken, parentToken) => {
        const credential = this.refusesSigners(agentToken, parentToken);
        if (credential !== null) this.refuseCredential(agent, 'governance', credential, () => undefined);
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
      },
      {
        missionsByAgent: this.missionsByAgent,
        byS256: (s256) => this.missionsByS256.get(s256),
        belongsTo: (record, agent) => this.belongsTo(record, agent),
        serve: (work, unavailable) => this.serve(work, unavailable),
        refuseCredential: (agent, endpoint, reason, answer) => this.refuseCredential(agent, endpoint, reason, answer),
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
      subAgentRefusal: (own: Token | undefined, parent: Token | undefined) => this.subAgentRefusal(own, parent),
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
  }

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

  /**
   * The mission a governance request names, for the governance endpoints:
   * found by its s256 if it is this agent's ("not found" and "not yours"
   * answer alike); a request naming none is the agent's consent (OAuth).
   */
  private namedMission(agent: string, mission: string | null): MissionRecord | undefined {
    if (mission === null) return this.profile.missions ? undefined : this.recordOf(agent);
    const record = this.missionsByS256.get(mission);
    return record && this.belongsTo(record, agent) ? record : undefined;
  }

  /** The active mission a governance request names. */
  private activeMission(agent: string, mission: string | null): { s256: string | null; person: PersonChannel } | { refusal: string } {
    const record = this.namedMission(agent, mission);
    if (!record || record.state === 'pending') return { refusal: 'mission_not_found' };
    if (record.state !== 'active') return { refusal: `mission ${record.state}` };
    return { s256: record.s256, person: record.person };
  }

  /** This PS's authority decision on an action, judged as a token request for it would be. */
  private judge(agent: string, mission: string | null, action: ActionRef): { verdict: Decision; facts: OpFacts; approved: OpFacts[] } {
    const record = this.namedMission(agent, mission) as MissionRecord; // activeMission found it
    const ownHop = this.desk.hop(agent);
    const hop = ownHop && ownHop.root === record.agent ? ownHop : (this.desk.hop(record.agent) as Hop);
    const facts = opFacts(this.desk.ops, action.resource, action.operation, action.args, action.stage, hop.depth);
    // The approved scope as the person sees it: each entry with its operation's published class and action.
    const approved = [...record.scope].map((entry) =>
      opFacts(this.desk.ops, entry.slice(0, entry.indexOf('/')), entry.slice(entry.indexOf('/') + 1), undefined, undefined, 0),
    );
    return { verdict: this.desk.authorize(record.authority as MissionAuthority, hop, facts), facts, approved };
  }

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
  requestPersonToken(
    agent: string,
    resource: string,
    mission: string | null,
    reply: (answer: PersonTokenAnswer) => void,
    agentToken?: Token,
    parentToken?: Token,
  ): void {
    this.door.admit(this.personTokens.request(agent, resource, mission, reply, agentToken, parentToken));
  }

  /**
   * A sub-agent asks to act under its parent's mission with a narrower
   * grant. The PS mints the hop or refuses it (depth cap; at-mint: child
   * grant not inside the parent's), and records both in the mission log.
   */
  requestDelegation(
    parent: string,
    child: string,
    task: string,
    grant: IntentDef | undefined,
    reply: (answer: DelegationAnswer) => void,
    agentToken?: Token,
    parentToken?: Token,
  ): void {
    this.serve(
      () => {
        // Parent-mediated (-11): the parent signs with its agent token; the sub-agent's own token comes with it.
        const now = this.ctx.sim.now;
        const credential =
          this.agentTokens.refusesAgentToken(parentToken, now) ??
          this.agentTokens.refusesAgentToken(agentToken, now) ??
          this.subAgentRefusal(agentToken, parentToken) ??
          (this.profile.parentMediated ? namedPartiesRefusal(parent, child, parentToken, agentToken) : null);
        if (credential !== null) return this.refuseCredential(parent, 'delegation', credential, () => reply({ status: 'rejected', reason: credential }));
        const record = this.recordOf(parent);
        if (!record || !this.desk.hop(parent) || record.state === 'pending') return reply({ status: 'pending', retryAfter: this.pollInterval });
        if (isEnded(record.state)) return reply({ status: 'rejected', reason: endedRefusal(record.state) });
        // -11: the request is signed by the parent (its agent token); the log names the signer.
        const refusal = this.desk.mint(record.s256, parent, child, task, grant, parentToken?.agent);
        if (refusal === null) this.classes?.minted(record.s256, child, agentToken);
        reply(refusal === null ? { status: 'granted', s256: record.s256, approver: this.approver } : { status: 'rejected', reason: refusal });
      },
      // Down: 503 with its Retry-After (not a 202: nothing was deferred, the request was not read).
      () => reply({ status: 'unavailable', retryAfter: this.pollInterval }),
    );
  }

  /** Whether `agent` acts under the mission: its own, or a hop this PS minted in its tree. */
  private belongsTo(record: MissionRecord, agent: string): boolean {
    return (record.owner ?? record.agent) === agent || this.desk.hop(agent)?.root === record.agent;
  }

  /** The agent tokens presented to this PS and those their providers revoked at it (sim/protocol/agent-token-revocation.ts). */
  private readonly agentTokens: AgentTokenRevocations;

  /**
   * Revocation endpoint, agent tokens (-10 and later): the agent provider
   * revokes one, naming it by its (iss, jti) (and exp). The PS denies every
   * later request presenting it (refusesAgentToken), and revokes the live
   * auth tokens it issued or provided for that agent at their resources (as
   * for a terminated mission). It knows which agent that is only if the
   * token was presented to it before; otherwise it revokes nothing more.
   * The mission itself stays active.
   */
  revokeAgentToken(notice: AgentTokenRevocationNotice, reply: (answer: AgentTokenRevocationAnswer) => void): void {
    if (!this.profile.agentTokenRevocation) return reply({ status: 'revocation_unsupported' });
    this.serve(
      () => {
        const now = this.ctx.sim.now;
        const agent = this.agentTokens.revoke(notice, now);
        const record = agent === undefined ? undefined : this.recordOf(agent);
        const forAgent = (token: Token) => token.agent === agent && token.kind === 'auth';
        const under = record ? record.outstanding.filter((token) => forAgent(token) && token.exp > now) : [];
        this.ctx.record('agent_token.revoked', record?.s256 ?? null, this.actor, {
          agent: agent ?? null,
          iss: notice.iss,
          jti: notice.jti,
          ...(notice.exp !== undefined ? { exp: notice.exp } : {}),
          revoked_tokens: under.map((token) => token.jti),
        });
        if (record && under.length > 0) {
          record.outstanding = record.outstanding.filter((token) => !forAgent(token));
          this.revocations.revokeMission(record, under, false);
        }
        reply({ status: 200 });
      },
      // Down: 503 with its Retry-After, the interval this PS gives every caller it asks to come back.
      () => reply({ status: 503, retryAfter: this.pollInterval }),
    );
  }

  /**
   * -11 (parent-mediated profiles): a request signed by a sub-agent is
   * refused, and a parent's request must be for its own sub-agent
   * (sim/protocol/parent-mediation.ts). `own` is the agent token the
   * request carries for its agent; `parent`, the parent's that signs it.
   */
  private subAgentRefusal(own: Token | undefined, parent: Token | undefined): string | null {
    if (!this.profile.parentMediated) return null;
    return parent === undefined ? subAgentRefusal(own, undefined) : subAgentRefusal(parent, own);
  }

  /**
   * The credential checks of a governance request or mission update: the
   * agent token presented (revoked, expired), and under -11 the parent's
   * that signs a sub-agent's request, with the parent binding; a sub-agent
   * signing its own is refused (its parent must relay it). Null: none refuses.
   */
  private refusesSigners(agentToken: Token | undefined, parentToken: Token | undefined): string | null {
    const now = this.ctx.sim.now;
    return (
      (parentToken === undefined ? null : this.agentTokens.refusesAgentToken(parentToken, now)) ??
      this.agentTokens.refusesAgentToken(agentToken, now) ??
      this.subAgentRefusal(agentToken, parentToken)
    );
  }

  /** A request refused for its credentials (a revoked or expired agent token; -11, a signer or named parties that do not fit): logged, then answered as refused. */
  private refuseCredential(agent: string, endpoint: 'mission' | 'delegation' | 'update' | 'governance', reason: string, answer: () => void): void {
    this.ctx.record('agent_token.refused', this.recordOf(agent)?.s256 ?? null, this.actor, { agent, endpoint, reason });
    answer();
  }

  /** Introspection for resources that check status per request (not in AAuth; a design to compare). */
  tokenActive(jti: string, mission: string | null, agent: string | undefined): boolean {
    // A token with no mission is found by the agent it names; a -11 token names none (`agent` undefined).
    const record = mission === null ? (agent === undefined ? undefined : this.recordOf(agent)) : this.missionsByS256.get(mission);
    if (!record || record.s256 !== mission) return false;
    // A completed or timed-out mission's tokens may finish their work: only those endings leave them active.
    return (record.state === 'active' || drains(record.state)) && record.outstanding.some((token) => token.jti === jti);
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
        const credential = this.refusesSigners(agentToken, parentToken);
        if (credential !== null) return this.refuseCredential(agent, 'update', credential, () => undefined);
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
