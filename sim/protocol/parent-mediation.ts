import type { ActorContext } from '../context/actor-context.ts';
import type { CompiledSubAgentPolicy } from '../scenario/compile.ts';
import type { IntentDef } from '../scenario/schema.ts';
import type { Network } from './network.ts';
import type { AgentFacingEndpoints } from './ps-endpoints.ts';
import type { ActionRef, GovernanceAnswer } from './governance-endpoints.ts';
import type { AuthAnswer, CallDetails, DelegationAnswer } from './ps-messages.ts';
import { NoAnswer, retryingRequest } from './retrying-request.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { Token } from './tokens.ts';
import type { Signal } from '../engine/process.ts';

/**
 * -11's parent-mediated sub-agents (draft-hardt-oauth-aauth-protocol-11,
 * "Sub-Agents"): "A sub-agent MUST NOT call the PS directly. Instead, the
 * parent obtains auth tokens on the sub-agent's behalf", signing with its
 * own key and agent token, the sub-agent's agent token beside it
 * (`subagent_token`); "the parent retains control: it can refuse,
 * attenuate, or rate-limit". Here every request a sub-agent would make of
 * its PS (its hop, its person tokens, its auth tokens): the sub-agent
 * sends it to its parent runtime (a message over the network; IPC in the
 * draft's words), the parent applies its policy, asks its PS and relays
 * the answer (another message). The sub-agent holds only the parent's
 * endpoint below: nothing of the parent's state or tokens. Its governance
 * requests (permission, interaction and their polls; audit) and mission
 * updates are PS calls too, so they take the same route: the parent relays
 * them signed with its own agent token, the sub-agent's as
 * `subagent_token` beside it (the draft defines `subagent_token` on the
 * token endpoints only; carrying it on these is this project's reading of
 * "MUST NOT call the PS directly").
 */

/** What a sub-agent sends its parent: what it wants of the PS, and its own agent token (`subagent_token`). */
export type SubAgentRequest =
  | { readonly kind: 'hop'; readonly child: string; readonly task: string; readonly grant: IntentDef | undefined; readonly subagentToken: Token | undefined }
  | {
      readonly kind: 'person_token';
      readonly child: string;
      readonly resource: string;
      readonly mission: string | null;
      readonly subagentToken: Token | undefined;
    }
  | {
      readonly kind: 'auth_token';
      readonly child: string;
      readonly resourceToken: Token;
      readonly call: Omit<CallDetails, 'agentToken' | 'parentToken'>;
      readonly subagentToken: Token | undefined;
    }
  | {
      readonly kind: 'permission';
      readonly child: string;
      readonly mission: string | null;
      readonly action: ActionRef;
      readonly subagentToken: Token | undefined;
    }
  | {
      readonly kind: 'interaction';
      readonly child: string;
      readonly mission: string | null;
      readonly question: string;
      readonly subagentToken: Token | undefined;
    }
  | { readonly kind: 'governance_poll'; readonly child: string; readonly request: string; readonly subagentToken: Token | undefined };

/** What a sub-agent sends its parent and expects no answer to: an audit record, a mission update (fire-and-forget at the PS too). */
export type SubAgentNotice =
  | { readonly kind: 'audit'; readonly child: string; readonly mission: string | null; readonly action: string; readonly subagentToken: Token | undefined }
  | { readonly kind: 'update'; readonly child: string; readonly description: string; readonly subagentToken: Token | undefined };

/**
 * The parent's answer: the PS's, relayed; its own refusal or rate limit;
 * or no runtime there to answer (crashed and not yet replaced).
 */
export type ParentAnswer<T = DelegationAnswer | AuthAnswer | GovernanceAnswer> =
  | { status: 'relayed'; answer: T }
  | { status: 'refused'; reason: string }
  | { status: 'rate_limited'; retryAfter: number }
  | { status: 'parent_unavailable' };

/**
 * How long a sub-agent waits before asking a parent runtime that did not
 * answer (crashed, not yet replaced): its own setting, not its PS's poll
 * interval, which it has no way to know. No draft names one; 5 s is this
 * project's constant (the default PS poll_interval, so runs with the
 * default are as before).
 */
export const PARENT_RETRY_US = 5_000_000;

/** All a sub-agent can reach of its parent: a network endpoint. */
export interface ParentEndpoint {
  readonly actor: string;
  receive(request: SubAgentRequest, reply: (answer: ParentAnswer) => void): void;
  /** A one-way message: relayed if the parent's policy lets it through, else dropped (the sub-agent is not told). */
  notify(notice: SubAgentNotice): void;
}

