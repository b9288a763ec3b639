import type { ActorContext } from '../context/actor-context.ts';
import { endedRefusal, isEnded } from '../lifecycle/states.ts';
import type { IntentDef } from '../scenario/schema.ts';
import type { AgentTokenRevocations } from './agent-token-revocation.ts';
import type { AuthorityDesk } from './authority-desk.ts';
import type { MissionClasses } from './mission-class.ts';
import { namedPartiesRefusal } from './parent-mediation.ts';
import type { Profile } from './profiles.ts';
import type { PsEndpointBook } from './ps-endpoint-book.ts';
import type { DelegationAnswer } from './ps-messages.ts';
import type { RequestSigners } from './request-signers.ts';
import type { Token } from './tokens.ts';

/** The parts of the PS the delegation endpoint decides with. */
export interface DelegationParts {
  readonly profile: Profile;
  readonly desk: AuthorityDesk;
  readonly agentTokens: AgentTokenRevocations;
  readonly signers: RequestSigners;
  readonly classes: MissionClasses | undefined;
  /** This PS's identifier: the `approver` a granted hop names. */
  readonly approver: string;
  /** The Retry-After of a pending mission's answer and of this PS's 503: its polling interval. */
  readonly pollInterval: number;
}

/**
 * The Person Server's delegation endpoint: a sub-agent asks to act under
 * its parent's mission with a narrower grant. The PS mints the hop or
 * refuses it (depth cap; at-mint: child grant not inside the parent's),
 * and records both in the mission log.
 */
export class DelegationEndpoint {
  constructor(
    private readonly ctx: ActorContext,
    private readonly parts: DelegationParts,
    private readonly book: PsEndpointBook,
  ) {}

  request(
    parent: string,
    child: string,
    task: string,
    grant: IntentDef | undefined,
    reply: (answer: DelegationAnswer) => void,
    agentToken?: Token,
    parentToken?: Token,
  ): void {
    const { profile, desk, agentTokens, signers, approver, pollInterval } = this.parts;
    this.book.serve(
      () => {
        // Parent-mediated (-11): the parent signs with its agent token; the sub-agent's own token comes with it.
        const now = this.ctx.sim.now;
        const credential =
          agentTokens.refusesAgentToken(parentToken, now) ??
          agentTokens.refusesAgentToken(agentToken, now) ??
          signers.subAgentRefusal(agentToken, parentToken) ??
          (profile.parentMediated ? namedPartiesRefusal(parent, child, parentToken, agentToken) : null);
        if (credential !== null) return signers.refuseCredential(parent, 'delegation', credential, () => reply({ status: 'rejected', reason: credential }));
        const record = this.book.recordOf(parent);
        if (!record || !desk.hop(parent) || record.state === 'pending') return reply({ status: 'pending', retryAfter: pollInterval });
        if (isEnded(record.state)) return reply({ status: 'rejected', reason: endedRefusal(record.state) });
        // -11: the request is signed by the parent (its agent token); the log names the signer.
        const refusal = desk.mint(record.s256, parent, child, task, grant, parentToken?.agent);
        if (refusal === null) this.parts.classes?.minted(record.s256, child, agentToken);
        reply(refusal === null ? { status: 'granted', s256: record.s256, approver } : { status: 'rejected', reason: refusal });
      },
      // Down: 503 with its Retry-After (not a 202: nothing was deferred, the request was not read).
      () => reply({ status: 'unavailable', retryAfter: pollInterval }),
    );
  }
}
