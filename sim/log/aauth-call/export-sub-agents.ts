import type { LoggedEvent } from '../read-log.ts';
import { nameAfter } from './export-call-writer.ts';
import { agentPost, type CallRest, type EventHandlers, type ExportState, type MessageFamily, type OpenCall, type ParentAsk } from './export-state.ts';

/**
 * The sub-agent calls of `export --format aauth-call` (export.ts): a hop
 * (POST /delegation to the PS) and, under -11, the sub-agent's request to
 * its parent runtime (POST /subagent-request), which the parent refuses,
 * narrows, or relays to the PS signed with its own agent token. Token and
 * governance requests a parent relays go through `relay` too, so the ask
 * they answer is closed in one place. Open hops are this module's own; the
 * open asks are in the state, since a relayed token or governance request
 * closes them.
 */
export interface SubAgentExport extends MessageFamily {
  /**
   * -11: a PS request a parent (`signer`) makes for its sub-agent `child` (named as `subagent`) while handling the
   * sub-agent's ask (`parent`), whose answer it relays: the ask `taken` earlier, else the child's open one.
   */
  relay: (e: LoggedEvent, child: string, signer: string, rest: CallRest, taken?: ParentAsk) => string;
  /** A request to event `e`'s PS: the agent's own, or (-11, `signed_by`) its parent's on its behalf. */
  requestToPs: (e: LoggedEvent, rest: CallRest) => string;
  /** -11: the sub-agent's ask of its parent, answered (a refusal of the parent's own, or the PS's answer relayed). */
  writeParentAsk: (ask: ParentAsk, end: number, status: number, answer: Record<string, unknown>) => void;
}

export function subAgentExport(state: ExportState): SubAgentExport {
  const { call, callId, unplaced, parentAsks, bindingAnswers } = state;
  const delegations = new Map<string, OpenCall>(); // child -> pending hop request
  const handlers: EventHandlers = {
    'delegation.requested': (e) => delegations.set(String(e.child), { id: callId(), start: e.t, event: e }),
    'delegation.granted': writeDelegation,
    'delegation.rejected': writeDelegation,
    // -11: the sub-agent asks its parent runtime (the parent's side is the callee's record).
    'delegation.parent_asked': (e) => {
      // An earlier ask still open was answered pending (the PS's 202, relayed) or reset by a crash: written as answered 202.
      const earlier = parentAsks.get(String(e.child));
      if (earlier) writeParentAsk(earlier, earlier.start, 202, { status: 'pending' });
      parentAsks.set(String(e.child), { id: callId(), start: e.t, event: e });
    },
    'delegation.parent_narrowed': (e) => {
      const ask = parentAsks.get(String(e.child));
      if (ask) ask.narrowed = e;
      else unplaced(e);
    },
    'delegation.parent_refused': (e) => {
      const ask = parentAsks.get(String(e.child));
      parentAsks.delete(String(e.child));
      if (!ask) return unplaced(e);
      writeParentAsk(ask, e.t, e.reason === 'rate_limited' ? 429 : 403, {
        error: e.reason,
        decided_by: nameAfter(e.actor),
        ...(typeof e.retry_after_us === 'number' ? { retry_after_us: e.retry_after_us } : {}),
      });
    },
    // The sub-agent's request found no parent runtime to answer it: the caller's record alone, with no status.
    'delegation.parent_unreachable': (e) =>
      call({
        from: nameAfter(e.actor),
        fromRole: 'agent',
        to: String(e.parent),
        toRole: 'agent',
        agent: nameAfter(e.actor),
        method: 'POST',
        path: '/subagent-request',
        start: e.t,
        ...(e.mission ? { request: { body: { mission_s256: e.mission } } } : {}),
        error: 'parent_unavailable',
        calleeLogs: false,
      }),
  };
  return { handlers, relay, requestToPs, writeParentAsk, finish: () => delegations.size + parentAsks.size };

  /** The PS's answer to a hop request: the sub-agent's own (r01), or (-11) its parent's, signed with the parent's agent token, naming it. */
  function writeDelegation(e: LoggedEvent): void {
    const mission = e.mission;
    const open = delegations.get(String(e.child));
    delegations.delete(String(e.child));
    const granted = e.type === 'delegation.granted';
    const grant = e.grant === undefined ? {} : { grant: e.grant };
    const body: Record<string, unknown> = granted ? { reason: e.reason, ...grant } : { error: String(e.reason).slice(0, 64), reason: e.reason, ...grant };
    if (granted) bindingAnswers.set(String(e.child), body);
    const request = { parent_agent: e.parent, depth: e.depth, task: open?.event.task ?? '', ...(mission ? { mission_s256: mission } : {}) };
    const decided = { end: e.t, status: granted ? 200 : 403, response: { body }, error: granted ? undefined : String(e.reason).slice(0, 64) };
    const signer = open?.event.signed_by;
    const delegation = { id: open?.id, path: '/delegation', start: open?.start ?? e.t, request: { body: request }, ...decided };
    if (typeof signer === 'string') relay(e, String(e.child), signer, delegation);
    else agentPost(state, e, String(e.child), 'ps', delegation);
  }

  function relay(e: LoggedEvent, child: string, signer: string, rest: CallRest, taken?: ParentAsk): string {
    const ask = taken ?? parentAsks.get(child);
    if (!taken) parentAsks.delete(child);
    const body = { ...((rest.request?.body as Record<string, unknown> | undefined) ?? {}), subagent: child };
    const id = call({
      ...rest,
      parent: ask?.id,
      from: signer,
      fromRole: 'agent',
      to: nameAfter(e.actor),
      toRole: 'ps',
      agent: signer,
      method: 'POST',
      request: { body },
    });
    if (ask) writeParentAsk(ask, rest.end ?? e.t, rest.status ?? 200, (rest.response?.body as Record<string, unknown> | undefined) ?? {});
    else unplaced(e);
    return id;
  }

  function requestToPs(e: LoggedEvent, rest: CallRest): string {
    return typeof e.signed_by === 'string' ? relay(e, String(e.agent), e.signed_by, rest) : agentPost(state, e, String(e.agent), 'ps', rest);
  }

  function writeParentAsk(ask: ParentAsk, end: number, status: number, answer: Record<string, unknown>): void {
    const e = ask.event;
    const narrowed = ask.narrowed ? { narrowed: { requested: ask.narrowed.requested, grant: ask.narrowed.grant } } : {};
    call({
      id: ask.id,
      from: String(e.child),
      fromRole: 'agent',
      to: nameAfter(e.actor),
      toRole: 'agent',
      agent: String(e.child),
      method: 'POST',
      path: '/subagent-request',
      start: ask.start,
      end,
      status,
      request: { body: e.task !== undefined ? { task: e.task } : { request: e.request } },
      response: { body: { ...answer, ...narrowed } },
      error: status >= 400 ? String(answer.error ?? answer.reason ?? '').slice(0, 64) || undefined : undefined,
    });
  }
}