/** The parent runtime's side: its policy, then its own request to its PS, signed with its own agent token. */
export class SubAgentMediator implements ParentEndpoint {
  /** The parent's sliding window over the requests it forwards (`sub_agents.rate_limit`), in its runtime's memory. */
  private limiter: RateLimiter | undefined;
  /** Answers owed to sub-agents by the running runtime: a crash resets these connections. */
  private readonly owed = new Set<(answer: ParentAnswer) => void>();
  private down = false;

  constructor(
    private readonly ctx: ActorContext,
    private readonly network: Network,
    private readonly ps: AgentFacingEndpoints,
    /** The parent's agent id (the hop's parent) and its runtime's actor. */
    private readonly parent: string,
    readonly actor: string,
    /** The parent runtime's own agent token (its provider renews it): only the parent's code calls this. */
    private readonly sign: () => Token | undefined,
    /** The mission the parent acts under, for the log lines of its requests. */
    private readonly mission: () => string | null,
    private readonly policy: CompiledSubAgentPolicy | undefined,
  ) {
    this.limiter = this.freshLimiter();
  }

  private freshLimiter(): RateLimiter | undefined {
    const limit = this.policy?.rateLimit;
    return limit === undefined ? undefined : new RateLimiter({ calls: limit.max, perUs: limit.perUs });
  }

  /** The parent runtime crashed: open connections from its sub-agents are reset, no one answers until a replacement runs, and its rate-limit window (in its memory) is gone. */
  crashed(): void {
    this.down = true;
    this.limiter = this.freshLimiter();
    const owed = [...this.owed];
    this.owed.clear();
    for (const reply of owed) reply({ status: 'parent_unavailable' });
  }

  /** A replacement runtime of the parent runs: it mediates again (with its own agent token). */
  restarted(): void {
    this.down = false;
  }

  receive(request: SubAgentRequest, reply: (answer: ParentAnswer) => void): void {
    if (this.down) return reply({ status: 'parent_unavailable' });
    const now = this.ctx.sim.now;
    const mission = this.mission();
    const refusal = this.admit(request, mission, now);
    if (refusal !== null) return reply(refusal);
    this.owed.add(reply);
    // Relayed only while the connection it came on is open (a crash reset it and answered parent_unavailable).
    const relay = (answer: ParentAnswer) => {
      if (this.owed.delete(reply)) reply(answer);
    };
    const answered = this.forward(request, mission);
    answered.then(
      (answer) => relay({ status: 'relayed', answer }),
      (cause) => {
        if (!(cause instanceof NoAnswer)) throw cause;
        relay({ status: 'refused', reason: cause.reason });
      },
    );
  }

  notify(notice: SubAgentNotice): void {
    if (this.down) return; // no runtime to receive it: lost, as a message to a crashed process is
    const mission = this.mission();
    if (this.admit(notice, mission, this.ctx.sim.now) !== null) return;
    const signedWith = this.sign();
    const send = (deliver: () => void) => this.network.sendLossy(this.actor, this.ps.actor, deliver, undefined, mission);
    if (notice.kind === 'audit') send(() => this.ps.governance.audit(notice.child, notice.mission, notice.action, notice.subagentToken, signedWith));
    else send(() => this.ps.proposeUpdate(notice.child, notice.description, notice.subagentToken, signedWith));
  }

  /** The request arrives and the parent's policy decides: null if it is forwarded (counted in the rate-limit window), else the answer the parent gives. */
  private admit(request: SubAgentRequest | SubAgentNotice, mission: string | null, now: number): ParentAnswer | null {
    const child = request.child;
    const what = request.kind === 'hop' ? { task: request.task } : { request: request.kind };
    this.ctx.record('delegation.parent_asked', mission, this.actor, { child, ...what });
    if (this.policy?.refuse.includes(child)) {
      this.ctx.record('delegation.parent_refused', mission, this.actor, { child, reason: 'parent_policy' });
      return { status: 'refused', reason: 'parent_policy' };
    }
    // A narrowing that leaves nothing of the grant asked for: the parent refuses, rather than ask its PS for an empty hop.
    if (request.kind === 'hop' && (request.grant?.grants.length ?? 0) > 0 && this.narrowed(request.grant)?.grants.length === 0) {
      this.ctx.record('delegation.parent_refused', mission, this.actor, { child, reason: 'narrowed_to_nothing' });
      return { status: 'refused', reason: 'narrowed_to_nothing' };
    }
    // Counted as forwarded when admitted (every request past this point is forwarded).
    const wait = this.limiter?.admit(this.actor, now) ?? 0;
    if (wait > 0) {
      this.ctx.record('delegation.parent_refused', mission, this.actor, { child, reason: 'rate_limited', retry_after_us: wait });
      return { status: 'rate_limited', retryAfter: wait };
    }
    return null;
  }

