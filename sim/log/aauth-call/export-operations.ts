import type { LoggedEvent } from '../read-log.ts';
import { agentPost, type EventHandlers, type ExportState, type MessageFamily, type OpenCall } from './export-state.ts';
import type { Token } from './record.ts';

/**
 * The resource calls of `export --format aauth-call` (export.ts): an
 * agent's call to an operation with its auth token, which arrives when the
 * resource queues it (`op.queued`) and is answered when the resource
 * executes it, recalls it (revoked while queued) or rejects it.
 */

/** The operation events' handlers, and `finish`: how many calls were still queued at the end of the run. */
export function operationExport(state: ExportState): MessageFamily {
  const { callId, authTokens } = state;
  const queuedCalls = new Map<string, OpenCall>(); // resource|jti|op -> the call the resource queued
  const callKey = (e: LoggedEvent) => `${e.actor}|${String(e.jti)}|${String(e.op)}`;
  const handlers: EventHandlers = {
    'op.queued': (e) => queuedCalls.set(callKey(e), { id: callId(), start: e.t, event: e }),
    'op.executed': writeAnswer,
    'op.recalled': writeAnswer,
    'request.rejected': writeAnswer,
  };
  return { handlers, finish: () => queuedCalls.size };

  /** The resource's answer to a queued call: executed, recalled (revoked while queued), or rejected. */
  function writeAnswer(e: LoggedEvent): void {
    const mission = e.mission;
    const queued = queuedCalls.get(callKey(e));
    queuedCalls.delete(callKey(e));
    // The token the agent presented, as its PS's grant wrote it; with no grant in the log, the claims the event names.
    const token: Token = authTokens.get(String(e.jti)) ?? {
      type: 'aa-auth+jwt',
      payload: { jti: e.jti, agent: e.agent, ...(mission ? { mission_s256: mission } : {}) },
    };
    const executed = e.type === 'op.executed';
    const body = executed
      ? { status: 'executed', irreversible: e.irreversible }
      : e.type === 'op.recalled'
        ? { error: 'revoked', stage: e.stage }
        : { error: e.reason };
    agentPost(state, e, String(e.agent), 'resource', {
      id: queued?.id,
      path: `/${String(e.op)}`,
      start: queued?.start ?? e.t,
      end: e.t,
      status: executed ? 200 : 403,
      token,
      response: { body },
      error: executed ? undefined : String(body.error).slice(0, 64),
    });
  }
}
