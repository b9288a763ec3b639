import type { ActorContext } from '../context/actor-context.ts';
import type { AgentTokenRevocationAnswer, AgentTokenRevocationNotice, AgentTokenRevocations } from './agent-token-revocation.ts';
import type { Profile } from './profiles.ts';
import type { PsEndpointBook } from './ps-endpoint-book.ts';
import type { RevocationSender } from './revocation-sender.ts';
import type { Token } from './tokens.ts';

/**
 * The Person Server's revocation endpoint for agent tokens (-10 and
 * later): the agent provider revokes one, naming it by its (iss, jti) (and
 * exp). The PS denies every later request presenting it
 * (refusesAgentToken), and revokes the live auth tokens it issued or
 * provided for that agent at their resources (as for a terminated
 * mission). It knows which agent that is only if the token was presented
 * to it before; otherwise it revokes nothing more. The mission itself
 * stays active.
 */
export class AgentTokenRevocationEndpoint {
  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly profile: Profile,
    private readonly agentTokens: AgentTokenRevocations,
    private readonly revocations: RevocationSender,
    /** The Retry-After of this PS's 503: the interval it gives every caller it asks to come back. */
    private readonly pollInterval: number,
    private readonly book: PsEndpointBook,
  ) {}

  revoke(notice: AgentTokenRevocationNotice, reply: (answer: AgentTokenRevocationAnswer) => void): void {
    if (!this.profile.agentTokenRevocation) return reply({ status: 'revocation_unsupported' });
    this.book.serve(
      () => {
        const now = this.ctx.sim.now;
        const agent = this.agentTokens.revoke(notice, now);
        const record = agent === undefined ? undefined : this.book.recordOf(agent);
        const forAgent = (token: Token) => token.agent === agent && token.kind === 'auth';
        const under = record ? record.outstanding.unexpired(now).filter(forAgent) : [];
        this.ctx.record('agent_token.revoked', record?.s256 ?? null, this.actor, {
          agent: agent ?? null,
          iss: notice.iss,
          jti: notice.jti,
          ...(notice.exp !== undefined ? { exp: notice.exp } : {}),
          revoked_tokens: under.map((token) => token.jti),
        });
        if (record && under.length > 0) {
          record.outstanding.remove(forAgent);
          this.revocations.revokeMission(record, under, false);
        }
        reply({ status: 200 });
      },
      // Down: 503 with its Retry-After, the interval this PS gives every caller it asks to come back.
      () => reply({ status: 503, retryAfter: this.pollInterval }),
    );
  }
}
