import type { LoggedEvent } from '../read-log.ts';
import type { CallRecord, Part, Role, Side, Token } from './record.ts';

/**
 * The one place `export --format aauth-call` (export.ts) turns a call into
 * records: both ends of an HTTP call, or a person's act at the PS, with the
 * reference's level and message (call-log/src/record.ts). Every message
 * family writes through it, so the records keep one shape and one order.
 */

/** Both ends of one call. Times: the caller sent at `start`, the callee saw it at `arrive`, answered at `end`. */
export interface CallFields {
  /** Given when the call was opened by an earlier event (its id was drawn then); otherwise drawn now. */
  id?: string;
  parent?: string;
  from: string;
  fromRole?: Role;
  to: string;
  toRole: Role;
  agent?: string;
  method: string;
  path: string;
  query?: string;
  start: number;
  arrive?: number;
  end?: number;
  /** No status: the caller never had an answer (a timeout, no one to answer), so the callee writes nothing. */
  status?: number;
  token?: Token;
  request?: Part;
  response?: Part;
  error?: string;
  calleeLogs?: boolean;
  callerLogs?: boolean;
}

/** The writers, over the run's records, its id counter and its clock. */
export interface CallWriter {
  /** Writes both ends of a call (each end only if that party logs it); returns its id. */
  call: (c: CallFields) => string;
  /** A person's act at the PS; `end`: when the PS carried it out (their request travels and waits in its queue), if later. */
  person: (e: LoggedEvent, action: string, ps: string, request: Record<string, unknown>, response: Record<string, unknown>, end?: number) => void;
}

/** A party's name as a URL: the reference logs `from`/`to` as origins (an agent's `from` is its id, kept as is). */
export const url = (name: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(name) ? name : `https://${name}`);
/** The party an event's actor names, without its kind (`ps:ps.example` -> `ps.example`). */
export const nameAfter = (actor: string) => actor.slice(actor.indexOf(':') + 1);

export function callWriter(records: CallRecord[], callId: () => string, iso: (t: number) => string): CallWriter {
  return { call, person };

  function call(c: CallFields): string {
    const id = c.id ?? callId();
    const arrive = c.arrive ?? c.start;
    const end = c.end ?? arrive;
    const common = {
      event: 'aauth.call' as const,
      call_id: id,
      from: c.fromRole === 'agent' ? c.from : url(c.from),
      to: url(c.to),
      to_role: c.toRole,
      ...(c.agent ? { agent: c.agent } : {}),
      method: c.method,
      path: c.path,
      ...(c.query ? { query: c.query } : {}),
    };
    // An agent signs with its token (or, unsigned here, its own key); a server with its published JWKS.
    const signed = c.token
      ? { scheme: 'jwt' as const, token: c.token }
      : c.fromRole === 'agent'
        ? undefined
        : { scheme: 'jwks_uri' as const, id: url(c.from), dwk: dwkOf(c.fromRole) };
    const outcome = { ...(c.status !== undefined ? { status: c.status } : {}), ...(c.error ? { error: c.error } : {}) };
    const fromRole = c.fromRole ? { from_role: c.fromRole } : {};
    if (c.callerLogs !== false) {
      records.push(
        finish({
          ...common,
          side: 'caller',
          ...(c.parent ? { parent: c.parent } : {}),
          ...fromRole,
          started_at: iso(c.start),
          duration_ms: (end - c.start) / 1000,
          ...(signed ? { signed } : {}),
          ...(c.request ? { request: c.request } : {}),
          ...(c.response && c.status !== undefined ? { response: c.response } : {}),
          ...outcome,
        }),
      );
    }
    if (c.calleeLogs !== false && c.status !== undefined) {
      records.push(
        finish({
          ...common,
          side: 'callee',
          ...fromRole,
          started_at: iso(arrive),
          duration_ms: (end - arrive) / 1000,
          ...(signed ? { signed } : {}),
          ...(c.request ? { request: c.request } : {}),
          ...(c.response ? { response: c.response } : {}),
          ...outcome,
        }),
      );
    }
    return id;
  }

  function person(e: LoggedEvent, action: string, ps: string, request: Record<string, unknown>, response: Record<string, unknown>, end = e.t): void {
    records.push(
      finish({
        event: 'aauth.call',
        side: 'person',
        call_id: callId(),
        from: nameAfter(e.actor),
        to: url(ps),
        to_role: 'ps',
        agent: String(e.agent),
        action,
        started_at: iso(e.t),
        ...(end > e.t ? { duration_ms: (end - e.t) / 1000 } : {}),
        request: { body: request },
        response: { body: response },
      }),
    );
  }
}

/** The well-known document a server's JWKS is published under, by its role. */
function dwkOf(role: Role | undefined): string | undefined {
  return role === 'ps'
    ? 'aauth-person.json'
    : role === 'as'
      ? 'aauth-access.json'
      : role === 'resource'
        ? 'aauth-resource.json'
        : role === 'agent'
          ? 'aauth-agent.json'
          : undefined;
}

/** The reference's level and message for a record (call-log/src/record.ts levelOf and buildRecord). */
export function finish(fields: {
  side: Side;
  to: string;
  status?: number;
  response?: Part;
  action?: string;
  method?: string;
  path?: string;
  [field: string]: unknown;
}): CallRecord {
  const challenge = (fields.status === 401 || fields.status === 202) && !!fields.response?.params?.['AAuth-Requirement'];
  let level = 30;
  if (fields.side === 'callee' && fields.status !== undefined && fields.status >= 500) level = 50;
  else if (fields.side !== 'person' && (fields.status === undefined || (fields.status >= 400 && !challenge))) level = 40;
  const msg =
    fields.side === 'person'
      ? `Person ${fields.action ?? 'acted'}`
      : `${fields.side} ${fields.method ?? ''} ${fields.to}${fields.path ?? ''} → ${fields.status ?? 'failed'}`;
  return { ...fields, level, msg } as CallRecord;
}
