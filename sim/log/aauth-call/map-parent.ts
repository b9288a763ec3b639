import { type CallView, type LogContext, type MapResult, type MappedEvent, activeMission, at, isObject, nameOf, reasonOf, str } from './call-view.ts';

/**
 * -11, parent-mediated sub-agents: an agent's request to another agent is a
 * sub-agent asking its parent runtime for its hop (a `task`). The parent's
 * own answers become its events: asked, narrowed (the answer names what it
 * asked for instead), refused (`parent_policy`, `rate_limited`); a request
 * no parent runtime answered is the sub-agent's `parent_unreachable`.
 */
/** What a sub-agent asks its parent to ask the PS for, besides its hop (-11: it never calls the PS itself). */
const SUB_AGENT_REQUESTS = new Set(['person_token', 'auth_token', 'permission', 'interaction', 'governance_poll', 'audit', 'update']);

export function mapToParent(view: CallView, context: LogContext): MapResult {
  const { request, response, status } = view;
  const child = view.agent ?? nameOf(view.from);
  const parent = nameOf(view.to);
  const asks = str(request.request);
  if (typeof request.task !== 'string' && asks === undefined && status === undefined && view.error === 'parent_unavailable') {
    const when = at(view.times.callerStart, view.times.calleeStart);
    const mission = str(request.mission_s256) ?? null;
    return { events: [{ at: when, type: 'delegation.parent_unreachable', mission, actor: `agent:${child}`, fields: { parent } }] };
  }
  if (typeof request.task !== 'string' && (asks === undefined || !SUB_AGENT_REQUESTS.has(asks)))
    return { unmapped: `a call from an agent to an agent that is not a sub-agent's request (${view.method} ${parent}${view.path})` };
  const arrived = at(view.times.calleeStart, view.times.callerStart);
  const mission = activeMission(context, parent, arrived);
  const actor = `agent:${parent}`;
  const what = typeof request.task === 'string' ? { task: request.task } : { request: asks };
  const events: MappedEvent[] = [{ at: arrived, type: 'delegation.parent_asked', mission, actor, fields: { child, ...what } }];
  const narrowed = isObject(response.narrowed) ? response.narrowed : undefined;
  if (narrowed && isObject(narrowed.requested) && isObject(narrowed.grant)) {
    events.push({ at: arrived, type: 'delegation.parent_narrowed', mission, actor, fields: { child, requested: narrowed.requested, grant: narrowed.grant } });
  }
  // The parent's own refusal names it as the decider; a refusal of the PS's it relays does not.
  if ((status === 403 || status === 429) && str(response.decided_by) === parent) {
    const retry = typeof response.retry_after_us === 'number' ? { retry_after_us: response.retry_after_us } : {};
    events.push({ at: arrived, type: 'delegation.parent_refused', mission, actor, fields: { child, reason: reasonOf(view), ...retry } });
  }
  return { events };
}