  /** The parent's own request to its PS, signed with its own agent token, the sub-agent's beside it. */
  private forward(request: SubAgentRequest, mission: string | null): Signal<DelegationAnswer | AuthAnswer | GovernanceAnswer> {
    type Answer = DelegationAnswer | AuthAnswer | GovernanceAnswer;
    const ask = (invoke: (reply: (answer: Answer) => void) => void) =>
      retryingRequest<Answer>(this.ctx, this.network, this.network.retry, this.network.link(this.actor, this.ps.actor), mission, invoke);
    const child = request.child;
    switch (request.kind) {
      case 'hop': {
        const grant = this.narrowed(request.grant);
        if (grant !== request.grant) {
          this.ctx.record('delegation.parent_narrowed', mission, this.actor, { child, requested: envelopeOf(request.grant), grant: envelopeOf(grant) });
        }
        return ask((reply) => this.ps.requestDelegation(this.parent, child, request.task, grant, reply, request.subagentToken, this.sign()));
      }
      case 'person_token':
        return ask((reply) => this.ps.requestPersonToken(child, request.resource, request.mission, reply, request.subagentToken, this.sign()));
      case 'auth_token': {
        const exp = request.subagentToken?.exp ?? 0;
        return ask((reply) =>
          this.ps.requestAuthToken(request.resourceToken, exp, reply, { ...request.call, agentToken: request.subagentToken, parentToken: this.sign() }),
        );
      }
      case 'permission':
        return ask((reply) => this.ps.governance.permission(child, request.mission, request.action, reply, request.subagentToken, this.sign()));
      case 'interaction':
        return ask((reply) => this.ps.governance.interaction(child, request.mission, request.question, reply, request.subagentToken, this.sign()));
      case 'governance_poll':
        return ask((reply) => this.ps.governance.poll(request.request, reply, child, request.subagentToken, this.sign()));
    }
  }

  /** The requested grant as the parent attenuates it (the same object if nothing changes). */
  private narrowed(grant: IntentDef | undefined): IntentDef | undefined {
    const narrow = this.policy?.narrow;
    if (!narrow || !grant) return grant;
    const bounds = narrow.constraints ?? [];
    let changed = false;
    const grants: IntentDef['grants'] = [];
    for (const box of grant.grants) {
      const actions = narrow.actions ? box.actions.filter((action) => narrow.actions?.includes(action)) : box.actions;
      const resources = narrow.resources ? (box.resources ?? narrow.resources).filter((resource) => narrow.resources?.includes(resource)) : box.resources;
      const constraints = [...(box.constraints ?? []), ...bounds.filter((bound) => !(box.constraints ?? []).includes(bound))];
      if (actions.length !== box.actions.length || resources?.length !== box.resources?.length || constraints.length !== (box.constraints ?? []).length)
        changed = true;
      if (actions.length === 0 || resources?.length === 0) continue;
      grants.push({ ...box, actions, ...(resources ? { resources } : {}), ...(constraints.length > 0 ? { constraints } : {}) });
    }
    return changed ? { ...grant, grants } : grant;
  }
}

/**
 * -11's two checks at the PS on a request that may concern a sub-agent
 * ("Single-Level Depth", "Parent-Mediated Authorization"): a request signed
 * by a sub-agent's agent token (it has `parent_agent`) is refused, and a
 * `subagent_token` must name the signer as its `parent_agent`. Null if
 * neither applies. The reasons are this project's words: the draft names
 * no error code for them.
 */
export function subAgentRefusal(signing: Token | undefined, subagent: Token | undefined): string | null {
  if (signing?.parentAgent !== undefined) return 'invalid_request: signed by a sub-agent (its agent token has parent_agent); its parent must ask';
  if (subagent !== undefined && signing !== undefined && subagent.parentAgent !== signing.agent) {
    return "invalid_request: subagent_token's parent_agent does not name the signer";
  }
  return null;
}

/**
 * -11, a parent's request for its sub-agent: the `parent` and `child` it
 * names must be the agents of the tokens that come with it (the signer's
 * and the `subagent_token`), or the PS would judge it under a mission
 * the signer was never approved for. Null if they agree (or a token is absent).
 */
export function namedPartiesRefusal(parent: string, child: string, signing: Token | undefined, subagent: Token | undefined): string | null {
  if (signing !== undefined && signing.agent !== parent) return 'invalid_request: parent does not name the signer';
  if (subagent !== undefined && subagent.agent !== child) return "invalid_request: subagent does not name the subagent_token's agent";
  return null;
}

/** A grant as logged (an intent envelope). */
function envelopeOf(grant: IntentDef | undefined): Record<string, unknown> {
  return grant === undefined ? {} : (grant as unknown as Record<string, unknown>);
}
