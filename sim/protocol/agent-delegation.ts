import type { ProcessBody } from '../engine/process.ts';
import type { CompiledAgent } from '../scenario/compile.ts';
import type { Network } from './network.ts';
import type { DelegationAnswer } from './ps-messages.ts';
import { ProposingRuntime } from './agent-proposal.ts';
import type { ParentRoute } from './sub-agent-governance.ts';
import { ViaParent } from './via-parent.ts';
import { SubAgentMediator, type ParentEndpoint } from './parent-mediation.ts';

/**
 * An agent runtime's place in a delegation tree. As a sub-agent it has no
 * mission of its own: its parent's PS mints (or refuses) its hop, which it
 * asks for at its start and again after a crash under runtime-bound
 * authority (agent-failover.ts). Under -11 (parentMediated) it asks none of
 * its PS requests itself: the hop, its person and auth tokens, governance
 * requests and updates all go to its parent runtime (via-parent.ts), which
 * asks the PS and relays the answer. As a parent it answers its
 * sub-agents' requests from its own policy (parent-mediation.ts).
 *
 * A base class of the Agent rather than an object it holds, as the proposal
 * is (agent-proposal.ts): a minted hop writes the mission and approver every
 * step presents, and the -11 route is asked by the token requests
 * (agent-tokens.ts) and the plan's governance steps alike; as members of the
 * agent they cost no object more per agent and no pointer more per request.
 * Separate from the proposal because a sub-agent never proposes and a root
 * agent never asks for a hop; and from the tokens because it is the tree,
 * not the token, that decides where a request goes.
 */
export abstract class DelegatingRuntime extends ProposingRuntime {
  // What of the agent the delegation reads (sim/protocol/agent.ts).
  protected abstract readonly network: Network;
  /** The agent identity on the wire (the PS's signer check and the parent's relay name it). */
  protected abstract readonly agentId: string;
  /** -11: what this agent does as a parent with its sub-agents' requests (`sub_agents`). */
  protected abstract readonly subAgentPolicy: CompiledAgent['subAgentPolicy'];

  /**
   * A sub-agent: no mission of its own; its parent's PS mints (or refuses)
   * the hop. -11 (parentMediated): it asks its parent runtime, which asks
   * the PS and relays the answer (viaParent). Elsewhere it asks the PS
   * itself. False if refused.
   */
  protected *delegate(): ProcessBody<boolean> {
    let hop: DelegationAnswer = yield* this.askForHop();
    // A deferral (202) and an outage (503) are both waited out, after the Retry-After each carries.
    while (hop.status === 'pending' || hop.status === 'unavailable') {
      yield hop.retryAfter;
      hop = yield* this.askForHop();
    }
    if (hop.status === 'rejected') {
      this.ctx.record('agent.stopped', null, this.actor, { reason: `delegation refused: ${hop.reason}` });
      return false;
    }
    this.actUnder(hop.s256, hop.approver);
    return true;
  }

  private *askForHop(): ProcessBody<DelegationAnswer> {
    const parent = this.def.parent as string;
    const task = this.def.task ?? '';
    if (this.mediated) {
      const hop = () => ({ kind: 'hop' as const, child: this.def.id, task, grant: this.def.grant, subagentToken: this.signingToken() });
      return yield* this.viaParent.ask<DelegationAnswer>(this.mission, hop, (reason: string) => ({ status: 'rejected', reason }));
    }
    const own = this.signingToken();
    return yield this.callPs((reply: (answer: DelegationAnswer) => void) => this.ps.requestDelegation(parent, this.def.id, task, this.def.grant, reply, own));
  }

  /** -11: this sub-agent's requests to its PS go through its parent runtime (wired by the world under parent-mediated profiles). */
  protected get mediated(): boolean {
    return this.profile.parentMediated === true && this.parent !== undefined;
  }

  /** -11: the way to its PS through its parent runtime (made on a mediated sub-agent's first request). */
  protected get viaParent(): ViaParent {
    this.toParent ??= new ViaParent(this.ctx, this.network, this.parent as ParentEndpoint, this.actor, this.def.parent as string);
    return this.toParent;
  }

  /** -11: the sub-agent's governance route, through its parent. */
  protected get parentRoute(): ParentRoute {
    return this.viaParent.route(this.mission);
  }

  private toParent: ViaParent | undefined;

  /** -11, parent-mediated sub-agents: the parent runtime's endpoint, where this sub-agent sends its requests of the PS: hop, person and auth tokens, governance requests and updates (set by the world). */
  parent: ParentEndpoint | undefined;

  /** -11: this agent's side as a parent (made when a sub-agent is wired to it; told of its runtime's crash and restart). */
  protected mediating: SubAgentMediator | undefined;

  /** The endpoint this agent's sub-agents ask (-11): the parent answers from its own policy and its own PS requests. */
  get mediator(): ParentEndpoint {
    this.mediating ??= new SubAgentMediator(
      this.ctx,
      this.network,
      this.ps,
      this.agentId,
      this.actor,
      () => this.signingToken(),
      () => this.mission,
      this.subAgentPolicy,
    );
    return this.mediating;
  }
}
