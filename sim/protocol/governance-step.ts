import type { Distribution } from '../engine/distribution.ts';
import type { Yieldable } from '../engine/process.ts';
import type { CompiledPlanStep } from '../scenario/compile.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { ActionRef, GovernanceAnswer } from './governance-endpoints.ts';
import type { Network } from './network.ts';
import type { AgentFacingEndpoints } from './ps-endpoints.ts';
import { retryingRequest } from './retrying-request.ts';
import type { Token } from './tokens.ts';

/** A plan step that talks to the PS governance endpoints instead of calling a resource. */
export type GovernanceStep = {
  at: number | undefined;
  after: Distribution | undefined;
} & ({ kind: 'permission'; action: ActionRef } | { kind: 'audit'; text: string } | { kind: 'interact'; text: string } | { kind: 'update'; text: string });

/** The governance step a plan step describes, or undefined for a resource call (`op`). */
export function governanceStep(compiled: CompiledPlanStep): GovernanceStep | undefined {
  const step = compiled.def;
  const timing = { at: compiled.atUs, after: compiled.after };
  if (step.permission !== undefined) {
    const [resource, operation] = step.permission.split('/') as [string, string];
    return { ...timing, kind: 'permission', action: { resource, operation, args: step.args, stage: step.stage } };
  }
  if (step.audit !== undefined) return { ...timing, kind: 'audit', text: step.audit };
  if (step.interact !== undefined) return { ...timing, kind: 'interact', text: step.interact };
  if (step.update !== undefined) return { ...timing, kind: 'update', text: step.update };
  return undefined;
}

/**
 * An agent performs a governance step: audit is sent and forgotten;
 * permission and interaction are asked, then polled every Retry-After
 * until the PS has the answer (from the mission, or from the person at
 * human speed). The answer is in the PS's log; the agent goes on either
 * way (the action asked about is not a resource call the simulator runs).
 * Throws NoAnswer when every attempt of a request was lost.
 */
export function* performGovernance(
  ctx: ActorContext,
  network: Network,
  ps: AgentFacingEndpoints,
  agent: string,
  mission: string | null,
  step: GovernanceStep,
  /** The agent token the request is signed with (the update endpoint refuses a revoked or expired one). */
  agentToken: () => Token | undefined = () => undefined,
): Generator<Yieldable, void, unknown> {
  const actor = `agent:${agent}`;
  if (step.kind === 'audit') {
    const signedWith = agentToken();
    network.sendLossy(actor, ps.actor, () => ps.governance.audit(agent, mission, step.text, signedWith), undefined, mission);
    return;
  }
  // aauth-latest: the update is put to the person; what they decide changes the mission's meaning, not what the agent does next.
  if (step.kind === 'update') {
    const signedWith = agentToken();
    network.sendLossy(actor, ps.actor, () => ps.proposeUpdate(agent, step.text, signedWith), undefined, mission);
    return;
  }
  const ask = (deliver: (reply: (answer: GovernanceAnswer) => void, signedWith: Token | undefined) => void) => {
    const signedWith = agentToken();
    return retryingRequest(ctx, network, network.retry, network.link(actor, ps.actor), mission, (reply: (answer: GovernanceAnswer) => void) =>
      deliver(reply, signedWith),
    );
  };
  const first = () =>
    ask((reply, signedWith) =>
      step.kind === 'permission'
        ? ps.governance.permission(agent, mission, step.action, reply, signedWith)
        : ps.governance.interaction(agent, mission, step.text, reply, signedWith),
    );
  let answer = (yield first()) as GovernanceAnswer;
  for (;;) {
    if (answer.status === 'answered') return;
    yield answer.retryAfter;
    const request = answer.status === 'pending' ? answer.request : undefined;
    answer = (yield request === undefined ? first() : ask((reply, signedWith) => ps.governance.poll(request, reply, agent, signedWith))) as GovernanceAnswer;
  }
}
