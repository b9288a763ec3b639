import type { ActorContext } from '../context/actor-context.ts';
import type { AgentTokenRevocations } from './agent-token-revocation.ts';
import { terminationReason, type AuthTokenBook } from './auth-token-endpoint.ts';
import { directedSub } from './directed-identifiers.ts';
import type { MissionClasses } from './mission-class.ts';
import type { Profile } from './profiles.ts';
import type { PersonTokenAnswer } from './ps-messages.ts';
import type { MissionRecord } from './mission-record.ts';
import type { DoorRequest } from './service-door.ts';
import { agentKeyThumbprint } from './agent-keys.ts';
import { personIssuedFields, type Token, type TokenIssuer } from './tokens.ts';

/** What the person-token endpoint reads of the PS's missions and asks it to do (as the auth-token endpoint does). */
export type PersonTokenBook = Pick<AuthTokenBook, 'byS256' | 'belongsTo' | 'subAgentRefusal' | 'terminate'>;

/** The parts of the PS the person-token endpoint issues with (shared with the auth-token endpoint: one issuer). */
export interface PersonTokenParts {
  readonly profile: Profile;
  readonly issuer: TokenIssuer;
  readonly agentTokens: AgentTokenRevocations;
  readonly classes: MissionClasses | undefined;
  /** This PS's identifier: the directed `sub` of its person tokens is derived from it. */
  readonly approver: string;
  /** The Retry-After of this PS's 503 (down or full): its polling interval. */
  readonly retryAfterUs: number;
}

/**
 * The Person Server's person-token endpoint (aauth-r11): the resource asked
 * who the agent acts for; the PS answers for one resource (aud), bound to
 * the agent key, for at most person_ttl and never past the mission's
 * expires_at. Revoked with the mission's other tokens. The tokens it issued
 * are kept by jti: a resource token's `presented_jti` names one.
 */
