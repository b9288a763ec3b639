import type { ActorContext } from '../context/actor-context.ts';
import type { ResourceDef } from '../scenario/schema.ts';
import { personServerUrl } from './directed-identifiers.ts';
import type { Profile } from './profiles.ts';
import type { ResourceRequest } from './resource-messages.ts';
import { TokenIssuer, withOptionalClaims, type NamedTokenMembers, type Token } from './tokens.ts';

/**
 * A resource's answer to a request without a usable auth token: the
 * resource token it issues, logged as `token.resource_issued`, with the
 * mission copied from what the request brought (or, by an attacking
 * resource's `mission_claim`, stripped or keyed by agent, which it tells
 * the oracle). Split from resource.ts, which queues and runs operations.
 */
export class ResourceTokenMinter {
  private readonly issuer: TokenIssuer;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly def: Readonly<ResourceDef>,
    private readonly profile: Profile,
  ) {
    this.issuer = new TokenIssuer(actor);
  }

  /** Issues the resource token for `request` (audience `aud`: its PS, or four-party its Access Server), logs it, and returns it. */
  mint(request: ResourceRequest, aud: string): Token {
    const resourceToken = this.issuer.issueNamed(this.members(request, aud));
    // The claims as tokenClaims writes them, without iat and cnf, then (-11) the key binding as agent_jkt.
    const fields = withOptionalClaims(
      { agent: request.agent, jti: resourceToken.jti, scope: resourceToken.scope, exp: resourceToken.exp },
      resourceToken,
      this.profile.missionBinding,
    );
    if (resourceToken.cnf !== undefined) (fields as { agent_jkt?: string }).agent_jkt = resourceToken.cnf;
    this.ctx.record('token.resource_issued', resourceToken.mission, this.actor, fields);
    this.tellOracleIfTampered(request, resourceToken);
    return resourceToken;
  }

  /**
   * The resource token a token-less request gets, member by member (no
   * spread, no object per optional claim). The mission it carries is copied
   * from what the request brought: r01, the AAuth-Mission header the agent
   * sent (an assertion nobody here can check); -11, the `mission_s256` of
   * the person token the resource verified, named by `presented_jti`.
   * Nothing else.
   */
  private members(request: ResourceRequest, aud: string): NamedTokenMembers {
    const now = this.ctx.sim.now;
    const members: NamedTokenMembers = {
      kind: 'resource',
      aud,
      agent: request.agent,
      // -11: bound to the key that signed the request (`agent_jkt`, its Signature-Key), naming no agent.
      cnf: this.profile.keyBound ? request.signatureKey : undefined,
      ps: undefined,
      sub: undefined,
      scope: request.operation,
      mission: null,
      approver: undefined,
      presentedJti: undefined,
      iat: now,
      exp: now + this.profile.resourceTtl,
      upstream: undefined,
      // Where the PS checks class: the class the signing runtime's agent token names, if any (none: no mb_class claim).
      class: request.agentToken?.class,
      parentAgent: undefined,
      act: undefined,
    };
    // An attacking resource (`mission_claim: strip`) leaves the mission out; -11's presented_jti still names the person token.
    const claim = this.def.mission_claim ?? 'copy';
    if (this.profile.personTokens && request.upstream === undefined) {
      const person = request.personToken as Token; // verified above: a person token for this resource and agent
      // -11: the person the verified person token names (its issuer `ps` and `sub`), never the agent.
      if (person.sub !== undefined) {
        members.ps = personServerUrl(person.iss);
        members.sub = person.sub;
      }
      members.presentedJti = person.jti;
      if (claim !== 'strip') this.copyMission(members, this.remembered(request.agent, { mission: person.mission }));
    } else if (this.profile.missionBinding === 'header' && request.mission !== undefined && claim !== 'strip') {
      this.copyMission(members, this.remembered(request.agent, { mission: request.mission.s256, approver: request.mission.approver }));
    }
    return members;
  }

  private copyMission(members: NamedTokenMembers, mission: Pick<Token, 'mission' | 'approver'>): void {
    members.mission = mission.mission;
    members.approver = mission.approver;
  }

  /**
   * An attacking resource (`mission_claim` strip or first-seen) tells the
   * oracle (write-only) when the mission it wrote is not the one the request
   * brought; the world settles the attack from the PS's answer.
   */
  private tellOracleIfTampered(request: ResourceRequest, resourceToken: Token): void {
    const claim = this.def.mission_claim;
    if (claim !== 'strip' && claim !== 'first-seen') return;
    const brought =
      this.profile.personTokens && request.upstream === undefined
        ? (request.personToken as Token).mission
        : this.profile.missionBinding === 'header'
          ? (request.mission?.s256 ?? null)
          : null;
    if (brought === resourceToken.mission) return;
    const attack =
      claim === 'strip'
        ? `${this.actor}: strips the mission from ${request.agent}'s resource tokens`
        : `${this.actor}: writes the first mission ${request.agent} brought into the resource token of its other mission`;
    this.ctx.truth.tampered(resourceToken.jti, attack, this.actor);
  }

  /** `mission_claim: first-seen`: the first mission each agent brought here (a resource that keys the mission by agent). */
  private readonly firstSeen = new Map<string, Pick<Token, 'mission' | 'approver'>>();

  private remembered(agent: string, brought: Pick<Token, 'mission' | 'approver'>): Pick<Token, 'mission' | 'approver'> {
    if (this.def.mission_claim !== 'first-seen') return brought;
    const first = this.firstSeen.get(agent);
    if (first) return first;
    this.firstSeen.set(agent, brought);
    return brought;
  }
}
