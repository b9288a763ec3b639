import type { ActorContext } from '../context/actor-context.ts';
import type { AgentDef } from '../scenario/schema.ts';
import { type AgentTokenRevocationEndpoint, sendAgentTokenRevocation } from './agent-token-revocation.ts';
import type { Network } from './network.ts';
import type { Profile } from './profiles.ts';
import { TokenIssuer, type Token } from './tokens.ts';

/**
 * An agent's provider (`ap:<agent>`) as its runtimes meet it: it issues the
 * agent token a runtime signs its requests with (a new one whenever the
 * runtime asks: at its start, at a takeover, and once its last has expired),
 * and it may revoke that token at
 * the PS's revocation endpoint, after which it issues the runtime no other
 * (sim/protocol/agent-token-revocation.ts). It is its own token issuer: one
 * object per agent.
 */
export class AgentProvider extends TokenIssuer {
  /** It revoked the runtime's agent token and issues it no other. */
  revoked = false;

  constructor(
    private readonly ctx: ActorContext,
    private readonly profile: Profile,
    private readonly def: Readonly<AgentDef>,
    /** Seed 002: the class it names in its agent tokens where the PS checks class (the agent's runtimes are of it). */
    readonly runtimeClass: string,
  ) {
    super(`ap:${def.id}`);
  }

  /** A new agent token for the runtime (logged as `token.agent_issued`); none once it revoked one. */
  issueAgentToken(): Token | undefined {
    if (this.revoked) return undefined;
    const now = this.ctx.sim.now;
    const agent = this.def.acts_under ?? this.def.id;
    // Where the PS checks class, the provider names the runtime's class in the token (seed 002; this project's claim).
    const named = this.profile.classCheck ? { class: this.runtimeClass } : {};
    // -11: a sub-agent's agent token names its parent (`parent_agent`, logged below too).
    const marker = this.profile.personTokens && this.def.parent !== undefined ? { parentAgent: this.def.parent } : {};
    const token = this.issue({
      kind: 'agent',
      aud: null,
      agent,
      scope: '',
      mission: null,
      iat: now,
      exp: now + this.profile.agentTtl,
      ...named,
      ...marker,
    });
    // -11: a sub-agent's agent token names its parent (`parent_agent`), the authoritative sub-agent marker.
    const parent = this.profile.personTokens && this.def.parent !== undefined ? { parent_agent: this.def.parent } : {};
    const claims = this.profile.classCheck ? { mb_class: this.runtimeClass } : {};
    this.ctx.record('token.agent_issued', null, this.issuer, {
      agent,
      jti: token.jti,
      exp: token.exp,
      ...parent,
      ...claims,
    });
    return token;
  }

  /**
   * Revokes the runtime's agent token at the PS's revocation endpoint (a
   * runtime it stops, or a key it no longer trusts) and issues it no other:
   * the runtime goes on with the revoked token until the PS refuses it.
   */
  revoke(network: Network, ps: AgentTokenRevocationEndpoint, token: Token): void {
    this.revoked = true;
    sendAgentTokenRevocation(this.ctx, network, this.issuer, ps, token, this.profile.revocationCarriesExp);
  }
}
