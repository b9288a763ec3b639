import type { ActorContext } from '../context/actor-context.ts';
import type { PersonChannel } from '../protocol/person-channel.ts';
import type { AgentFacingEndpoints } from '../protocol/ps-endpoints.ts';
import type { AuthAnswer, MissionAnswer } from '../protocol/ps-messages.ts';
import { TokenIssuer, type Token } from '../protocol/tokens.ts';
import type { Scope } from './scope.ts';
import { aauthGrant, aauthScope, fieldOperation } from './so-scope.ts';

/** The Person Server the plain-chaining side runs under, as its agents reach it (world.ts wires the real one). */
export interface ChainingPersonServer {
  readonly actor: string;
  /** Its authority model, narrowing and depth cap, as the comparison names them. */
  readonly authority: { model: string; narrowing: string; depthCap: number };
  /** Its endpoints, without its settings: when to ask again is in each answer (a 202's Retry-After). */
  readonly endpoints: AgentFacingEndpoints;
  /** How the profile carries the mission on the wire (sim/protocol/profiles.ts). */
  readonly wire: { missionBinding: 'none' | 'header' | 'claim'; personTokens: boolean };
}

/** The mission an agent acts under, as the PS named it to that agent (the orchestrator's approval, a sub-agent's delegation). */
export interface ChainMission {
  s256: string | null;
  approver: string;
}

/** How long a resource token for an SO field, and the agent token behind it, are valid when asked for. */
const TOKEN_TTL_US = 3600e6;

/**
 * Plain AAuth chaining with the real Person Server's evaluation: the
 * orchestrator proposes the mission (its mandate scope as AAuth scopes), each
 * spawn is a delegation request the PS mints or refuses (its authority
 * model's at-mint subset check, its depth cap), and a sub-agent's work asks
 * the PS for an auth token per SO field it touches (the fields its EOD
 * references), judged like any token request. Nothing here decides: every
 * answer is the PS's. It holds no agent's state: each agent keeps the
 * mission the PS named to it and passes it with its token requests; what
 * it holds is the SO resources' token issuers.
 */
export class AauthChain {
  /** The SO namespace as resources: one resource-token issuer per SO type. */
  private readonly issuers = new Map<string, TokenIssuer>();

  constructor(
    private readonly ctx: ActorContext,
    readonly ps: ChainingPersonServer,
    private readonly namespace: readonly string[],
  ) {}

  /**
   * The orchestrator proposes the mission; `then` with the mission once the
   * PS approved it. A deferred (202) or unavailable (503) answer is polled
   * after the Retry-After it carries; a refusal is final: nothing is asked
   * again and the mission never opens (the PS logged why).
   */
  openMission(orchestrator: string, person: PersonChannel, description: string, scope: Scope, then: (mission: ChainMission) => void): void {
    const approved = (answer: MissionAnswer) => {
      if (answer.status === 'approved') return then({ s256: answer.s256, approver: answer.approver });
      if (answer.status === 'pending' || answer.status === 'unavailable')
        this.ctx.sim.schedule(answer.retryAfter, () => this.ps.endpoints.pollMission(orchestrator, approved));
    };
    this.ps.endpoints.proposeMission(orchestrator, person, { description, scope: aauthScope(scope, this.namespace) }, approved);
  }

  /**
   * A delegation request: `child` under `parent` with the grant its SACR
   * scope stands for, acting at most `deepest` hops below the root. The
   * answer is the mission the grant names (minted) or the PS's reason
   * (rejected). A deferred (202: the parent's mission or hop is not there
   * yet) or unavailable (503: the PS is down) answer is no refusal: the
   * request is asked again after the Retry-After it carries, until the PS
   * decides or the requester gives up (`abandoned`, checked before each
   * re-ask; then `reply` is never called).
   */
  delegate(
    parent: string,
    child: string,
    task: string,
    scope: Scope,
    deepest: number,
    reply: (answer: { minted: ChainMission } | { refusal: string }) => void,
    abandoned: () => boolean = () => false,
  ): void {
    const grant = aauthGrant(scope, this.namespace, deepest);
    const ask = () =>
      this.ps.endpoints.requestDelegation(parent, child, task, grant, (answer) => {
        if (answer.status === 'granted') reply({ minted: { s256: answer.s256, approver: answer.approver } });
        else if (answer.status === 'rejected') reply({ refusal: answer.reason });
        else this.askAgain(answer.retryAfter, abandoned, ask);
      });
    ask();
  }

  /**
   * Auth tokens for every field the work touches, one request each, under
   * the mission the agent was named (undefined: none); `reply` with the
   * first refusal, or null once all are granted. A refusal that is not
   * final and carries a Retry-After (the PS unavailable, the mission
   * suspended) is no answer yet: that field is asked again after it, until
   * the agent gives up (`abandoned`; then `reply` is never called).
   */
  access(
    agent: string,
    mission: ChainMission | undefined,
    fields: readonly string[],
    reply: (refusal: { field: string; reason: string } | null) => void,
    abandoned: () => boolean = () => false,
  ): void {
    let waiting = fields.length;
    let refused: { field: string; reason: string } | null = null;
    if (waiting === 0) return reply(null);
    const s256 = mission?.s256 ?? null;
    const done = (field: string, answer: AuthAnswer) => {
      if (!answer.granted) refused ??= { field, reason: answer.reason };
      if (--waiting === 0) reply(refused);
    };
    for (const field of fields) {
      const { resource, operation } = fieldOperation(field);
      // The step refused for now is asked again, not the ones before it (a person token granted stays held). Once another field
      // was refused, waiting changes nothing: the refusal is reported at the next Retry-After at the latest, not held back by an outage.
      const answered = (answer: AuthAnswer, again: () => void) => {
        if (refused === null && !answer.granted && !answer.final && answer.retryAfter !== undefined)
          this.askAgain(answer.retryAfter, abandoned, () => (refused === null ? again() : done(field, answer)));
        else done(field, answer);
      };
      // The resource token carries the mission as the profile says: r01 copied from the AAuth-Mission header, -11 from the person token.
      const ask = (claims: Pick<Token, 'mission' | 'approver' | 'presentedJti'>) => {
        const now = this.ctx.sim.now;
        const resourceToken = this.issuer(resource).issue({
          kind: 'resource',
          aud: this.ps.actor,
          agent,
          scope: operation,
          ...claims,
          iat: now,
          exp: now + TOKEN_TTL_US,
        });
        this.ps.endpoints.requestAuthToken(resourceToken, now + TOKEN_TTL_US, (answer) => answered(answer, () => ask(claims)), {
          signer: agent,
          mission: s256,
        });
      };
      const start = () => {
        if (this.ps.wire.personTokens) {
          this.ps.endpoints.requestPersonToken(agent, resource, s256, (person) =>
            person.granted ? ask({ mission: person.token.mission, presentedJti: person.token.jti }) : answered(person, start),
          );
        } else if (this.ps.wire.missionBinding === 'header' && s256 !== null) ask({ mission: s256, approver: mission?.approver ?? '' });
        else ask({ mission: null });
      };
      start();
    }
  }

  /** `again` after the Retry-After the PS's answer carried, unless the asker has given up by then. */
  private askAgain(retryAfter: number, abandoned: () => boolean, again: () => void): void {
    this.ctx.sim.schedule(retryAfter, () => {
      if (!abandoned()) again();
    });
  }

  private issuer(resource: string): TokenIssuer {
    let issuer = this.issuers.get(resource);
    if (!issuer) {
      issuer = new TokenIssuer(`resource:${resource}`);
      this.issuers.set(resource, issuer);
    }
    return issuer;
  }
}
