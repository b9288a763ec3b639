import { Interrupt, startProcess, type Process, type ProcessBody, type Signal } from '../engine/process.ts';
import type { RandomState, Rng } from '../engine/random.ts';
import type { CompiledAgent, ProposedMission } from '../scenario/compile.ts';
import type { AgentDef } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { Link, Network, Outgoing } from './network.ts';
import type { PersonChannel } from './person-channel.ts';
import type { AgentFacingEndpoints } from './ps-endpoints.ts';
import type { AuthAnswer, DelegationAnswer } from './ps-messages.ts';
import type { Profile } from './profiles.ts';
import type { MissionHeader, ResourceAnswer, ResourceEndpoint } from './resource-messages.ts';
import type { WireSightings } from './wire-sightings.ts';
import type { ProviderMissions } from './provider-missions.ts';
import { AgentAttack } from './agent-attack.ts';
import type { Token } from './tokens.ts';
import { AgentProvider } from './agent-provider.ts';
import { agentKeyThumbprint } from './agent-keys.ts';
import type { Drift } from './drift.ts';
import { isAgentTokenRefusal } from './agent-token-revocation.ts';
import { NoAnswer, retryingRequest } from './retrying-request.ts';
import { governanceStep, performGovernance, type GovernanceStep } from './governance-step.ts';
import { governanceViaParent, type ParentRoute } from './sub-agent-governance.ts';
import { refusedByParent, ViaParent } from './via-parent.ts';
import { isClassRefusal, type ClassAttackReport } from './mission-class.ts';
import { SubAgentMediator, type ParentEndpoint } from './parent-mediation.ts';
import { type PlannedStep, plannedDrift, sharedPlannedStep } from './planned-step.ts';
import { type StepOutcome, StepSlot, TokenHolders } from './step-slot.ts';
import { ProposingRuntime } from './agent-proposal.ts';
import { ResourceCall, type ResourceCaller } from './resource-call.ts';

/** How a runtime starts (proposal, delegation or take-over): true if it goes on to follow the plan. */
type Prologue = ProcessBody<boolean>;

/** How often an agent re-tries an operation whose token was refused before giving up on it. */
const MAX_ATTEMPTS = 4;

/**
 * An agent runtime: proposes its mission (agent-proposal.ts), then follows
 * its plan, asking for tokens when it has none that will last, keeping them
 * until they expire, and stopping when its mission is gone (and, under a
 * terminate-only profile, coming back after a pause: agent-pause.ts).
 */
export class Agent extends ProposingRuntime implements ResourceCaller {
  override readonly actor: string;
  /** Its own random stream (think times), drawn through `thinkTimeDraws`. */
  private readonly random: RandomState;
  /** The plan as followed: a slot per step that calls a resource (its tokens and link, step-slot.ts), and the governance steps. */
  private readonly steps: Array<StepSlot | GovernanceStep>;
  /** Auth tokens by step key; a `token_cache: shared` runtime holds its provider's cache for the identity it presents (shareTokensOf). */
  protected tokens: TokenHolders;
  /** aauth-r11: person tokens by resource id and mission (a step's `personKey`). */
  protected readonly personTokens: TokenHolders;
  private readonly provider: AgentProvider;
  private agentToken: Token | undefined;
  protected mission: string | null = null;
  /** The PS that approved the mission (r01's AAuth-Mission `approver`), from the approval or delegation answer. */
  protected approver = '';