export class PersonTokenEndpoint {
  /**
   * -11: the person tokens this PS issued, retained by jti so a resource token's `presented_jti` can be resolved.
   * Kept for the whole run: a resource token can name one however late it comes (a sub-agent's parent relays the
   * same resource token after any rate-limit wait or restart), and the endpoint resolves the name before it checks
   * the resource token's own exp, so no age makes a record one nothing can ask for (docs/benchmarks/ps-prune.md).
   */
  private readonly issuedByJti = new Map<string, Token>();
  private readonly profile: Profile;
  private readonly issuer: TokenIssuer;
  private readonly agentTokens: AgentTokenRevocations;
  private readonly classes: MissionClasses | undefined;
  private readonly approver: string;
  readonly retryAfterUs: number;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    parts: PersonTokenParts,
    private readonly book: PersonTokenBook,
  ) {
    this.profile = parts.profile;
    this.issuer = parts.issuer;
    this.agentTokens = parts.agentTokens;
    this.classes = parts.classes;
    this.approver = parts.approver;
    this.retryAfterUs = parts.retryAfterUs;
  }

  /** A person token this PS issued, by its jti. */
  issued(jti: string): Token | undefined {
    return this.issuedByJti.get(jti);
  }

  /** A person-token request, as the PS's queue holds it until the endpoint decides it. */
  request(
    agent: string,
    resource: string,
    mission: string | null,
    reply: (answer: PersonTokenAnswer) => void,
    agentToken: Token | undefined,
    parentToken: Token | undefined,
  ): DoorRequest {
    return new PersonTokenRequest(this, agent, resource, mission, reply, agentToken, parentToken);
  }

  /** Issues a person token for the named mission, or refuses (logged either way); the PS serves the request through its queue first. */
  decide(request: PersonTokenRequest): void {
    const { agent, mission, agentToken, parentToken } = request;
    // -11: the PS verifies the named mission exists, is active and belongs to this agent; "not found" and "not yours" answer alike.
    const named = mission === null ? undefined : this.book.byS256(mission);
    const record = named && this.book.belongsTo(named, agent) ? named : undefined;
    const now = this.ctx.sim.now;
    const credential =
      this.agentTokens.refusesAgentToken(parentToken, now) ??
      this.agentTokens.refusesAgentToken(agentToken, now) ??
      this.book.subAgentRefusal(agentToken, parentToken);
    if (credential !== null) return this.refuse(request, record, credential, true);
    if (!record || record.state === 'pending') return this.refuse(request, record, 'mission_not_found', true);
    if (record.state !== 'active')
      return this.refuse(request, record, `mission ${record.state}`, record.state === 'terminated', terminationReason(record, this.profile));
    const classRefusal = this.classes?.check(agent, agentToken) ?? null;
    if (classRefusal !== null) return this.refuse(request, record, classRefusal, true);
    if (record.expiresAt !== undefined && record.expiresAt <= now) {
      this.book.terminate(record.agent, 'expired');
      return this.refuse(request, record, 'mission expired', true);
    }
    const token = this.issue(request, record, now);
    record.outstanding.add(token, now);
    this.issuedByJti.set(token.jti, token);
    // -11: then the parent that signed the request.
    const fields = personIssuedFields(agent, request.resource, token, this.profile.missionBinding);
    this.ctx.record('token.person_issued', record.s256, this.actor, parentToken === undefined ? fields : { ...fields, signed_by: parentToken.agent });
    request.reply({ granted: true, token });
  }

  /** The person token: for one resource (aud), bound to the agent key, for at most person_ttl and never past the mission's expires_at. */
  private issue({ agent, resource }: PersonTokenRequest, record: MissionRecord, now: number): Token {
    const keyBound = this.profile.keyBound === true;
    // Every member named (a forgotten one does not compile); the issuer sets those given, in the order person tokens have always had.
    return this.issuer.issueNamed({
      kind: 'person',
      aud: resource,
      agent,
      cnf: keyBound ? agentKeyThumbprint(agent) : undefined,
      ps: undefined,
      // -11: who the person is to this resource (directed, pairwise per resource), never who the agent is.
      sub: keyBound ? directedSub(this.approver, record.person.id, resource) : undefined,
      scope: '',
      mission: record.s256,
      approver: undefined,
      presentedJti: undefined,
      iat: now,
      exp: Math.min(now + this.profile.personTtl, record.expiresAt ?? Number.MAX_SAFE_INTEGER),
      upstream: undefined,
      class: this.classes?.classOf(agent),
      parentAgent: undefined,
      act: undefined,
    });
  }

  /** A refusal, logged (with the parent that signed the request, -11) and answered. */
  private refuse(
    request: PersonTokenRequest,
    record: MissionRecord | undefined,
    reason: string,
    final: boolean,
    why: { terminationReason?: string } = {},
  ): void {
    const { agent, resource, parentToken } = request;
    // -11: a sub-agent's request is signed by its parent, whose agent token the log names.
    const signer = parentToken === undefined ? {} : { signed_by: parentToken.agent };
    this.ctx.record('token.person_denied', record?.s256 ?? null, this.actor, { agent, resource, reason, ...signer });
    request.reply({ granted: false, reason, final, ...why });
  }
}

/** One person-token request as the PS's queue holds it: its work is the endpoint's decision; while the PS is down or full, a 503. */
class PersonTokenRequest implements DoorRequest {
  constructor(
    private readonly endpoint: PersonTokenEndpoint,
    readonly agent: string,
    readonly resource: string,
    readonly mission: string | null,
    readonly reply: (answer: PersonTokenAnswer) => void,
    readonly agentToken: Token | undefined,
    readonly parentToken: Token | undefined,
  ) {}

  work(): void {
    this.endpoint.decide(this);
  }

  unavailable(): void {
    this.reply({ granted: false, reason: 'ps unavailable', final: false, retryAfter: this.endpoint.retryAfterUs });
  }
}
