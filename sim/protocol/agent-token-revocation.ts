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
 * The PS's record of revoked agent tokens, keyed by (iss, jti) until exp
 * (-11: recipients keep revocation state until the token would have
 * expired anyway), and of the tokens it issued on requests presenting each
 * agent token, so that revoking one revokes those too. An auth token never
 * outlives its agent token (-11: auth exp <= agent token exp); this
 * simulator reads agent-token revocation as ending them too, and says so
 * in docs/profiles.md.
 */
export class AgentTokenRevocations {
  private readonly revoked = new Map<string, number>();
  private readonly issued = new Map<string, Token[]>();

  /** Whether a presented agent token is revoked (state is dropped once it has expired: it is refused as expired then). */
  isRevoked(agentToken: Token | undefined, now: number): boolean {
    if (!agentToken) return false;
    const exp = this.revoked.get(key(agentToken));
    return exp !== undefined && exp > now;
  }

  /** A token this PS issued on a request that presented `agentToken`. */
  issuedUnder(agentToken: Token | undefined, token: Token): void {
    if (!agentToken) return;
    const k = key(agentToken);
    let list = this.issued.get(k);
    if (!list) {
      list = [];
      this.issued.set(k, list);
    }
    list.push(token);
  }

  /** Records the revocation; returns the tokens issued under the agent token that are still live (to be revoked in turn). */
  revoke(agentToken: Token, now: number): Token[] {
    const k = key(agentToken);
    this.revoked.set(k, agentToken.exp);
    const under = this.issued.get(k) ?? [];
    this.issued.delete(k);
    return under.filter((token) => token.exp > now);
  }
}

function key(token: Token): string {
  return `${token.iss} ${token.jti}`;
}

/**
 * The agent provider's side: a signed POST of the agent token's {jti, exp}
 * (-01: {jti}) to the PS's revocation endpoint, sent again after the PS's
 * poll interval while it answers 503 (at most `retries` times).
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
