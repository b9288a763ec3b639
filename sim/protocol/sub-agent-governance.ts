import type { Yieldable } from '../engine/process.ts';
import type { GovernanceAnswer } from './governance-endpoints.ts';
import type { GovernanceStep } from './governance-step.ts';
import type { SubAgentNotice, SubAgentRequest } from './parent-mediation.ts';
import type { Token } from './tokens.ts';

/** How a parent-mediated sub-agent reaches its PS: only through its parent (the agent's `viaParent` and the parent endpoint's `notify`). */
export interface ParentRoute {
  /** One request through the parent, its answer as relayed; a parent's refusal becomes a refused answer. */
  ask(build: () => SubAgentRequest): Generator<Yieldable, GovernanceAnswer, unknown>;
  /** A one-way message to the parent, which relays it (or drops it, by its policy). */
  notify(notice: SubAgentNotice): void;
}

/**
 * -11 ("A sub-agent MUST NOT call the PS directly"): a sub-agent's
 * governance step, sent to its parent runtime, which relays it to the PS
 * signed with its own agent token, the sub-agent's beside it
 * (sim/protocol/parent-mediation.ts). Audit and update are one-way, as at
 * the PS; permission and interaction are asked, then polled every
 * Retry-After through the parent until answered, as performGovernance
 * does for an agent that asks its PS itself.
 */
export function* governanceViaParent(
  route: ParentRoute,
  child: string,
  mission: string | null,
  step: GovernanceStep,
  subagentToken: () => Token | undefined,
): Generator<Yieldable, void, unknown> {
  if (step.kind === 'audit') return route.notify({ kind: 'audit', child, mission, action: step.text, subagentToken: subagentToken() });
  if (step.kind === 'update') return route.notify({ kind: 'update', child, description: step.text, subagentToken: subagentToken() });
  const first = (): SubAgentRequest =>
    step.kind === 'permission'
      ? { kind: 'permission', child, mission, action: step.action, subagentToken: subagentToken() }
      : { kind: 'interaction', child, mission, question: step.text, subagentToken: subagentToken() };
  let answer = yield* route.ask(first);
  for (;;) {
    if (answer.status === 'answered') return;
    yield answer.retryAfter;
    const request = answer.status === 'pending' ? answer.request : undefined;
    answer = yield* route.ask(request === undefined ? first : () => ({ kind: 'governance_poll', child, request, subagentToken: subagentToken() }));
  }
}
