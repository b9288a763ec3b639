import { createHash } from 'node:crypto';
import type { Call } from './join.ts';
import type { CallRecord, Part, Token } from './record.ts';
import { numericDateToMicros } from './time.ts';

// The package is CommonJS whose export is the function itself; its typings say otherwise.

/** One event of this project's catalogue, before the ingest pipeline chains it. */
export interface MappedEvent {
  /** Epoch microseconds on the reference clock. */
  at: number;
  type: string;
  mission: string | null;
  actor: string;
  fields: Record<string, unknown>;
}

/** The moments of a call on the reference clock (see clock-skew.ts). */
export interface CallTimes {
  callerStart?: number;
  callerEnd?: number;
  calleeStart?: number;
  calleeEnd?: number;
  personAt?: number;
  /** When the PS carried out the person's act (their record's duration): their request travels and waits in its queue. */
  personEnd?: number;
}

/** What the mapper needs from the rest of the log: tokens and missions seen anywhere. */
export interface LogContext {
  missionOfJti: Map<string, string>;
  /** The missions each agent was approved for, in time order, for calls whose tokens name none. */
  approvals: Map<string, Array<{ at: number; s256: string }>>;
  /** s256 of missions approved by a person's act (those get their approval event from the act, not the proposal's answer). */
  approvedByPerson: Set<string>;
  /** Revocation calls seen so far, for the attempt count: `resource jti` -> calls. */
  revocationAttempts: Map<string, number>;
  /**
   * aauth-latest: when each caller sent each revocation call (`caller callee jti` -> start times), so an
   * answer of revocation_unavailable says whether the caller called again (`retry`: not on the wire).
   */
  revocationCalls: Map<string, number[]>;
  /** Calls by id, to reach a parent's records. */
  callById: Map<string, Call>;
}

/** Events for a call; with none, `folded` says which other record carries what this call says. */
export type MapResult = { events: MappedEvent[]; folded?: string } | { unmapped: string };

/** A party's name in the events: its identifier without the URL scheme (https://crm.example -> crm.example). */
export function nameOf(id: string | undefined): string {
  if (!id) return '(unknown)';
  return id.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/+$/, '');
}

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A token as logged ({type, payload}), or a JWT string decoded without verification (a header param may hold one). */
export function tokenIn(value: unknown): Token | undefined {
  if (isObject(value) && typeof value.type === 'string' && isObject(value.payload)) return value as unknown as Token;
  if (typeof value === 'string') {
    const parts = value.split('.');
    if (parts.length !== 3) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString('utf8')) as { typ?: unknown };
      const payload = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString('utf8')) as unknown;
      if (!isObject(payload)) return undefined;
      return { type: typeof header.typ === 'string' ? header.typ : 'jwt', payload };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The mission a token carries: r11 `mission_s256`, r01 `mission: {approver, s256}`. */
export function missionClaim(token: Token | undefined): string | undefined {
  const payload = token?.payload;
  if (!payload) return undefined;
  return str(payload.mission_s256) ?? (isObject(payload.mission) ? str(payload.mission.s256) : undefined);
}

export const agentOfToken = (token: Token | undefined): string | undefined => {
  const p = token?.payload;
  if (!p) return undefined;
  return str(p.agent) ?? str(p.agent_id) ?? (token?.type === 'aa-agent+jwt' ? str(p.sub) : undefined);
};

/**
 * The approved mission s256 an answer names, else the SHA-256 of the blob
 * re-serialised compactly in the key order received (labelled in the
 * report): the drafts hash the PS's exact bytes, which a record holding the
 * body as parsed JSON no longer has, so this matches only a PS that writes
 * compact JSON.
 */
export function s256Of(body: Record<string, unknown>): { s256: string; recomputed: boolean } | undefined {
  const named = str(body.s256) ?? str(body.mission_s256);
  if (named) return { s256: named, recomputed: false };
  if (!isObject(body.mission)) return undefined;
  const digest = createHash('sha256').update(JSON.stringify(body.mission)).digest('base64url');
  return { s256: digest, recomputed: true };
}