  constructor(
    ctx: ActorContext,
    compiled: CompiledAgent,
    profile: Profile,
    private readonly network: Network,
    protected readonly ps: AgentFacingEndpoints,
    person: PersonChannel,
    resources: ReadonlyMap<string, ResourceEndpoint>,
    /** Only for a runtime the scenario injected as another class's intruder: what it tells the oracle (write-only). */
    private readonly classAttack?: ClassAttackReport,
    /** What goes over the wire, as an eavesdropper sees it: agents post what they send; only an attacking agent reads it. */
    protected readonly sightings?: WireSightings,
    /** What its agent provider knows of its runtimes' missions (seed 002's members join the mission from here). */
    protected readonly providerMissions?: ProviderMissions,
  ) {
    super(ctx, profile, person);
    const def = compiled.def;
    this.def = def;
    this.agentId = def.acts_under ?? def.id;
    this.startUs = compiled.startUs;
    this.proposal = compiled.mission;
    this.concurrentProposal = compiled.concurrentMission;
    this.subAgentPolicy = compiled.subAgentPolicy;
    this.attack = def.attack === undefined ? undefined : new AgentAttack(ctx, def.id, def.attack, sightings);
    this.actor = `agent:${def.id}`;
    this.random = ctx.streamState(this.actor);
    this.provider = new AgentProvider(ctx, profile, def, compiled.runtimeClass);
    // Sized to the plan: a plan's keys are at most its steps (step-slot.ts).
    this.tokens = new TokenHolders('authToken', compiled.plan.length);
    this.personTokens = new TokenHolders('personToken', compiled.plan.length);
    this.steps = compiled.plan.map((step) => governanceStep(step) ?? new StepSlot(sharedPlannedStep(step, resources), this.tokens, this.personTokens));
    this.drift = plannedDrift(compiled, resources, ctx, this.actor);
  }

  override readonly def: Readonly<AgentDef>;
  /** The agent identity on the wire: its own id, or (acts_under) the agent whose mission it acts under. */
  private readonly agentId: string;
  private readonly startUs: number;
  /** A root agent's mission as it proposes it. */
  protected readonly proposal: ProposedMission | undefined;
  /** A second mission it holds at the same time (proposeConcurrent). */
  private readonly concurrentProposal: ProposedMission | undefined;
  /** What this agent does as an attacker, if the scenario makes it one (issue 17 item 3); an honest agent has none. */
  private readonly attack: AgentAttack | undefined;

  private readonly drift: Drift<PlannedStep>;
  /** -11: what this agent does as a parent with its sub-agents' requests (`sub_agents`). */
  private readonly subAgentPolicy: CompiledAgent['subAgentPolicy'];

  start(): void {
    this.run(this.live());
  }

  /** The runtime now executing the agent (seed 002: one of the interchangeable runtimes of its class). */
  private runtime = 1;
  /** The plan step in progress: the checkpoint a replacement runtime resumes from. */
  private position = 0;
  private running = false;

  private get runtimeId(): string {
    return `${this.def.id}#${this.runtime}`;
  }

  /** The running runtime's process (a crash interrupts it). */
  private process: Process | undefined;

  /** Runs a runtime as a process: its start (`prologue`), then, unless that said stop, the plan from the checkpoint. */
  private run(prologue: Prologue): void {
    this.running = true;
    this.mediating?.restarted();
    this.process = startProcess(this.ctx.sim, this.runtimeBody(prologue));
    this.process.then(ignore, endedByCrash);
  }

