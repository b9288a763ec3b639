import type { ProcessBody, Signal } from '../engine/process.ts';
import type { RandomState, Rng } from '../engine/random.ts';
import type { CompiledAgent, ProposedMission } from '../scenario/compile.ts';
import type { AgentDef } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { Link, Network, Outgoing } from './network.ts';
import type { PersonChannel } from './person-channel.ts';
import type { AgentFacingEndpoints } from './ps-endpoints.ts';
import type { Profile } from './profiles.ts';
import type { MissionHeader, ResourceAnswer, ResourceEndpoint } from './resource-messages.ts';
import type { WireSightings } from './wire-sightings.ts';
import type { ProviderMissions } from './provider-missions.ts';
import { AgentAttack } from './agent-attack.ts';
import type { Token } from './tokens.ts';
import { AgentProvider } from './agent-provider.ts';
import { agentKeyThumbprint } from './agent-keys.ts';
import type { Drift } from './drift.ts';
import { NoAnswer } from './retrying-request.ts';
import { governanceStep, performGovernance, type GovernanceStep } from './governance-step.ts';
import { governanceViaParent } from './sub-agent-governance.ts';
import { isClassRefusal, type ClassAttackReport } from './mission-class.ts';
import { type PlannedStep, plannedDrift, sharedPlannedStep } from './planned-step.ts';
import { type StepOutcome, StepSlot, TokenHolders } from './step-slot.ts';
import { FailoverRuntime, type Prologue } from './agent-failover.ts';
import { ResourceCall, type ResourceCaller } from './resource-call.ts';

/** How often an agent re-tries an operation whose token was refused before giving up on it. */
const MAX_ATTEMPTS = 4;

/**
 * An agent runtime following its plan: each step called with the token it
 * holds, asking for another when it has none that will last, keeping it
 * until it expires, and stopping when its mission is gone. The rest of the
 * agent is in the classes it extends, one concept each: its runtimes'
 * start, crash and take-over (agent-failover.ts), getting its tokens
 * (agent-tokens.ts), its place in a delegation tree (agent-delegation.ts),
 * proposing its mission (agent-proposal.ts) and coming back after a pause
 * under a terminate-only profile (agent-pause.ts). What stays here runs for
 * nearly every event: the plan, and the calls of its resources.
 */
export class Agent extends FailoverRuntime implements ResourceCaller {
  override readonly actor: string;
  /** Its own random stream (think times), drawn through `thinkTimeDraws`. */
  private readonly random: RandomState;
  /** The plan as followed: a slot per step that calls a resource (its tokens and link, step-slot.ts), and the governance steps. */
  private readonly steps: Array<StepSlot | GovernanceStep>;
  /** Auth tokens by step key; a `token_cache: shared` runtime holds its provider's cache for the identity it presents (shareTokensOf). */
  protected tokens: TokenHolders;
  /** aauth-r11: person tokens by resource id and mission (a step's `personKey`). */
  protected readonly personTokens: TokenHolders;
  protected readonly provider: AgentProvider;
  protected mission: string | null = null;
  /** The PS that approved the mission (r01's AAuth-Mission `approver`), from the approval or delegation answer. */
  protected approver = '';

  constructor(
    ctx: ActorContext,
    compiled: CompiledAgent,
    profile: Profile,
    protected readonly network: Network,
    protected readonly ps: AgentFacingEndpoints,
    person: PersonChannel,
    resources: ReadonlyMap<string, ResourceEndpoint>,
    /** Only for a runtime the scenario injected as another class's intruder: what it tells the oracle (write-only). */
    protected readonly classAttack?: ClassAttackReport,
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
  protected readonly agentId: string;
  protected readonly startUs: number;
  /** A root agent's mission as it proposes it. */
  protected readonly proposal: ProposedMission | undefined;
  /** A second mission it holds at the same time (proposeConcurrent). */
  protected readonly concurrentProposal: ProposedMission | undefined;
  /** What this agent does as an attacker, if the scenario makes it one (issue 17 item 3); an honest agent has none. */
  protected readonly attack: AgentAttack | undefined;

  private readonly drift: Drift<PlannedStep>;
  /** -11: what this agent does as a parent with its sub-agents' requests (`sub_agents`). */
  protected readonly subAgentPolicy: CompiledAgent['subAgentPolicy'];

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
  protected *runtimeBody(prologue: Prologue | undefined): ProcessBody {
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

  /** This agent's links, kept so that a request looks nothing up in the network's table of every sender. */
  private links: Outgoing | undefined;
  protected linkTo(peer: string): Link {
    this.links ??= this.network.outgoing(this.actor);
    return this.links.to(peer);
  }

  protected callResource(slot: StepSlot, token: Token | undefined): Signal<ResourceAnswer> {
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
  protected presented(step: PlannedStep): MissionHeader | undefined {
    const own = this.mission === null ? undefined : { approver: this.approver, s256: this.mission };
    const [mine, other] = step.under === 'concurrent' ? [this.concurrent, own] : [own, this.concurrent];
    return this.attack ? this.attack.presented(mine, other, this.approver) : mine;
  }
}

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
