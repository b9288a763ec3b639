import type { ActorContext } from '../context/actor-context.ts';
import type { Network } from './network.ts';
import type { Token } from './tokens.ts';

/** What the PS's revocation endpoint answers an agent provider: 200 recorded, 503 down, or no such endpoint. */
export type AgentTokenRevocationAnswer = 200 | 503 | 'revocation_unsupported';

/** The PS's revocation endpoint as an agent provider reaches it. */
export interface AgentTokenRevocationEndpoint {
  readonly actor: string;
  readonly pollIntervalUs: number;
  revokeAgentToken(token: Token, reply: (answer: AgentTokenRevocationAnswer) => void): void;
}

/**
 * The PS's record of revoked agent tokens, keyed by (iss, jti) as -10 and
 * later require, and kept until the token's exp (after which it is refused
 * as expired anyway).
 */
export class AgentTokenRevocations {
  private readonly revoked = new Map<string, number>();

  /** Whether a presented agent token is revoked. */
  isRevoked(agentToken: Token | undefined, now: number): boolean {
    if (!agentToken) return false;
    const exp = this.revoked.get(key(agentToken));
    return exp !== undefined && exp > now;
  }

  revoke(agentToken: Token): void {
    this.revoked.set(key(agentToken), agentToken.exp);
  }
}

function key(token: Token): string {
  return `${token.iss} ${token.jti}`;
}

/**
 * The agent provider's side: a signed POST naming the agent token to the
 * PS's revocation endpoint, sent again after the PS's poll interval while
 * it answers 503 (at most `retries` times). The body follows the profile's
 * revocation body: {jti, exp} with iss from the signature (the September
 * 2026 follow-up the r11 profile models; -11 itself sends {iss, jti}).
 */
export function sendAgentTokenRevocation(
  ctx: ActorContext,
  network: Network,
  provider: string,
  ps: AgentTokenRevocationEndpoint,
  token: Token,
  carriesExp: boolean,
  retries = 5,
  attempt = 0,
): void {
  const body = carriesExp ? { jti: token.jti, exp: token.exp } : { jti: token.jti };
  ctx.record('agent_token.revocation_sent', null, provider, { agent: token.agent, attempt, ...body });
  network.send(
    provider,
    ps.actor,
    () =>
      ps.revokeAgentToken(token, (answer) =>
        network.send(
          ps.actor,
          provider,
          () => {
            ctx.record('agent_token.revocation_answered', null, provider, { agent: token.agent, jti: token.jti, status: answer });
            if (answer === 503 && attempt < retries)
              ctx.sim.schedule(ps.pollIntervalUs, () => sendAgentTokenRevocation(ctx, network, provider, ps, token, carriesExp, retries, attempt + 1));
          },
          undefined,
        ),
      ),
    undefined,
  );
}
