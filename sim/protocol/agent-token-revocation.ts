import type { ActorContext } from '../context/actor-context.ts';
import type { Network } from './network.ts';
import type { Token } from './tokens.ts';

/**
 * What the PS's revocation endpoint answers an agent provider: 200
 * recorded, no such endpoint, or 503 down with the Retry-After the PS
 * gives (µs; a 503 may carry none).
 */
export type AgentTokenRevocationAnswer = { status: 200 } | { status: 'revocation_unsupported' } | { status: 503; retryAfter?: number };

/**
 * The agent provider's own setting: how long it waits before sending a
 * revocation again after a 503 that carried no Retry-After.
 */
export const PROVIDER_RETRY_US = 5_000_000;

/**
 * What the provider's revocation call carries, and all the PS learns from
 * it: `iss` from the request's signature (the provider that signed it),
 * the body's `jti`, and (the September 2026 follow-up's body) its `exp`.
 * Not the token itself: which agent it was issued to the PS knows only if
 * that token was presented to it before.
 */
export interface AgentTokenRevocationNotice {
  readonly iss: string;
  readonly jti: string;
  readonly exp?: number;
}

/** The PS's revocation endpoint as an agent provider reaches it. */
export interface AgentTokenRevocationEndpoint {
  readonly actor: string;
  revokeAgentToken(notice: AgentTokenRevocationNotice, reply: (answer: AgentTokenRevocationAnswer) => void): void;
}

/** Why a PS refuses a request presenting an agent token (-11's error for an expired one; -11 names none for a revoked one). */
export type AgentTokenRefusal = 'agent_token_revoked' | 'expired_agent_token';

/** Whether a PS's refusal was of the agent token itself (final for the runtime presenting it). */
export function isAgentTokenRefusal(reason: string): reason is AgentTokenRefusal {
  return reason === 'agent_token_revoked' || reason === 'expired_agent_token';
}

/**
 * What a PS knows of agent tokens: the ones presented to it (which agent
 * each was issued to, by (iss, jti)) and the ones their providers revoked
 * at it, keyed by (iss, jti) as -10 and later require. A revocation is
 * kept until the token's exp (after which the token is refused as expired
 * anyway); one whose body carries no exp is kept for `longestLifetimeUs`,
 * the longest agent-token lifetime this PS accepts, so no token it names
 * can outlive the record.
 */
export class AgentTokenRevocations {
  /** Revoked (iss, jti) -> until when the revocation is kept, by iss then jti. */
  private readonly revoked = new Map<string, Map<string, number>>();
  /** (iss, jti) -> agent, for every agent token presented to this PS, by iss then jti. */
  private readonly agents = new Map<string, Map<string, string>>();

  constructor(private readonly longestLifetimeUs: number) {}

  /**
   * Every agent-facing endpoint asks this first: why a request presenting
   * `token` is refused (revoked at this PS, or past its exp), or null. A
   * request that presents no agent token (a chained resource) is not
   * refused here. The token is remembered as shown to this PS.
   */
  refusesAgentToken(token: Token | undefined, now: number): AgentTokenRefusal | null {
    if (!token) return null;
    // Keyed by iss, then jti: the strings the token carries, no key string built per request.
    let byJti = this.agents.get(token.iss);
    if (byJti === undefined) {
      byJti = new Map();
      this.agents.set(token.iss, byJti);
    }
    if (!byJti.has(token.jti)) byJti.set(token.jti, token.agent);
    const until = this.revoked.size === 0 ? undefined : this.revoked.get(token.iss)?.get(token.jti);
    if (until !== undefined && until > now) return 'agent_token_revoked';
    if (token.exp <= now) return 'expired_agent_token';
    return null;
  }

  /** Records a revocation; answers the agent the token was issued to, if that token was ever presented here. */
  revoke(notice: AgentTokenRevocationNotice, now: number): string | undefined {
    let byJti = this.revoked.get(notice.iss);
    if (byJti === undefined) {
      byJti = new Map();
      this.revoked.set(notice.iss, byJti);
    }
    byJti.set(notice.jti, notice.exp ?? now + this.longestLifetimeUs);
    return this.agents.get(notice.iss)?.get(notice.jti);
  }
}

/**
 * The agent provider's side: a signed POST naming the agent token to the
 * PS's revocation endpoint (signed by `provider`, the token's issuer), sent
 * again while it answers 503 (at most `retries` times): after the answer's
 * Retry-After, or the provider's own `retryUs` when it carries none. The body follows the profile's
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
  retryUs = PROVIDER_RETRY_US,
  attempt = 0,
): void {
  const body = carriesExp ? { jti: token.jti, exp: token.exp } : { jti: token.jti };
  ctx.record('agent_token.revocation_sent', null, provider, { agent: token.agent, attempt, ...body });
  // The PS receives the body and the signer (the provider, the token's iss): never the token itself.
  const notice: AgentTokenRevocationNotice = { iss: provider, ...body };
  network.send(
    provider,
    ps.actor,
    () =>
      ps.revokeAgentToken(notice, (answer) =>
        network.send(
          ps.actor,
          provider,
          () => {
            ctx.record('agent_token.revocation_answered', null, provider, { agent: token.agent, jti: token.jti, status: answer.status });
            if (answer.status === 503 && attempt < retries)
              ctx.sim.schedule(answer.retryAfter ?? retryUs, () =>
                sendAgentTokenRevocation(ctx, network, provider, ps, token, carriesExp, retries, retryUs, attempt + 1),
              );
          },
          undefined,
        ),
      ),
    undefined,
  );
}
