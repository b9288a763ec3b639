import type { ActorContext } from '../context/actor-context.ts';
import type { AgentTokenRevocations } from './agent-token-revocation.ts';
import type { MissionRecord } from './mission-record.ts';
import { subAgentRefusal } from './parent-mediation.ts';
import type { Profile } from './profiles.ts';
import type { Token } from './tokens.ts';

/** The endpoints whose credential refusals the PS logs as `agent_token.refused`. */
export type SignedEndpoint = 'mission' | 'delegation' | 'update' | 'governance';

/**
 * Who may sign a request to the Person Server: the agent tokens a request
 * presents (revoked or expired ones refused) and, under -11's
 * parent-mediated profiles, the rule that a sub-agent's request is signed
 * by its parent, for its own sub-agent. Every PS endpoint asks these same
 * questions, so they live in one place.
 */
export class RequestSigners {
  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly profile: Profile,
    private readonly agentTokens: AgentTokenRevocations,
    /** The mission an agent acts under (the refusal's log line names it). */
    private readonly recordOf: (agent: string) => MissionRecord | undefined,
  ) {}

  /**
   * -11 (parent-mediated profiles): a request signed by a sub-agent is
   * refused, and a parent's request must be for its own sub-agent
   * (sim/protocol/parent-mediation.ts). `own` is the agent token the
   * request carries for its agent; `parent`, the parent's that signs it.
   */
  subAgentRefusal(own: Token | undefined, parent: Token | undefined): string | null {
    if (!this.profile.parentMediated) return null;
    return parent === undefined ? subAgentRefusal(own, undefined) : subAgentRefusal(parent, own);
  }

  /**
   * The credential checks of a governance request or mission update: the
   * agent token presented (revoked, expired), and under -11 the parent's
   * that signs a sub-agent's request, with the parent binding; a sub-agent
   * signing its own is refused (its parent must relay it). Null: none refuses.
   */
  refusesSigners(agentToken: Token | undefined, parentToken: Token | undefined): string | null {
    const now = this.ctx.sim.now;
    return (
      (parentToken === undefined ? null : this.agentTokens.refusesAgentToken(parentToken, now)) ??
      this.agentTokens.refusesAgentToken(agentToken, now) ??
      this.subAgentRefusal(agentToken, parentToken)
    );
  }

  /** A request refused for its credentials (a revoked or expired agent token; -11, a signer or named parties that do not fit): logged, then answered as refused. */
  refuseCredential(agent: string, endpoint: SignedEndpoint, reason: string, answer: () => void): void {
    this.ctx.record('agent_token.refused', this.recordOf(agent)?.s256 ?? null, this.actor, { agent, endpoint, reason });
    answer();
  }
}