/** The merged view of a call: the callee's record speaks for the outcome, the caller's fills what it lacks. */
export interface CallView {
  call: Call;
  times: CallTimes;
  agent: string | undefined;
  from: string | undefined;
  fromRole: string | undefined;
  to: string;
  toRole: string | undefined;
  method: string;
  path: string;
  query: string;
  status: number | undefined;
  error: string | undefined;
  request: Record<string, unknown>;
  response: Record<string, unknown>;
  params: Record<string, unknown>;
  signedToken: Token | undefined;
}

export function viewOf(call: Call, times: CallTimes): CallView {
  const a = call.caller?.record;
  const b = (call.callee ?? call.person)?.record;
  const one = (b ?? a) as CallRecord;
  const body = (part: Part | undefined) => (isObject(part?.body) ? part.body : undefined);
  const signed = b?.signed ?? a?.signed;
  const signedToken = signed && signed.scheme === 'jwt' ? signed.token : undefined;
  return {
    call,
    times,
    agent: b?.agent ?? a?.agent ?? agentOfToken(signedToken),
    from: b?.from ?? a?.from,
    fromRole: b?.from_role ?? a?.from_role,
    to: one.to,
    toRole: a?.to_role ?? b?.to_role,
    method: (one.method ?? a?.method ?? 'GET').toUpperCase(),
    path: one.path ?? a?.path ?? '/',
    query: one.query ?? a?.query ?? '',
    status: b?.status ?? a?.status,
    error: b?.error ?? a?.error,
    request: body(b?.request) ?? body(a?.request) ?? {},
    response: body(b?.response) ?? body(a?.response) ?? {},
    params: b?.response?.params ?? a?.response?.params ?? {},
    signedToken,
  };
}

/** The mission active for an agent at a moment: its latest approval at or before then. */
/** -11: the person a token names, `ps` and `sub` (resource and auth tokens), as it carries them. */
export function subjectOf(p: Record<string, unknown>): { ps?: string; sub?: string } {
  return { ...(typeof p.ps === 'string' ? { ps: p.ps } : {}), ...(typeof p.sub === 'string' ? { sub: p.sub } : {}) };
}

export function activeMission(context: LogContext, agent: string | undefined, at: number): string | null {
  if (!agent) return null;
  let found: string | null = null;
  for (const approval of context.approvals.get(agent) ?? []) if (approval.at <= at) found = approval.s256;
  return found;
}

export const requirementOf = (params: Record<string, unknown>): string | undefined => {
  const value = params['AAuth-Requirement'];
  return isObject(value) ? str(value.requirement) : str(value);
};

export const reasonOf = (view: CallView): string =>
  str(view.response.reason) ??
  str(view.response.error) ??
  (isObject(view.response.error) ? str(view.response.error.message) : undefined) ??
  view.error ??
  `HTTP ${view.status ?? 'no answer'}`;

export const at = (...candidates: Array<number | undefined>): number => candidates.find((v) => v !== undefined) as number;

/** This project's class claim (no draft defines class: docs/mission-class.md), where a token payload or a body carries one. */
export const classOf = (carrier: Record<string, unknown> | undefined): { mb_class?: string } => {
  const cls = str(carrier?.mb_class);
  return cls === undefined ? {} : { mb_class: cls };
};

/** The PS bound the mission (or hop) it approved (or granted) to a class: the answer names it (`mb_class`). */
export const classBound = (answer: Record<string, unknown>, when: number, mission: string | null, ps: string, agent: string): MappedEvent[] => {
  const cls = str(answer.mb_class);
  return cls === undefined ? [] : [{ at: when, type: 'mission.class_bound', mission, actor: ps, fields: { agent, class: cls } }];
};

/** A JWT NumericDate as microseconds on the log's own scale (set later against the log's start). */
export function micros(value: unknown, fallback: number): number {
  return typeof value === 'number' ? numericDateToMicros(value) : fallback;
}

/** A 202's Retry-After (decimal seconds in the export) as the event's retry_after_us. */
export function retryAfterOf(view: CallView, status: number): { retry_after_us?: number } {
  const seconds = view.params['Retry-After'];
  return status === 202 && typeof seconds === 'number' ? { retry_after_us: Math.round(seconds * 1e6) } : {};
}