  /**
   * What every runtime does: its start (`prologue`), then, unless that said
   * stop, the plan from the checkpoint (then from the start again, if it
   * repeats). The plan runs in this generator itself, and so does the call
   * of a step whose token is held (nearly every step): the engine resumes
   * one generator per answer, not three (a step that must first obtain a
   * token goes through `perform`). A request that went unanswered on every
   * attempt (lossy network) is thrown in as NoAnswer where it waited, and
   * the agent gives up. A crash's Interrupt passes through (the runtime is
   * gone; a newer one runs).
   */
  private *runtimeBody(prologue: Prologue | undefined): ProcessBody {
    try {
      const follows = yield* prologue as Prologue;
      // Let go of the finished prologue: this frame would otherwise keep it for the whole plan (about 170 B per agent).
      prologue = undefined;
      let first = this.position;
      // Leave this loop by `break plan`, never by `return`: `running` is cleared after the try.
      plan: while (follows) {
        for (let index = first; index < this.steps.length; index++) {
          this.position = index;
          const planned = this.steps[index] as StepSlot | GovernanceStep;
          if (planned.at !== undefined) yield Math.max(0, planned.at - this.ctx.sim.now);
          if (planned.after !== undefined) yield planned.after.sample(thinkTimeDraws(this.random));
          if ('kind' in planned) {
            yield* this.govern(planned);
            continue;
          }
          const actuals = this.drift.steps(planned.step, this.ctx.sim.now, planned.step.alone);
          for (let i = 0; i < actuals.length; i++) {
            // A drift step that is not the plan's gets a slot of its own (its tokens are by key: the plan's slots hold them).
            const actual = actuals[i] === planned.step ? planned : new StepSlot(actuals[i] as PlannedStep, this.tokens, this.personTokens, false);
            const held = this.tokenForFirstCall(actual);
            // Held: the first attempt is this call; refused (expired or revoked), perform asks for another as its second.
            let outcome = held === undefined ? undefined : this.outcomeOf(actual, yield this.call(actual, held));
            outcome ??= yield* this.perform(actual, held === undefined ? 0 : 1);
            if (outcome === 'stop' && !(yield* this.afterStop(actual))) break plan;
          }
        }
        first = 0;
        if (!this.def.repeat) {
          this.finished();
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      this.ctx.record('agent.stopped', this.mission, this.actor, { reason: error.reason });
    }
    this.running = false;
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

  /**
   * A sub-agent: no mission of its own; its parent's PS mints (or refuses)
   * the hop. -11 (parentMediated): it asks its parent runtime, which asks
   * the PS and relays the answer (viaParent). Elsewhere it asks the PS
   * itself. False if refused.
   */
  private *delegate(): ProcessBody<boolean> {
    let hop: DelegationAnswer = yield* this.askForHop();
    // A deferral (202) and an outage (503) are both waited out, after the Retry-After each carries.
    while (hop.status === 'pending' || hop.status === 'unavailable') {
      yield hop.retryAfter;
      hop = yield* this.askForHop();
    }
    if (hop.status === 'rejected') {
      this.ctx.record('agent.stopped', null, this.actor, { reason: `delegation refused: ${hop.reason}` });
      return false;
    }
    this.actUnder(hop.s256, hop.approver);
    return true;
  }

  private *askForHop(): ProcessBody<DelegationAnswer> {
    const parent = this.def.parent as string;
    const task = this.def.task ?? '';
    if (this.mediated) {
      const hop = () => ({ kind: 'hop' as const, child: this.def.id, task, grant: this.def.grant, subagentToken: this.signingToken() });
      return yield* this.viaParent.ask<DelegationAnswer>(this.mission, hop, (reason: string) => ({ status: 'rejected', reason }));
    }
    const own = this.signingToken();
    return yield this.callPs((reply: (answer: DelegationAnswer) => void) => this.ps.requestDelegation(parent, this.def.id, task, this.def.grant, reply, own));
  }

  /** -11: this sub-agent's requests to its PS go through its parent runtime (wired by the world under parent-mediated profiles). */
  private get mediated(): boolean {
    return this.profile.parentMediated === true && this.parent !== undefined;
  }

  /** -11: the way to its PS through its parent runtime (made on a mediated sub-agent's first request). */
  private get viaParent(): ViaParent {
    this.toParent ??= new ViaParent(this.ctx, this.network, this.parent as ParentEndpoint, this.actor, this.def.parent as string);
    return this.toParent;
  }

  /** -11: the sub-agent's governance route, through its parent. */
  private get parentRoute(): ParentRoute {
    return this.viaParent.route(this.mission);
  }

  private toParent: ViaParent | undefined;

  /** The plan has ended (and does not repeat); with `complete_at_plan_end` the agent tells its PS. */
  private finished(): void {
    this.ctx.record('agent.finished', this.mission, this.actor, {});
    if (this.proposal?.complete_at_plan_end) this.network.send(this.actor, this.ps.actor, () => this.ps.complete(this.def.id, 'plan'), undefined);
  }

  /**
   * A governance step of the plan. Its own method (as is `finished`) so
   * that runtimeBody, which lives as long as the agent, makes no closure
   * and so holds no context object.
   */
  private *govern(step: GovernanceStep): ProcessBody {
    // -11: a sub-agent's governance requests and updates go through its parent, as its token requests do.
    if (this.mediated) yield* governanceViaParent(this.parentRoute, this.agentId, this.mission, step, () => this.signingToken());
    else yield* performGovernance(this.ctx, this.network, this.ps, this.agentId, this.mission, step, () => this.signingToken());
  }

  /**
   * A step from attempt `first` on: with the token held, or one obtained
   * (challenge, person token, auth token), up to MAX_ATTEMPTS calls. The
   * first attempt with a held token is made by runtimeBody itself.
   */
  protected *perform(slot: StepSlot, first: number): ProcessBody<StepOutcome> {
    for (let attempt = first; attempt < MAX_ATTEMPTS; attempt++) {
      if (this.endedByEvent) return 'stop';
      let token = this.heldToken(slot.auth.authToken);
      if (!token) {
        const obtained = yield* this.obtainToken(slot);
        if (obtained === 'waited') {
          attempt--; // an outage or a suspension was waited out: not counted against the step
          continue;
        }
        if (typeof obtained === 'string') return obtained;
        // An inbox event may have ended the mission while the token was on its way: nothing more goes out under it.
        if (this.endedByEvent) return 'stop';
        token = obtained;
      }
      const outcome = this.outcomeOf(slot, yield this.call(slot, token));
      if (outcome !== undefined) return outcome;
    }
    return 'skipped';
  }

  /**
   * The token runtimeBody calls a step with on its own: the one held, unless
   * the mission was ended by an event (then perform stops the step). Undefined
   * sends the step to perform from its first attempt, which makes the same
   * call (test/sim/protocol/agent-held-step.test.ts checks the logs agree).
   */
  private tokenForFirstCall(slot: StepSlot): Token | undefined {
    return this.endedByEvent ? undefined : this.heldToken(slot.auth.authToken);
  }

  /**
   * The resource's answer to a call with an auth token: the step's outcome,
   * or undefined if the token was refused (expired or revoked), which is
   * then dropped so that the next attempt asks for another.
   */
  private outcomeOf(slot: StepSlot, answer: ResourceAnswer): StepOutcome | undefined {
    if (answer.status === 'rejected' && isClassRefusal(answer.reason))
      this.classAttack?.answered(slot.step.resource.actor, 'request.rejected', false, answer.reason);
    if (answer.status === 'done') {
      this.classAttack?.executed();
      return 'done';
    }
    // Recalled, or blocked at a release gate: asking again would only meet the same fate.
    if (answer.status === 'recalled' || answer.status === 'blocked') return 'skipped';
    slot.auth.authToken = undefined; // expired or revoked: ask again
    return undefined;
  }

  /** A call with an auth token (a shared cache's too), signed with the runtime's own agent token: issued before its first step, so renewing here is a guard. */
  private call(slot: StepSlot, token: Token): Signal<ResourceAnswer> {
    if (this.agentToken === undefined) this.renewAgentToken();
    return this.callResource(slot, token);
  }

  /**
   * No token held for the step: the call without one is challenged
   * (aauth-r11: first for a person token), and the agent asks its PS (or,
   * -11, its parent) for the auth token. The token, the step's outcome if
   * it ends here, or 'waited' once a refusal that passes (an outage, a
   * suspended mission) was waited out.
   */
  private *obtainToken(slot: StepSlot): ProcessBody<Token | StepOutcome | 'waited'> {
    const step = slot.step;
    let challenge: ResourceAnswer = yield this.callResource(slot, undefined);
    if (challenge.status === 'person_required') {
      if (this.cannotSign()) return 'stop';
      const agentToken = this.signingToken();
      const named = this.presented(step)?.s256 ?? null;
      // -11: a sub-agent's person token is its parent's request (`subagent_token`); its cnf is still the sub-agent's key.
      const issued: AuthAnswer = this.mediated
        ? yield* this.viaParent.ask<AuthAnswer>(
            this.mission,
            () => ({ kind: 'person_token', child: this.agentId, resource: step.resource.id, mission: named, subagentToken: this.signingToken() }),
            refusedByParent,
          )
        : yield this.callPs((reply) => this.ps.requestPersonToken(this.agentId, step.resource.id, named, reply, agentToken));
      this.answered(issued, 'person');
      if (!issued.granted) {
        if (issued.final) return 'stop';
        if (issued.reason !== 'ps unavailable') return 'skipped';
        yield issued.retryAfter ?? OWN_RETRY_US; // an outage is waited out, as for auth tokens
        return 'waited';
      }
      slot.person.personToken = issued.token;
      challenge = yield this.callResource(slot, undefined);
    }
    if (challenge.status !== 'unauthorized') return 'skipped';
    if (this.cannotSign()) return 'stop';
    const agentToken = this.signingToken() as Token;
    const call = { args: step.args, stage: step.stage, signer: this.agentId, mission: this.presented(step)?.s256 ?? null, agentToken };
    const captured = this.attack?.capturedResourceToken();
    // A replay of another agent's resource token goes first; its answer teaches the attacker nothing it acts on.
    if (captured) {
      const replayed: AuthAnswer = yield this.callPs((reply) => this.ps.requestAuthToken(captured, agentToken.exp, reply, call));
      this.attack?.answeredReplay(this.ps.actor, replayed.granted, replayed.granted ? 'accepted' : replayed.reason);
    }
    this.sightings?.resourceTokenSent(this.def.id, challenge.resourceToken);
    // -11: the sub-agent hands its resource token to its parent, which asks for the auth token (bound to the sub-agent's key).
    const { agentToken: _own, ...details } = call;
    const auth: AuthAnswer = this.mediated
      ? yield* this.viaParent.ask<AuthAnswer>(
          this.mission,
          () => ({ kind: 'auth_token', child: this.agentId, resourceToken: challenge.resourceToken, call: details, subagentToken: this.signingToken() }),
          refusedByParent,
        )
      : yield this.callPs((reply) => this.ps.requestAuthToken(challenge.resourceToken, agentToken.exp, reply, call));
    // A replay of its own resource token: the same token presented again once it has been answered.
    if (this.attack?.replaysOwn()) {
      const replayed: AuthAnswer = yield this.callPs((reply) => this.ps.requestAuthToken(challenge.resourceToken, agentToken.exp, reply, call));
      this.attack?.answeredReplay(this.ps.actor, replayed.granted, replayed.granted ? 'accepted' : replayed.reason);
    }
    this.answered(auth, 'auth');
    if (!auth.granted) {
      if (auth.final) return 'stop';
      if (auth.reason === 'mission suspended' || auth.reason === 'ps unavailable') {
        // A suspended mission or a PS outage is waited out (after the answer's Retry-After).
        yield auth.retryAfter ?? OWN_RETRY_US;
        return 'waited';
      }
      return 'skipped';
    }
    slot.auth.authToken = auth.token;
    return auth.token;
  }

  /** The provider revokes the runtime's agent token, and issues it no other (AgentProvider.revoke). */
  revokeAgentToken(): void {
    if (!this.agentToken || this.provider.revoked) return;
    this.provider.revoke(this.network, this.ps, this.agentToken);
  }

  /**
   * The agent token a PS request is signed with: the provider issues a new
   * one once the last has expired, unless it revoked it (then it issues
   * none, and the expired token is all the runtime has: see cannotSign).
   */
  signingToken(): Token | undefined {
    if (this.agentToken === undefined || this.agentToken.exp <= this.ctx.sim.now) this.renewAgentToken();
    return this.agentToken;
  }

  /**
   * The provider revoked the agent token and it has now expired: no PS
   * would accept a request signed with it and no other will come, so the
   * runtime stops (reason `expired_agent_token`) instead of asking.
   */
  private cannotSign(): boolean {
    if (!this.provider.revoked || (this.agentToken?.exp ?? 0) > this.ctx.sim.now) return false;
    this.credentialRefusal = 'expired_agent_token';
    return true;
  }

  /** Why the runtime can no longer act: its agent token was refused by the PS, or expired with none to follow. */
  protected credentialRefusal: string | undefined;

  /** -11, parent-mediated sub-agents: the parent runtime's endpoint, where this sub-agent sends its requests of the PS: hop, person and auth tokens, governance requests and updates (set by the world). */
  parent: ParentEndpoint | undefined;

  /** -11: this agent's side as a parent (made when a sub-agent is wired to it). */
  private mediating: SubAgentMediator | undefined;

  /** The endpoint this agent's sub-agents ask (-11): the parent answers from its own policy and its own PS requests. */
  get mediator(): ParentEndpoint {
    this.mediating ??= new SubAgentMediator(
      this.ctx,
      this.network,
      this.ps,
      this.agentId,
      this.actor,
      () => this.signingToken(),
      () => this.mission,
      this.subAgentPolicy,
    );
    return this.mediating;
  }

  /** A new agent token from the provider (none once it revoked one: the runtime keeps the one it has). */
  private renewAgentToken(): void {
    this.agentToken = this.provider.issueAgentToken() ?? this.agentToken;
  }

  /**
   * `token_cache: shared` (set by the world): the runtime uses its provider's
   * token cache for the agent identity it presents, the one `owner` (the
   * agent it acts under) fills. Same identity and `cnf`: only class tells the
   * runtimes apart, so only a resource that checks class refuses a token
   * scoped to another class (sim/protocol/resource.ts).
   */
  shareTokensOf(owner: Agent): void {
    this.tokens = owner.tokens;
    // Its slots were made with a cache of its own: they hold their auth tokens in the provider's instead.
    for (const slot of this.steps) if (!('kind' in slot)) slot.holdAuthTokensIn(owner.tokens);
  }

  /** A class refusal from the PS, kept as the reason the runtime stops (it can never become of the mission's class). */
  protected classRefusal: string | undefined;

  /** The PS answered a token request: a class refusal is remembered; an injected intruder of another class reports the answer to the oracle. */
  private answered(answer: AuthAnswer, token: 'auth' | 'person'): void {
    if (!answer.granted && answer.terminationReason !== undefined) this.endedReason = answer.terminationReason;
    if (!answer.granted && answer.final) this.finalRefusal = answer.reason;
    if (!answer.granted && isClassRefusal(answer.reason)) this.classRefusal = answer.reason;
    if (!answer.granted && isAgentTokenRefusal(answer.reason)) this.credentialRefusal = answer.reason;
    this.attack?.answered(this.ps.actor, token, answer.granted, answer.granted ? 'accepted' : answer.reason);
    if (!this.classAttack) return;
    const event =
      token === 'auth' ? (answer.granted ? 'token.auth_granted' : 'token.auth_denied') : answer.granted ? 'token.person_issued' : 'token.person_denied';
    this.classAttack.answered(this.ps.actor, event, answer.granted, answer.granted ? 'accepted' : answer.reason);
  }

  /**
   * A request to the PS. The body yields it and gets the answer back; when
   * every attempt went unanswered the signal fails, so NoAnswer is thrown at
   * that yield instead, which ends the runtime (see runtimeBody).
   */
  protected callPs<T>(invoke: (reply: (answer: T) => void) => void): Signal<T> {
    return retryingRequest(this.ctx, this.network, this.network.retry, this.linkTo(this.ps.actor), this.mission, invoke);
  }

  /** This agent's links, kept so that a request looks nothing up in the network's table of every sender. */
  private links: Outgoing | undefined;
  private linkTo(peer: string): Link {
    this.links ??= this.network.outgoing(this.actor);
    return this.links.to(peer);
  }

  private callResource(slot: StepSlot, token: Token | undefined): Signal<ResourceAnswer> {
    slot.link ??= this.linkTo(slot.step.resource.actor); // kept on the slot: no lookup by name on later steps
    return ResourceCall.send(this.ctx, this.network, this, slot, slot.link, token, this.mission);
  }

  /** A call of `slot` arriving at its resource (resource-call.ts): what it carries, read now, as a request built on delivery. */
  arriving(request: ResourceCall, slot: StepSlot): void {
    request.agent = this.agentId;
    request.ps = this.ps.actor;
    // r01: the AAuth-Mission header on requests that carry no auth token (an auth token carries the mission itself).
    request.mission = this.profile.missionBinding === 'header' && request.token === undefined ? this.presented(slot.step) : undefined;
    request.personToken = this.heldToken(slot.person.personToken);
    request.agentToken = this.agentToken;
    request.signatureKey = this.signatureKey();
  }

  /**
   * The thumbprint of the key its requests are signed with (their
   * Signature-Key), kept once known: the resource compares a key-bound
   * token's `cnf` with it, and a lookup in the table of every agent's key
   * on every call was about 1% of a large run.
   */
  private signatureKey(): string {
    this.keyThumbprint ??= agentKeyThumbprint(this.agentId);
    return this.keyThumbprint;
  }

  private keyThumbprint: string | undefined;

  /** A token held, unless it expires, or (r11) has less than refresh_before left: it is kept until then. */
  private heldToken(token: Token | undefined): Token | undefined {
    return token !== undefined && token.exp - this.ctx.sim.now > this.profile.refreshBefore ? token : undefined;
  }

  /** The mission the agent presents for a step: the one the step belongs to, unless it attacks (agent-attack.ts). */
  private presented(step: PlannedStep): MissionHeader | undefined {
    const own = this.mission === null ? undefined : { approver: this.approver, s256: this.mission };
    const [mine, other] = step.under === 'concurrent' ? [this.concurrent, own] : [own, this.concurrent];
    return this.attack ? this.attack.presented(mine, other, this.approver) : mine;
  }
}

function ignore(): void {}

/**
 * An agent's think time is drawn from its own stream through this one
 * function, as the network draws latencies (network.ts): a function bound
 * to each agent's stream was one more object to fetch at every step, cold
 * by then in a large world, and about 50 B per agent. A draw is
 * synchronous, so no other draw can come between.
 */
function thinkTimeDraws(stream: RandomState): Rng {
  drawing = stream;
  return drawNext;
}

let drawing: RandomState | undefined;
const drawNext: Rng = () => (drawing as RandomState).next();

/** The agent's own wait before asking again when a refusal it waits out names no Retry-After (a relayed one may not). */
const OWN_RETRY_US = 5_000_000;

/**
 * Seed 002: how often a joining runtime checks its provider's records for the mission its other runtime
 * holds (the provider's own bookkeeping, not the PS's; 5 s, the PS's default polling interval, so logs kept).
 */
const PROVIDER_MISSION_CHECK_US = 5_000_000;

/** A runtime's process failed: by a crash's Interrupt (expected), or by a bug, which stops the run. */
function endedByCrash(cause: unknown): void {
  if (!(cause instanceof Interrupt)) throw cause;
}
