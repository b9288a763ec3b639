import type { ActorContext } from '../context/actor-context.ts';
import type { AgentTokenRevocations } from './agent-token-revocation.ts';
import { terminationReason, type AuthTokenBook } from './auth-token-endpoint.ts';
import { directedSub } from './directed-identifiers.ts';
import type { MissionClasses } from './mission-class.ts';
import type { Profile } from './profiles.ts';
import type { PersonTokenAnswer } from './ps-messages.ts';
import { keyBinding, tokenClaims, type Token, type TokenIssuer } from './tokens.ts';

/** What the person-token endpoint reads of the PS's missions and asks it to do (as the auth-token endpoint does). */
export type PersonTokenBook = Pick<AuthTokenBook, 'byS256' | 'belongsTo' | 'subAgentRefusal' | 'classScope' | 'terminate'>;

/** The parts of the PS the person-token endpoint issues with (shared with the auth-token endpoint: one issuer). */
export interface PersonTokenParts {
  readonly profile: Profile;
  readonly issuer: TokenIssuer;
  readonly agentTokens: AgentTokenRevocations;
  readonly classes: MissionClasses | undefined;
  /** This PS's identifier: the directed `sub` of its person tokens is derived from it. */
  readonly approver: string;
}

/**
 * The Person Server's person-token endpoint (aauth-r11): the resource asked
 * who the agent acts for; the PS answers for one resource (aud), bound to
 * the agent key, for at most person_ttl and never past the mission's
 * expires_at. Revoked with the mission's other tokens. The tokens it issued
 * are kept by jti: a resource token's `presented_jti` names one.
 */
export class PersonTokenEndpoint {
  /** -11: the person tokens this PS issued, retained by jti so a resource token's `presented_jti` can be resolved. */
  private readonly issuedByJti = new Map<string, Token>();
  private readonly profile: Profile;
  private readonly issuer: TokenIssuer;
  private readonly agentTokens: AgentTokenRevocations;
  private readonly classes: MissionClasses | undefined;
  private readonly approver: string;

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
  }

  /** A person token this PS issued, by its jti. */
  issued(jti: string): Token | undefined {
    return this.issuedByJti.get(jti);
  }

  /** Issues a person token for the named mission, or refuses (logged either way); the PS serves the request through its queue first. */
  decide(
    agent: string,
    resource: string,
    mission: string | null,
    reply: (answer: PersonTokenAnswer) => void,
    agentToken: Token | undefined,
    parentToken: Token | undefined,
  ): void {
    // -11: the PS verifies the named mission exists, is active and belongs to this agent; "not found" and "not yours" answer alike.
    const named = mission === null ? undefined : this.book.byS256(mission);
    const record = named && this.book.belongsTo(named, agent) ? named : undefined;
    const now = this.ctx.sim.now;
    // -11: a sub-agent's request is signed by its parent, whose agent token the log names.
    const signer = parentToken === undefined ? {} : { signed_by: parentToken.agent };
    const refuse = (reason: string, final: boolean, why: { terminationReason?: string } = {}) => {
      this.ctx.record('token.person_denied', record?.s256 ?? null, this.actor, { agent, resource, reason, ...signer });
      reply({ granted: false, reason, final, ...why });
    };
    const credential =
      this.agentTokens.refusesAgentToken(parentToken, now) ??
      this.agentTokens.refusesAgentToken(agentToken, now) ??
      this.book.subAgentRefusal(agentToken, parentToken);
    if (credential !== null) return refuse(credential, true);
    if (!record || record.state === 'pending') return refuse('mission_not_found', true);
    if (record.state !== 'active') return refuse(`mission ${record.state}`, record.state === 'terminated', terminationReason(record, this.profile));
    const classRefusal = this.classes?.check(agent, agentToken) ?? null;
    if (classRefusal !== null) return refuse(classRefusal, true);
    if (record.expiresAt !== undefined && record.expiresAt <= now) {
      this.book.terminate(record.agent, 'expired');
      return refuse('mission expired', true);
    }
    const exp = Math.min(now + this.profile.personTtl, record.expiresAt ?? Number.MAX_SAFE_INTEGER);
    const token = this.issuer.issue({
      kind: 'person',
      aud: resource,
      agent,
      ...keyBinding(this.profile, agent),
      // -11: who the person is to this resource (directed, pairwise per resource), never who the agent is.
      ...(this.profile.keyBound ? { sub: directedSub(this.approver, record.person.id, resource) } : {}),
      scope: '',
      mission: record.s256,
      iat: now,
      exp,
      ...this.book.classScope(agent),
    });
    record.outstanding.push(token);
    this.issuedByJti.set(token.jti, token);
    const { scope: _scope, ...claims } = tokenClaims(token, this.profile.missionBinding);
    this.ctx.record('token.person_issued', record.s256, this.actor, { agent, resource, ...claims, ...signer });
    reply({ granted: true, token });
  }
}
