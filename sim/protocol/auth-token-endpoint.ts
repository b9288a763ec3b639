import type { ActorContext } from '../context/actor-context.ts';
import type { MissionAuthority } from '../authority/model.ts';
import { opFacts } from '../authority/renderings.ts';
import { endedRefusal, isEnded } from '../lifecycle/states.ts';
import type { AgentTokenRevocations } from './agent-token-revocation.ts';
import { agentKeyThumbprint } from './agent-keys.ts';
import type { AuthorityDesk, Hop } from './authority-desk.ts';
import type { FederationEndpoint } from './federation.ts';
import type { MissionBudget } from './mission-budget.ts';
import type { MissionClasses } from './mission-class.ts';
import type { MissionRecord } from './mission-record.ts';
import type { Network } from './network.ts';
import type { Profile } from './profiles.ts';
import type { AuthAnswer, CallDetails } from './ps-messages.ts';
import { authGrantedFields, type TokenIssuer, type Token } from './tokens.ts';
import { AuthTokenRequest, type JudgedAuthTokenRequest } from './auth-token-request.ts';
import { FederatedIssuance } from './federated-issuance.ts';
import type { DoorRequest } from './service-door.ts';

/** What the auth-token endpoint reads of the PS's missions and asks the PS to do. */
export interface AuthTokenBook {
  /** The mission an agent acts under: its own, or (a sub-agent) its root agent's. */
  recordOf(agent: string): MissionRecord | undefined;
  /** An approved mission by its s256. */
  byS256(s256: string): MissionRecord | undefined;
  /** -11: a person token this PS issued, by jti. */
  personToken(jti: string): Token | undefined;
  /** Whether `agent` acts under the mission: its own, or a hop this PS minted in its tree. */
  belongsTo(record: MissionRecord, agent: string): boolean;
  /** -11 (parent-mediated profiles): the refusal of a request a sub-agent signed itself, or a parent's not for its own sub-agent. */
  subAgentRefusal(own: Token | undefined, parent: Token | undefined): string | null;
  /** The mission ends (here: it expired). */
  terminate(agent: string, reason: string): void;
}

/** The parts of the PS the auth-token endpoint decides with (shared with its other endpoints: one issuer, one budget, one class book). */
export interface AuthTokenParts {
  readonly profile: Profile;
  readonly desk: AuthorityDesk;
  readonly network: Network;
  /** Four-party: the Access Server of each resource that has one, by resource id. */
  readonly accessServers: ReadonlyMap<string, FederationEndpoint>;
  readonly issuer: TokenIssuer;
  readonly agentTokens: AgentTokenRevocations;
  readonly budget: MissionBudget | undefined;
  readonly classes: MissionClasses | undefined;
  readonly domain: string;
  /** This PS's identifier: the `approver` of the missions it approves. */
  readonly approver: string;
  /** The Retry-After this PS puts on a refusal the agent waits out (a suspended mission): its polling interval. */
  readonly retryAfterUs: number;
}

/**
 * The Person Server's auth-token endpoint: locates the mission a token
 * request is judged under (from what the request carries, never from the
 * agent id), admits call-chained callers one hop below their upstream,
 * judges the operation against the mission's authority and budget, asks
 * the person where approval is per call, and issues the auth token itself
 * or (four-party) asks the resource's Access Server, disclosing to it only
 * what crosses domains. Every decision is logged and written to the oracle.
 */
