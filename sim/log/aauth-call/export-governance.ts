import type { LoggedEvent } from '../read-log.ts';
import { agentPost, type CallRest, type EventHandlers, type ExportState, type MessageFamily, type OpenCall } from './export-state.ts';
import type { SubAgentExport } from './export-sub-agents.ts';

/**
 * The governance calls of `export --format aauth-call` (export.ts): an
 * agent's permission request (POST /permission), its question for the
 * person (POST /interaction), its audit report (POST /audit). Under -11 a
 * sub-agent's go through its parent (`signed_by`), which relays the PS's
 * answer back on the sub-agent's ask (export-sub-agents.ts).
 */

/** A governance request waiting for its answer, with (-11) the sub-agent's ask its parent relayed it for. */
type OpenGovernance = OpenCall & { ask?: OpenCall };

/** The governance events' handlers, and `finish`: how many requests were still unanswered at the end of the run. */
export function governanceExport(state: ExportState, subAgents: SubAgentExport): MessageFamily {
  const { callId, parentAsks } = state;
  const permissions = new Map<string, OpenGovernance>(); // agent|action -> pending request
  const interactions = new Map<string, OpenGovernance>(); // agent|question -> pending relay to the person
  const handlers: EventHandlers = {
    'permission.requested': (e) => permissions.set(`${String(e.agent)}|${String(e.action)}`, { id: callId(), start: e.t, event: e, ...askOf(e) }),
    'permission.decided': (e) => {
      const key = `${String(e.agent)}|${String(e.action)}`;
      const open = permissions.get(key);
      permissions.delete(key);
      governanceCall(e, open, {
        id: open?.id,
        path: '/permission',
        start: open?.start ?? e.t,
        end: e.t,
        status: 200,
        request: { body: { action: e.action } },
        response: { body: { decision: e.decision, decided_by: e.decided_by, reason: e.reason } },
      });
    },
    'interaction.requested': (e) => interactions.set(`${String(e.agent)}|${String(e.question)}`, { id: callId(), start: e.t, event: e, ...askOf(e) }),
    'interaction.answered': (e) => {
      const key = `${String(e.agent)}|${String(e.question)}`;
      const open = interactions.get(key);
      interactions.delete(key);
      governanceCall(e, open, {
        id: open?.id,
        path: '/interaction',
        start: open?.start ?? e.t - (e.waited_us as number),
        end: e.t,
        status: 200,
        request: { body: { question: e.question } },
        response: { body: { answered: true } },
      });
    },
    // -11: a sub-agent's report is its parent's call (`signed_by`), as its token requests are.
    'audit.reported': (e) => subAgents.requestToPs(e, { path: '/audit', start: e.t, status: 202, request: { body: { action: e.action } } }),
  };
  return { handlers, finish: () => permissions.size + interactions.size };

  /** -11: the sub-agent's ask its parent relayed as the governance request `e` logs, kept with it (its polls come as other asks). */
  function askOf(e: LoggedEvent): { ask?: OpenCall } {
    if (typeof e.signed_by !== 'string') return {};
    const ask = parentAsks.get(String(e.agent));
    parentAsks.delete(String(e.agent));
    return ask ? { ask } : {};
  }

  /** A governance call answered by `e`, whose request `open` logged: the agent's own, or (-11, `signed_by`) its parent's on its behalf. */
  function governanceCall(e: LoggedEvent, open: OpenGovernance | undefined, rest: CallRest): void {
    const agent = String(e.agent);
    const signer = open?.event.signed_by;
    if (typeof signer !== 'string') {
      agentPost(state, e, agent, 'ps', rest);
      return;
    }
    // The sub-agent's polls (governance_poll) through the parent are asks of their own; the one the answer came back on ends here.
    const poll = parentAsks.get(agent);
    if (poll?.event.request === 'governance_poll') {
      parentAsks.delete(agent);
      subAgents.writeParentAsk(poll, e.t, 200, (rest.response?.body as Record<string, unknown> | undefined) ?? {});
    }
    subAgents.relay(e, agent, signer, rest, open?.ask);
  }
}
