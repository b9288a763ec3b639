import type { ActorContext } from '../context/actor-context.ts';
import type { Signal, Yieldable } from '../engine/process.ts';
import type { GovernanceAnswer } from './governance-endpoints.ts';
import type { Network } from './network.ts';
import type { AuthAnswer } from './ps-messages.ts';
import { PARENT_RETRY_US, type ParentAnswer, type ParentEndpoint, type SubAgentRequest } from './parent-mediation.ts';
import { retryingRequest } from './retrying-request.ts';
import type { ParentRoute } from './sub-agent-governance.ts';

/**
 * -11, parent-mediated profiles ("A sub-agent MUST NOT call the PS
 * directly"): a sub-agent's way to its PS, through its parent runtime over
 * the network (IPC in the draft's words), for its hop, its person and auth
 * tokens and its governance steps. The parent answers from its own policy
 * and its own PS requests (sim/protocol/parent-mediation.ts). Made only for
 * a sub-agent wired to a parent, on its first request.
 */
export class ViaParent {
  constructor(
    private readonly ctx: ActorContext,
    private readonly network: Network,
    private readonly parent: ParentEndpoint,
    /** The sub-agent's actor id, and its parent's agent id (what `delegation.parent_unreachable` names). */
    private readonly actor: string,
    private readonly parentId: string,
  ) {}

  /**
   * One request through the parent: the PS's answer as the parent relays
   * it, or `refused(reason)` if the parent refuses it. A rate limit is
   * waited out (its Retry-After); a parent runtime that is down (crashed,
   * not yet replaced) answers no one, so the sub-agent asks again every
   * PARENT_RETRY_US and gets nothing until a replacement runs. `mission`:
   * the one the sub-agent acts under (its own process, waiting here, is
   * the only one that changes it), what its requests are logged under.
   */
  *ask<T>(mission: string | null, build: () => SubAgentRequest, refused: (reason: string) => T): Generator<Yieldable, T, unknown> {
    for (;;) {
      const answer = (yield this.send(mission, build())) as ParentAnswer;
      if (answer.status === 'relayed') return answer.answer as T;
      if (answer.status === 'refused') return refused(answer.reason);
      if (answer.status === 'rate_limited') {
        yield answer.retryAfter;
        continue;
      }
      this.ctx.record('delegation.parent_unreachable', mission, this.actor, { parent: this.parentId });
      yield PARENT_RETRY_US;
    }
  }

  /** The sub-agent's governance route under `mission`: requests through `ask` (a parent's refusal is a refused answer), one-way notices over the network. */
  route(mission: string | null): ParentRoute {
    const parent = this.parent;
    return {
      ask: (build) => this.ask<GovernanceAnswer>(mission, build, (reason) => ({ status: 'answered', granted: false, reason })),
      notify: (notice) => this.network.sendLossy(this.actor, parent.actor, () => parent.notify(notice), undefined, mission),
    };
  }

  /** A request to the parent runtime; its answer comes back the same way (retried where the link loses messages). */
  private send(mission: string | null, request: SubAgentRequest): Signal<ParentAnswer> {
    const parent = this.parent;
    const out = this.network.outgoing(this.actor).to(parent.actor);
    return retryingRequest(this.ctx, this.network, this.network.retry, out, mission, (reply) => parent.receive(request, reply));
  }
}

/** The parent refused to ask for a token (or its PS never answered it): the step is skipped, as for any refusal that may pass. */
export function refusedByParent(reason: string): AuthAnswer {
  return { granted: false, reason, final: false };
}