export class AuthTokenEndpoint {
  /** Numbers the decisions this PS takes (the oracle's request ids). */
  private requests = 0;
  private readonly profile: Profile;
  private readonly desk: AuthorityDesk;
  private readonly accessServers: ReadonlyMap<string, FederationEndpoint>;
  private readonly issuer: TokenIssuer;
  private readonly agentTokens: AgentTokenRevocations;
  private readonly budget: MissionBudget | undefined;
  private readonly classes: MissionClasses | undefined;
  private readonly domain: string;
  private readonly approver: string;
  readonly retryAfterUs: number;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    parts: AuthTokenParts,
    private readonly book: AuthTokenBook,
  ) {
    this.profile = parts.profile;
    this.desk = parts.desk;
    this.accessServers = parts.accessServers;
    this.issuer = parts.issuer;
    this.agentTokens = parts.agentTokens;
    this.budget = parts.budget;
    this.classes = parts.classes;
    this.domain = parts.domain;
    this.approver = parts.approver;
    this.retryAfterUs = parts.retryAfterUs;
    this.federation = new FederatedIssuance(ctx, actor, parts, {
      judged: (request) => this.decisionTruth(request, true, request.reason),
      refused: (request, reason, final) => this.deny(request, reason, final),
      granted: (request, token) => this.answer(request, { granted: true, token }),
      release: (request) => this.unreserve(request),
    });
  }

  /** Four-party: the resources behind an Access Server get their tokens from it (sim/protocol/federated-issuance.ts). */
  private readonly federation: FederatedIssuance;

  /** An auth-token request, as the PS's queue holds it until the endpoint decides it. */
  request(resourceToken: Token, agentTokenExp: number, reply: (answer: AuthAnswer) => void, call: CallDetails, upstream: Token | undefined): DoorRequest {
    return new AuthTokenRequest(this, resourceToken, agentTokenExp, reply, call, upstream, this.resourceOf(resourceToken.iss));
  }

  /** The resource token plus the mission decide (the PS serves the request through its queue first). */
  decide(request: AuthTokenRequest): void {
    const { resourceToken, call, upstream } = request;
    // Call chaining: a resource calling downstream for an upstream caller is placed one hop below it.
    const chainRefusal = upstream ? this.admitChained(resourceToken.agent, upstream) : null;
    const located = chainRefusal === null ? this.locate(resourceToken, call, upstream) : { refusal: chainRefusal };
    if ('refusal' in located) return this.deny(request, located.refusal, true);
    const record = located.record;
    request.located(record);
    const now = this.ctx.sim.now;
    const credential =
      this.agentTokens.refusesAgentToken(call.parentToken, now) ??
      this.agentTokens.refusesAgentToken(call.agentToken, now) ??
      this.book.subAgentRefusal(call.agentToken, call.parentToken);
    if (credential !== null) return this.deny(request, credential, true);
    if (record.state === 'pending') return this.deny(request, 'mission_not_found', true);
    if (isEnded(record.state)) {
      return this.answer(request, { granted: false, reason: endedRefusal(record.state), final: true, ...terminationReason(record, this.profile) });
    }
    const classRefusal = this.classes?.check(resourceToken.agent, call.agentToken, resourceToken) ?? null;
    if (classRefusal !== null) return this.deny(request, classRefusal, true);
    if (record.state === 'suspended') return this.answer(request, { granted: false, reason: 'mission suspended', final: false, retryAfter: this.retryAfterUs });
    if (resourceToken.exp <= now) return this.deny(request, 'resource token expired', false);
    // The caller acts at the mission's root unless this PS minted it a hop in that mission's tree (r01: whoever names the mission).
    const ownHop = this.desk.hop(resourceToken.agent);
    const hop = ownHop && ownHop.root === record.agent ? ownHop : (this.desk.hop(record.agent) as Hop);
    if (record.expiresAt !== undefined && record.expiresAt <= now) {
      this.book.terminate(record.agent, 'expired');
      return this.deny(request, 'mission expired', true);
    }
    const facts = opFacts(this.desk.ops, request.resource, resourceToken.scope, call.args, call.stage, hop.depth);
    const verdict = this.desk.authorize(record.authority as MissionAuthority, hop, facts);
    const accessServer = this.accessServers.get(request.resource);
    request.judged(hop, facts, accessServer ? `${this.actor}>${accessServer.actor}#${this.requests++}` : `${this.actor}#${this.requests++}`, accessServer);
    if (!verdict.allow) return this.refuseJudged(request, verdict.reason);
    // Inside the mission call by call; the budget judges the mission's calls together (mission-budget.ts).
    const reserved = this.budget?.admit(record.s256 ?? `agent:${record.agent}`, facts);
    if (reserved && 'refusal' in reserved) return this.refuseJudged(request, reserved.refusal);
    request.reserved = reserved;
    request.reason = verdict.reason;
    if (verdict.approval !== 'person') return this.issue(request);
    // r3 per-call: a single-use approval from the person, at human speed.
    record.person.requestApproval(
      resourceToken.agent,
      () => {
        if (record.state !== 'active') {
          this.unreserve(request);
          return this.refuseJudged(request, `mission ${record.state}`, isEnded(record.state));
        }
        this.issue(request);
      },
      `approve ${request.resource}/${resourceToken.scope}`,
    );
  }

  /** Answers a request the PS located and judged: logged, answered, and its decision written to the oracle. */
  private refuseJudged(request: JudgedAuthTokenRequest, reason: string, final = false): void {
    this.deny(request, reason, final);
    this.decisionTruth(request, false, reason);
  }

  /** Releases a request's share of its mission's budget (its token was not issued). */
  private unreserve(request: AuthTokenRequest): void {
    if (request.reserved) this.budget?.release(request.reserved);
  }

  /** Issues the auth token the PS judged inside the mission: itself, or (four-party) through the resource's Access Server. */
  private issue(request: JudgedAuthTokenRequest): void {
    const { resourceToken, upstream, record } = request;
    const now = this.ctx.sim.now;
    let exp = Math.min(now + this.profile.authTtl, request.agentTokenExp);
    if (record.expiresAt !== undefined) exp = Math.min(exp, record.expiresAt);
    if (request.accessServer) return this.federation.send(request, request.accessServer, exp);
    const agent = resourceToken.agent;
    // -11: `ps` (this PS, its issuer) and `sub` copied from the resource token.
    const sub = resourceToken.sub;
    // Every member named (a forgotten one does not compile); the issuer sets those given, in the order auth tokens have always had.
    // Beside the token, its mission's handle in the log: the resource records each operation under it with no lookup (Token.log).
    const log = record.s256 === null ? undefined : this.ctx.missionLog(record.s256);
    const token = this.issuer.issueNamed(
      {
        kind: 'auth',
        aud: request.resource,
        agent,
        cnf: this.profile.keyBound ? agentKeyThumbprint(agent) : undefined,
        ps: sub === undefined ? undefined : this.approver,
        sub,
        scope: resourceToken.scope,
        mission: record.s256,
        approver: this.profile.missionBinding === 'header' && record.s256 !== null ? this.approver : undefined,
        presentedJti: undefined,
        iat: now,
        exp,
        upstream: upstream?.jti,
        class: this.classes?.classOf(agent),
        parentAgent: undefined,
        // -01: who requested it; in call chaining the upstream token's act nested inside the intermediary's.
        act: this.profile.actClaim ? (upstream?.act ? { sub: agent, act: upstream.act } : { sub: agent }) : undefined,
      },
      log,
    );
    record.outstanding.add(token, now);
    this.answer(request, { granted: true, token });
    this.decisionTruth(request, true, request.reason);
  }

  /** A refusal with no more to it than its reason. */
  private deny(request: AuthTokenRequest, reason: string, final: boolean): void {
    this.answer(request, { granted: false, reason, final });
  }

  /** Every answer: logged as granted or denied (under -11 with the parent that signed the request), then sent. */
  private answer(request: AuthTokenRequest, answer: AuthAnswer): void {
    const { resourceToken, call } = request;
    const mission = request.record?.s256 ?? request.upstream?.mission ?? null;
    if (answer.granted) {
      const fields = authGrantedFields(request.requester, request.resource, resourceToken.jti, answer.token, this.profile.missionBinding);
      // -11: a sub-agent's request is signed by its parent, whose agent token the log names.
      this.ctx.record('token.auth_granted', mission, this.actor, call.parentToken === undefined ? fields : { ...fields, signed_by: call.parentToken.agent });
    } else {
      this.ctx.record('token.auth_denied', mission, this.actor, {
        agent: request.requester,
        resource: request.resource,
        resource_token: resourceToken.jti,
        scope: resourceToken.scope,
        reason: answer.reason,
        ...(call.parentToken === undefined ? {} : { signed_by: call.parentToken.agent }),
      });
    }
    request.reply(answer);
  }

  /** The resource a resource token's issuer (`resource:<id>`) names: one string per resource, not one per auth token. */
  private resourceOf(issuer: string): string {
    let resource = this.resourceIds.get(issuer);
    if (resource === undefined) {
      resource = issuer.replace(/^resource:/, '');
      this.resourceIds.set(issuer, resource);
    }
    return resource;
  }

  private readonly resourceIds = new Map<string, string>();

  /**
   * The first token request of a chained caller: its upstream_token must be
   * a live token of this PS's mission; the caller then inherits the upstream
   * hop's grant, one hop deeper (depth caps apply). Null if admitted.
   */
  private admitChained(agent: string, upstream: Token): string | null {
    if (this.desk.hop(agent)) return null;
    const record = upstream.mission === null ? this.book.recordOf(upstream.agent) : this.book.byS256(upstream.mission);
    if (!record || record.s256 !== upstream.mission || record.state !== 'active' || upstream.exp <= this.ctx.sim.now || !this.desk.hop(upstream.agent)) {
      return 'upstream_token not valid for an active mission';
    }
    return this.desk.mint(record.s256, upstream.agent, agent, `call chaining (upstream_token ${upstream.jti})`, undefined);
  }

  /**
   * The mission a token request is judged under, located from what the
   * request carries as the profile's text says, never from the agent id:
   * call chaining, the upstream token's mission; r01 and m0, the mission
   * object the resource copied from the agent's AAuth-Mission header (the
   * text asks only that its approver is this PS, so an agent naming a
   * mission not its own is judged under it); -11, the resource token's
   * `mission_s256`, which must match the person token its `presented_jti`
   * names (a stripped or substituted mission is refused as tampering);
   * mission-authority, the `mission_s256` the agent names in its request,
   * if the mission is this agent's. OAuth has no mission: the agent's
   * consent is its record.
   */
  private locate(resourceToken: Token, call: CallDetails, upstream: Token | undefined): { record: MissionRecord } | { refusal: string } {
    const found = (s256: string | null | undefined): { record: MissionRecord } | { refusal: string } => {
      const record = s256 == null ? undefined : this.book.byS256(s256);
      return record ? { record } : { refusal: 'mission_not_found' };
    };
    // agent_jkt: the resource token is bound to the key that signs the request, whatever the revision.
    // -11 (keyBound): the token's agent_jkt against the thumbprint of the signer's key (the sub-agent's, from subagent_token, when a parent signs).
    const bound = this.profile.keyBound
      ? call.signer === undefined || resourceToken.cnf === agentKeyThumbprint(call.signer)
      : call.signer === undefined || call.signer === resourceToken.agent;
    if (!bound) return { refusal: 'invalid_resource_token: bound to another agent key' };
    if (!this.profile.missions) {
      const record = this.book.recordOf(resourceToken.agent);
      return record ? { record } : { refusal: 'mission_not_found' };
    }
    if (upstream) return found(upstream.mission);
    if (this.profile.personTokens) {
      const person = resourceToken.presentedJti === undefined ? undefined : this.book.personToken(resourceToken.presentedJti);
      if (!person) return { refusal: 'unknown_person_token' };
      // -11 step 6: ps, sub (and mission_s256) must match the person token exactly; the key binding stands for the agent.
      const samePerson = this.profile.keyBound
        ? person.cnf === resourceToken.cnf && resourceToken.ps === this.approver && person.sub === resourceToken.sub
        : person.agent === resourceToken.agent;
      if (person.mission !== resourceToken.mission || !samePerson) {
        return { refusal: 'invalid_resource_token: mission_s256 does not match the presented person token' };
      }
      return found(resourceToken.mission);
    }
    if (this.profile.missionBinding === 'header') {
      if (resourceToken.mission === null) return { refusal: 'mission_required' };
      if (resourceToken.approver !== this.approver) return { refusal: 'mission_not_found' };
      return found(resourceToken.mission);
    }
    const named = found(call.mission);
    return 'record' in named && !this.book.belongsTo(named.record, resourceToken.agent) ? { refusal: 'mission_not_found' } : named;
  }

  /** The oracle's record of a decision this PS took on a call it judged. */
  private decisionTruth(request: JudgedAuthTokenRequest, allow: boolean, reason: string): void {
    const facts = request.facts;
    this.ctx.truth.decision(
      {
        kind: 'decision',
        mission: request.record.s256,
        request: request.requestId,
        agent: request.resourceToken.agent,
        depth: facts.depth,
        decider: this.actor,
        domain: this.domain,
        model: this.desk.model.name,
        resource: facts.resource,
        op: facts.operation,
        class: facts.class,
        action: facts.action,
        args: facts.args,
        stage: facts.stage ?? null,
        allow,
        reason,
      },
      facts,
    );
  }
}

/** A terminated mission's reason, as its refusals carry it (r11's termination_reason; none under -01 and oauth, whose texts have none). */
export function terminationReason(record: MissionRecord, profile: Profile): { terminationReason?: string } {
  return record.terminationReason === undefined || !profile.terminationReason ? {} : { terminationReason: record.terminationReason };
}
