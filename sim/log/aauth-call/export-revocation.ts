import type { LoggedEvent } from '../read-log.ts';
import { nameAfter } from './export-call-writer.ts';
import type { EventHandlers, ExportState, MessageFamily } from './export-state.ts';
import type { Role } from './record.ts';

/**
 * The revocation calls of `export --format aauth-call` (export.ts): a PS's,
 * an AS's or a cascading resource's POST /revoke, opened by its send and
 * closed by the recipient's answer (200/202, an aauth-latest error outcome,
 * an AS's downstream list) or a timeout; r11's polls after a 202; a
 * resource's token-status check. The open calls are this module's own; from
 * the shared state (export-state.ts) it reads the Access Servers seen and
 * each jti's issuer.
 */

interface OpenRevocation {
  id: string;
  start: number;
  event: LoggedEvent;
  /** When the resource learnt of it (the callee's start). */
  received?: number;
  /** The revocation call in which an upstream resource learnt of the token it now revokes downstream. */
  parent?: string;
}

/** The revocation events' handlers, and `finish` at the end of the run: writes what is still open, returns how many are in flight. */
export function revocationExport(state: ExportState): MessageFamily {
  const { call, callId, seconds, unplaced, accessServers, issuerOfJti } = state;
  const revocations = new Map<string, OpenRevocation[]>(); // resource|jti -> open revocation calls, oldest first
  const revocationCallee = new Map<string, string>(); // resource|jti -> the call id in which the resource learnt of it
  const polling = new Set<string>(); // resource|jti revocations answered 202, whose later answers are polls
  const handlers: EventHandlers = {
    'revocation.sent': opened,
    'revocation.cascaded': opened,
    'revocation.lost': timedOut,
    'revocation.unsupported': answeredWithOutcome,
    'revocation.unavailable': answeredWithOutcome,
    'revocation.rate_limited': answeredWithOutcome,
    'revocation.downstream': answeredWithOutcome,
    'revocation.received': (e) => {
      const key = `${nameAfter(e.actor)}|${String(e.jti)}`;
      const open = revocations.get(key)?.find((r) => r.received === undefined);
      if (open) {
        open.received = e.t;
        revocationCallee.set(key, open.id);
      } else unplaced(e);
    },
    'revocation.answered': answered,
    'revocation.status_check': (e) =>
      call({
        from: nameAfter(e.actor),
        fromRole: 'resource',
        to: issuerOfJti.get(String(e.jti)) ?? 'ps',
        toRole: 'ps',
        method: 'GET',
        path: '/token-status',
        query: `jti=${encodeURIComponent(String(e.jti))}`,
        start: e.t,
        status: 200,
        response: { body: { jti: e.jti } },
      }),
  };
  return { handlers, finish };

  /** A revocation call sent (by a PS or an AS) or cascaded (by a resource, downstream): open until answered or timed out. */
  function opened(e: LoggedEvent): void {
    const cascaded = e.type === 'revocation.cascaded';
    const key = cascaded ? `${String(e.to)}|${String(e.downstream_jti)}` : `${String(e.resource)}|${String(e.jti)}`;
    const list = revocations.get(key) ?? [];
    // An earlier call that already arrived was answered on arrival (r01 has no answer event).
    while (list[0]?.received !== undefined) writeRevocation(list.shift() as OpenRevocation, undefined, 200);
    list.push({ id: callId(), start: e.t, event: e, ...(cascaded ? { parent: revocationCallee.get(`${nameAfter(e.actor)}|${String(e.jti)}`) } : {}) });
    revocations.set(key, list);
  }

  /** The oldest open call to the recipient gave up: the caller's record alone, with no status. */
  function timedOut(e: LoggedEvent): void {
    const open = revocations.get(`${String(e.resource)}|${String(e.jti)}`)?.shift();
    if (!open) return unplaced(e);
    call({
      id: open.id,
      from: nameAfter(e.actor),
      fromRole: roleOf(e.actor),
      to: String(e.resource),
      toRole: accessServers.has(String(e.resource)) ? 'as' : 'resource',
      method: 'POST',
      path: '/revoke',
      start: open.start,
      end: e.t,
      request: { body: revocationBody(open.event) },
      error: 'timeout',
      calleeLogs: false,
    });
  }

  /** aauth-latest: a recipient's error answer (or, for a PS's notice to an AS, its 200 with the downstream list) closes the call it answers. */
  function answeredWithOutcome(e: LoggedEvent): void {
    const to = String(e.to ?? e.as);
    const key = `${to}|${String(e.downstream_jti ?? e.jti)}`;
    const list = revocations.get(key) ?? [];
    // The caller's own open call: a PS and an AS may both revoke the same jti at one resource.
    const index = list.findIndex((r) => r.received === undefined && r.event.actor === e.actor);
    if (index >= 0) writeAnswered(list.splice(index, 1)[0] as OpenRevocation, e, to);
    // A notice to an AS that no attempt got an answer to: the last timeout (revocation.lost, no call after it) carries it.
    else if (e.type !== 'revocation.unavailable' || !accessServers.has(to)) unplaced(e);
  }

  /** A resource's answer (200, or 202 and later polls) to the revocation call that reached it. */
  function answered(e: LoggedEvent): void {
    const key = `${String(e.resource)}|${String(e.jti)}`;
    const list = revocations.get(key) ?? [];
    const index = list.findIndex((r) => r.received !== undefined);
    if (index >= 0) {
      writeRevocation(list.splice(index, 1)[0] as OpenRevocation, e.t, e.status as number, e.retry_after_us as number | undefined);
      if (e.status === 202) polling.add(key);
    } else if (polling.has(key)) {
      // r11: after a 202 the PS polls the Location it was given; this is the answer to a poll.
      if (e.status !== 202) polling.delete(key);
      call({
        from: nameAfter(e.actor),
        fromRole: 'ps',
        to: String(e.resource),
        toRole: 'resource',
        method: 'GET',
        path: '/revoke',
        query: `jti=${encodeURIComponent(String(e.jti))}`,
        start: e.t,
        status: e.status as number,
        response: { ...retryAfter(e.retry_after_us), body: { jti: e.jti, status: e.status === 200 ? 'revoked' : 'pending' } },
      });
    } else unplaced(e);
  }

  /** Revocations still open at the end were answered on arrival (r01) or never arrived (in flight: no record). */
  function finish(): number {
    let inFlight = 0;
    for (const list of revocations.values()) {
      for (const open of list) {
        if (open.received === undefined) inFlight++;
        else writeRevocation(open, undefined, 200);
      }
    }
    return inFlight;
  }

  function revocationBody(e: LoggedEvent): Record<string, unknown> {
    return { jti: e.jti, ...(typeof e.exp === 'number' ? { exp: seconds(e.exp) } : {}) };
  }

  /**
   * aauth-latest: a revocation call answered with an outcome other than
   * 200/202 from a resource: 403 revocation_unsupported, 503
   * (revocation_unavailable), 429 rate_limited with Retry-After (exact, in
   * decimal seconds); or a PS's notice answered 200 by an AS with its
   * downstream list. The recipient logs it too (it answered). A cascading
   * resource's call carries the downstream token's exp (exposed_until).
   */
  function writeAnswered(open: OpenRevocation, e: LoggedEvent, to: string): void {
    const sent = open.event;
    const cascaded = sent.type === 'revocation.cascaded';
    const jti = cascaded ? String(sent.downstream_jti) : String(sent.jti);
    const status = e.type === 'revocation.unsupported' ? 403 : e.type === 'revocation.rate_limited' ? 429 : e.type === 'revocation.unavailable' ? 503 : 200;
    const error = status === 200 ? undefined : String(e.error);
    const downstream = (list: unknown) =>
      (list as Array<Record<string, unknown>>).map(({ exposed_until, ...entry }) => ({
        ...entry,
        ...(typeof exposed_until === 'number' ? { exposed_until: seconds(exposed_until) } : {}),
      }));
    call({
      id: open.id,
      parent: open.parent,
      from: nameAfter(sent.actor),
      fromRole: roleOf(sent.actor),
      to,
      toRole: accessServers.has(to) ? 'as' : 'resource',
      method: 'POST',
      path: '/revoke',
      start: open.start,
      end: e.t,
      status,
      request: { body: cascaded ? { jti, ...(typeof e.exposed_until === 'number' ? { exp: seconds(e.exposed_until) } : {}) } : revocationBody(sent) },
      response: {
        ...(status === 429 ? { params: { 'Retry-After': Number(e.retry_after_us) / 1e6 } } : {}),
        body: status === 200 ? { downstream: downstream(e.downstream) } : { error },
      },
      error,
    });
  }

  /** A 202's Retry-After, exact (decimal seconds: the simulator's microseconds; HTTP writes whole seconds). */
  function retryAfter(us: unknown): { params?: Record<string, unknown> } {
    return typeof us === 'number' ? { params: { 'Retry-After': us / 1e6 } } : {};
  }

  function writeRevocation(open: OpenRevocation, end: number | undefined, status: number, retryAfterUs?: number): void {
    const e = open.event;
    const cascaded = e.type === 'revocation.cascaded';
    const jti = cascaded ? String(e.downstream_jti) : String(e.jti);
    call({
      id: open.id,
      parent: open.parent,
      from: nameAfter(e.actor),
      fromRole: roleOf(e.actor),
      to: cascaded ? String(e.to) : String(e.resource),
      toRole: 'resource',
      method: 'POST',
      path: '/revoke',
      start: open.start,
      arrive: open.received,
      end: end ?? open.received,
      status,
      request: { body: cascaded ? { jti } : revocationBody(e) },
      response: {
        ...(status === 202
          ? { params: { Location: `/revoke?jti=${encodeURIComponent(jti)}`, ...(retryAfterUs === undefined ? {} : { 'Retry-After': retryAfterUs / 1e6 }) } }
          : {}),
        body: { jti, status: status === 200 ? 'revoked' : 'pending' },
      },
    });
  }
}

/** The role of the party an event's actor names (a revocation's caller: a PS, an AS, or a resource cascading). */
function roleOf(actor: string): Role {
  return actor.startsWith('as:') ? 'as' : actor.startsWith('resource:') ? 'resource' : 'ps';
}
