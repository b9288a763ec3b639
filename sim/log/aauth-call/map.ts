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

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

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

const agentOfToken = (token: Token | undefined): string | undefined => {
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
function subjectOf(p: Record<string, unknown>): { ps?: string; sub?: string } {
  return { ...(typeof p.ps === 'string' ? { ps: p.ps } : {}), ...(typeof p.sub === 'string' ? { sub: p.sub } : {}) };
}

function activeMission(context: LogContext, agent: string | undefined, at: number): string | null {
  if (!agent) return null;
  let found: string | null = null;
  for (const approval of context.approvals.get(agent) ?? []) if (approval.at <= at) found = approval.s256;
  return found;
}

const requirementOf = (params: Record<string, unknown>): string | undefined => {
  const value = params['AAuth-Requirement'];
  return isObject(value) ? str(value.requirement) : str(value);
};

const reasonOf = (view: CallView): string =>
  str(view.response.reason) ??
  str(view.response.error) ??
  (isObject(view.response.error) ? str(view.response.error.message) : undefined) ??
  view.error ??
  `HTTP ${view.status ?? 'no answer'}`;

/**
 * Maps one call to this project's events, or says why it cannot. The
 * classification reads what the reference logs (roles, status, parsed AAuth
 * headers, bodies with tokens as claims), never our exporter's paths, so a
 * deployment's own endpoint names work. See docs/aauth-call.md for the table.
 */
export function mapCall(view: CallView, context: LogContext): MapResult {
  if (view.call.person) return mapPersonAct(view, context);
  const toRole = view.toRole;
  if (toRole === 'ps') return mapToPersonServer(view, context);
  if (toRole === 'as') return mapToAccessServer(view, context);
  if (toRole === 'resource') return mapToResource(view, context);
  if (toRole === undefined) return { unmapped: `no callee role, so no AAuth meaning (${view.method} ${nameOf(view.to)}${view.path})` };
  if (toRole === 'agent' && view.fromRole === 'agent') return mapToParent(view, context);
  return { unmapped: `a call to an agent has no event in the catalogue (${view.method} ${nameOf(view.to)}${view.path})` };
}

const at = (...candidates: Array<number | undefined>): number => candidates.find((v) => v !== undefined) as number;

/** This project's class claim (no draft defines class: docs/mission-class.md), where a token payload or a body carries one. */
const classOf = (carrier: Record<string, unknown> | undefined): { mb_class?: string } => {
  const cls = str(carrier?.mb_class);
  return cls === undefined ? {} : { mb_class: cls };
};

/** The PS bound the mission (or hop) it approved (or granted) to a class: the answer names it (`mb_class`). */
const classBound = (answer: Record<string, unknown>, when: number, mission: string | null, ps: string, agent: string): MappedEvent[] => {
  const cls = str(answer.mb_class);
  return cls === undefined ? [] : [{ at: when, type: 'mission.class_bound', mission, actor: ps, fields: { agent, class: cls } }];
};

function mapPersonAct(view: CallView, context: LogContext): MapResult {
  const record = view.call.person?.record as CallRecord;
  const action = (record.action ?? '').toLowerCase();
  const when = at(view.times.personAt);
  const person = `person:${record.from ?? 'person'}`;
  const ps = `ps:${nameOf(record.to)}`;
  const body = { ...view.request, ...view.response };
  const agent = view.agent ?? str(body.agent);
  const mission = str(body.mission_s256) ?? str(body.s256) ?? activeMission(context, agent, when);
  const base = { agent: agent ?? '(unknown)' };
  if (/^approve/.test(action)) {
    const s256 = s256Of(body);
    if (!s256) return { unmapped: 'person approval without the mission (no s256, no mission blob in the record)' };
    return {
      events: [
        {
          at: when,
          type: 'mission.approved',
          mission: s256.s256,
          actor: ps,
          fields: {
            agent: base.agent,
            approver: record.from ?? '(unknown person)',
            blob: isObject(body.mission) ? body.mission : {},
            scope: Array.isArray(body.scope) ? body.scope.map(String) : [],
          },
        },
        ...classBound(body, when, s256.s256, ps, base.agent),
      ],
    };
  }
  if (mission === null || mission === undefined)
    return { unmapped: `person act names no mission and the agent has none approved before it (${record.action ?? 'no action'})` };
  const acts: Record<string, [string, string, Record<string, unknown>]> = {
    terminate: ['person.terminate', 'mission.terminated', { reason: str(body.termination_reason) ?? 'revoked' }],
    revoke: ['person.terminate', 'mission.terminated', { reason: str(body.termination_reason) ?? 'revoked' }],
    suspend: ['person.suspend', 'mission.suspended', {}],
    resume: ['person.resume', 'mission.resumed', {}],
    complete: ['person.complete', 'mission.completed', { by: 'person' }],
    cancel: ['person.cancel', 'mission.cancelled', {}],
  };
  const key = Object.keys(acts).find((name) => action.startsWith(name));
  if (!key) return { unmapped: `person act with no event in the catalogue (${record.action ?? 'no action'})` };
  const [personType, missionType, extra] = acts[key] as [string, string, Record<string, unknown>];
  return {
    events: [
      { at: when, type: personType, mission, actor: person, fields: { ...base } },
      { at: at(view.times.personEnd ?? view.times.personAt), type: missionType, mission, actor: ps, fields: { ...base, ...extra } },
    ],
  };
}

function mapToPersonServer(view: CallView, context: LogContext): MapResult {
  const { request, response, status } = view;
  const ps = `ps:${nameOf(view.to)}`;
  // -11: a parent's request on behalf of its sub-agent names it (`subagent`): the request is the sub-agent's, signed by the parent.
  const subagent = str(request.subagent);
  const agent = subagent ?? view.agent ?? '(unknown)';
  const signer = subagent === undefined ? {} : { signed_by: view.agent ?? '(unknown)' };
  // The mission a governance request was judged under: -11, a sub-agent's is its parent's (the signer's), as the PS found it.
  const governed = subagent === undefined ? agent : view.agent;
  const decided = at(view.times.calleeEnd, view.times.callerEnd);
  const arrived = at(view.times.calleeStart, view.times.callerStart);
  const events: MappedEvent[] = [];
  // A mission proposal: a description (Markdown) and tools.
  if (typeof request.description === 'string') {
    events.push({
      at: arrived,
      type: 'mission.proposed',
      mission: null,
      actor: ps,
      fields: { agent, description: request.description, tools: Array.isArray(request.tools) ? request.tools.map(String) : [] },
    });
    const s256 = status !== undefined && status < 300 && status !== 202 ? s256Of(response) : undefined;
    if (s256 && !context.approvedByPerson.has(s256.s256)) {
      events.push({
        at: decided,
        type: 'mission.approved',
        mission: s256.s256,
        actor: ps,
        fields: {
          agent,
          approver: str(response.approver) ?? (isObject(response.mission) ? str(response.mission.approver) : undefined) ?? ps,
          blob: isObject(response.mission) ? response.mission : {},
          scope: Array.isArray(response.scope) ? response.scope.map(String) : [],
        },
      });
      events.push(...classBound(response, decided, s256.s256, ps, agent));
    }
    return { events };
  }
  // A poll of a deferred proposal answered with the approved mission (the person's act, when logged, is the approval).
  const polled = status === 200 && isObject(response.mission) ? s256Of(response) : undefined;
  if (polled) {
    if (context.approvedByPerson.has(polled.s256))
      return { events: [], folded: "a poll answered with the approved mission: the person's approval record carries it" };
    return {
      events: [
        {
          at: decided,
          type: 'mission.approved',
          mission: polled.s256,
          actor: ps,
          fields: {
            agent,
            approver: str(response.approver) ?? str((response.mission as Record<string, unknown>).approver) ?? ps,
            blob: response.mission,
            scope: Array.isArray(response.scope) ? response.scope.map(String) : [],
          },
        },
        ...classBound(response, decided, polled.s256, ps, agent),
      ],
    };
  }
  const resourceToken = tokenIn(request.resource_token);
  // An auth-token request: a resource token in, an auth token out (or a refusal, or a challenge).
  if (resourceToken || tokenIn(response.auth_token)) {
    const auth = tokenIn(response.auth_token);
    const resource = nameOf(str(auth?.payload.aud) ?? str(resourceToken?.payload.iss));
    const scope = str(auth?.payload.scope) ?? str(resourceToken?.payload.scope) ?? '';
    if (auth) {
      const mission = missionClaim(auth) ?? missionClaim(resourceToken) ?? activeMission(context, agent, decided);
      const p = auth.payload;
      const cnf = isObject(p.cnf) ? (str(p.cnf.jkt) ?? str(p.cnf.kid) ?? JSON.stringify(p.cnf)) : (str(p.cnf) ?? agent);
      const claims: Record<string, unknown> = {
        agent: str(p.agent) ?? agent,
        resource,
        jti: str(p.jti) ?? '(no jti)',
        scope,
        iat: micros(p.iat, decided),
        exp: micros(p.exp, decided),
        cnf,
      };
      if (typeof p.mission_s256 === 'string') claims.mission_s256 = p.mission_s256;
      else if (isObject(p.mission) && typeof p.mission.s256 === 'string')
        claims.aauth_mission = { approver: str(p.mission.approver) ?? '', s256: p.mission.s256 };
      Object.assign(claims, subjectOf(p), classOf(p));
      // -01's act claim (r01), as the token carries it.
      if (isObject(p.act) && typeof p.act.sub === 'string') claims.act = p.act;
      Object.assign(claims, signer);
      return { events: [{ at: decided, type: 'token.auth_granted', mission, actor: ps, fields: claims }] };
    }
    const mission = missionClaim(resourceToken) ?? activeMission(context, agent, decided);
    const requirement = requirementOf(view.params);
    if (requirement && (status === 202 || status === 401)) {
      return {
        events: [
          {
            at: decided,
            type: 'person.asked',
            mission,
            actor: ps,
            fields: { agent, question: `token request for ${resource} (${scope}): requirement=${requirement}` },
          },
        ],
      };
    }
    if (status !== undefined && status >= 400) {
      const reason = reasonOf(view);
      const placed = placedInNoMission(reason) ? null : mission;
      return { events: [{ at: decided, type: 'token.auth_denied', mission: placed, actor: ps, fields: { agent, resource, scope, reason, ...signer } }] };
    }
    return { unmapped: `token request answered with no auth token (${status ?? 'no answer'})` };
  }
  // A person-token request (r11): a resource in, a person token out.
  if (tokenIn(response.person_token) || (typeof request.resource === 'string' && !request.jti)) {
    const person = tokenIn(response.person_token);
    const resource = nameOf(str(person?.payload.aud) ?? str(request.resource));
    const mission = missionClaim(person) ?? str(request.mission_s256) ?? activeMission(context, agent, decided);
    if (person) {
      const p = person.payload;
      const cnf = isObject(p.cnf) ? (str(p.cnf.jkt) ?? str(p.cnf.kid) ?? JSON.stringify(p.cnf)) : (str(p.cnf) ?? agent);
      const fields: Record<string, unknown> = { agent, resource, jti: str(p.jti) ?? '(no jti)', iat: micros(p.iat, decided), exp: micros(p.exp, decided), cnf };
      if (typeof p.mission_s256 === 'string') fields.mission_s256 = p.mission_s256;
      if (typeof p.sub === 'string') fields.sub = p.sub;
      Object.assign(fields, classOf(p), signer);
      return { events: [{ at: decided, type: 'token.person_issued', mission, actor: ps, fields }] };
    }
    if (status !== undefined && status >= 400) {
      const reason = reasonOf(view);
      return {
        events: [
          {
            at: decided,
            type: 'token.person_denied',
            mission: placedInNoMission(reason) ? null : mission,
            actor: ps,
            fields: { agent, resource, reason, ...signer },
          },
        ],
      };
    }
    return { unmapped: `person-token request answered with no person token (${status ?? 'no answer'})` };
  }
  // A sub-agent asks to act under its parent's mission; -11, its parent asks for it (`subagent` names it) and signs.
  if (typeof request.parent_agent === 'string') {
    const mission = str(request.mission_s256) ?? activeMission(context, request.parent_agent, arrived);
    const depth = typeof request.depth === 'number' ? request.depth : 1;
    const hop = { parent: request.parent_agent, child: agent, depth };
    events.push({ at: arrived, type: 'delegation.requested', mission, actor: ps, fields: { ...hop, task: str(request.task) ?? '', ...signer } });
    const grant = isObject(response.grant) ? { grant: response.grant } : {};
    if (status !== undefined && status < 300) {
      events.push({ at: decided, type: 'delegation.granted', mission, actor: ps, fields: { ...hop, reason: str(response.reason) ?? '', ...grant } });
      events.push(...classBound(response, decided, mission, ps, agent));
    } else if (status !== undefined)
      events.push({ at: decided, type: 'delegation.rejected', mission, actor: ps, fields: { ...hop, reason: reasonOf(view), ...grant } });
    return { events };
  }
  // A governance permission question.
  if (typeof request.action === 'string' && (response.decision === 'granted' || response.decision === 'denied')) {
    const mission = activeMission(context, governed, arrived);
    events.push({ at: arrived, type: 'permission.requested', mission, actor: ps, fields: { agent, action: request.action, ...signer } });
    events.push({
      at: decided,
      type: 'permission.decided',
      mission,
      actor: ps,
      fields: {
        agent,
        action: request.action,
        decision: response.decision,
        decided_by: response.decided_by === 'person' ? 'person' : 'mission',
        reason: str(response.reason) ?? '',
      },
    });
    return { events };
  }
  // Governance: an agent reports an action to the mission log (fire-and-forget).
  if (
    typeof request.action === 'string' &&
    typeof request.mission_s256 !== 'string' &&
    view.fromRole !== undefined &&
    view.fromRole === 'agent' &&
    status !== undefined &&
    status < 300
  ) {
    return {
      events: [
        {
          at: arrived,
          type: 'audit.reported',
          mission: activeMission(context, governed, arrived),
          actor: ps,
          fields: { agent, action: request.action, ...signer },
        },
      ],
    };
  }
  // Governance: the PS relays an agent's question to the person; the answer comes back in the response.
  if (typeof request.question === 'string') {
    const mission = activeMission(context, governed, arrived);
    events.push({ at: arrived, type: 'interaction.requested', mission, actor: ps, fields: { agent, question: request.question, ...signer } });
    if (status !== undefined && status < 300 && status !== 202)
      events.push({
        at: decided,
        type: 'interaction.answered',
        mission,
        actor: ps,
        fields: { agent, question: request.question, waited_us: Math.max(0, decided - arrived) },
      });
    return { events };
  }
  // Mission control by a party that is not the person (a monitor, an operator's tool).
  if (typeof request.mission_s256 === 'string' && typeof request.action === 'string' && status !== undefined && status < 300) {
    const action = request.action.toLowerCase();
    const mission = request.mission_s256;
    const missionAgent = str(response.agent) ?? view.agent ?? '(unknown)';
    if (action.startsWith('terminate'))
      return {
        events: [
          {
            at: decided,
            type: 'mission.terminated',
            mission,
            actor: ps,
            fields: { agent: missionAgent, reason: str(response.termination_reason) ?? 'administrative' },
          },
        ],
      };
    if (action.startsWith('suspend')) return { events: [{ at: decided, type: 'mission.suspended', mission, actor: ps, fields: { agent: missionAgent } }] };
    if (action.startsWith('resume')) return { events: [{ at: decided, type: 'mission.resumed', mission, actor: ps, fields: { agent: missionAgent } }] };
    return { unmapped: `mission-control action with no event in the catalogue (${request.action})` };
  }
  // A resource asks the PS about a token (introspection or a cache miss).
  const jti = str(request.jti) ?? new URLSearchParams(view.query).get('jti') ?? undefined;
  if (view.fromRole === 'resource' && jti) {
    return {
      events: [
        {
          at: arrived,
          type: 'revocation.status_check',
          mission: context.missionOfJti.get(jti) ?? null,
          actor: `resource:${nameOf(view.from)}`,
          fields: { jti },
        },
      ],
    };
  }
  return { unmapped: `call to the PS with no recognised body (${view.method} ${view.path} -> ${status ?? 'no answer'})` };
}

/**
 * A PS refusal that says it could place the request in no mission: no such
 * mission or not this agent's (`mission_not_found`), none named
 * (`mission_required`), or a resource token it could not tie to a person
 * token or to the signer (`unknown_person_token`, `invalid_resource_token`).
 * Such a refusal belongs to no mission, whatever the agent's active one.
 */
function placedInNoMission(reason: string): boolean {
  return /^(mission_not_found|mission_required|unknown_person_token|invalid_resource_token)\b/.test(reason);
}

/**
 * -11, parent-mediated sub-agents: an agent's request to another agent is a
 * sub-agent asking its parent runtime for its hop (a `task`). The parent's
 * own answers become its events: asked, narrowed (the answer names what it
 * asked for instead), refused (`parent_policy`, `rate_limited`); a request
 * no parent runtime answered is the sub-agent's `parent_unreachable`.
 */
/** What a sub-agent asks its parent to ask the PS for, besides its hop (-11: it never calls the PS itself). */
const SUB_AGENT_REQUESTS = new Set(['person_token', 'auth_token', 'permission', 'interaction', 'governance_poll', 'audit', 'update']);

function mapToParent(view: CallView, context: LogContext): MapResult {
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

function mapToAccessServer(view: CallView, context: LogContext): MapResult {
  // aauth-latest, four-party: a PS's revocation notice to the AS (a signed POST naming a jti it issued).
  if (typeof view.request.jti === 'string' && view.path === '/revoke' && !view.signedToken) return mapRevocation(view, context, `as:${nameOf(view.to)}`);
  const resourceToken = tokenIn(view.request.resource_token);
  if (!resourceToken) return { unmapped: `call to an AS with no resource token (${view.method} ${view.path})` };
  const agent = view.agent ?? agentOfToken(tokenIn(view.request.agent_token)) ?? str(resourceToken.payload.agent) ?? '(unknown)';
  const resource = nameOf(str(resourceToken.payload.iss));
  const scope = str(resourceToken.payload.scope) ?? '';
  const asName = nameOf(view.to);
  const psName = nameOf(view.from);
  const sent = at(view.times.callerStart, view.times.calleeStart);
  const received = at(view.times.calleeStart, view.times.callerStart);
  const decided = at(view.times.calleeEnd, view.times.callerEnd);
  const mission = str(view.request.mission_s256) ?? missionClaim(resourceToken) ?? activeMission(context, agent, sent);
  const events: MappedEvent[] = [];
  if (view.call.caller) events.push({ at: sent, type: 'federation.sent', mission, actor: `ps:${psName}`, fields: { as: asName, agent, resource, scope } });
  if (view.call.callee)
    events.push({
      at: received,
      type: 'federation.received',
      mission,
      actor: `as:${asName}`,
      fields: { ps: `ps:${psName}`, agent, resource, scope, class: str(view.response.class) ?? str(view.request.class) ?? null, ...classOf(view.request) },
    });
  const auth = tokenIn(view.response.auth_token);
  if (auth)
    events.push({
      at: decided,
      type: 'token.as_issued',
      mission,
      actor: `as:${asName}`,
      fields: {
        agent,
        resource,
        jti: str(auth.payload.jti) ?? '(no jti)',
        scope: str(auth.payload.scope) ?? scope,
        exp: micros(auth.payload.exp, decided),
        ...classOf(auth.payload),
      },
    });
  else if (view.status !== undefined && view.status >= 400)
    events.push({ at: decided, type: 'token.as_denied', mission, actor: `as:${asName}`, fields: { agent, resource, scope, reason: reasonOf(view) } });
  return { events };
}

function mapToResource(view: CallView, context: LogContext): MapResult {
  const resource = nameOf(view.to);
  const actor = `resource:${resource}`;
  const arrived = at(view.times.calleeStart, view.times.callerStart);
  const answered = at(view.times.calleeEnd, view.times.callerEnd);
  const { request, status } = view;
  // r11: the PS (or AS) polls a revocation that was answered 202 (a GET naming the jti): only the answer is new.
  const polled = view.method === 'GET' && view.fromRole !== 'agent' && !view.signedToken ? new URLSearchParams(view.query).get('jti') : null;
  if (polled) {
    if (status !== 200 && status !== 202) return { unmapped: `revocation poll without an answer (${view.error ?? status ?? 'no status'})` };
    const sender = `${view.fromRole === 'as' ? 'as' : 'ps'}:${nameOf(view.from)}`;
    return {
      events: [
        {
          at: answered,
          type: 'revocation.answered',
          mission: context.missionOfJti.get(polled) ?? null,
          actor: sender,
          fields: { resource, jti: polled, status, ...retryAfterOf(view, status) },
        },
      ],
    };
  }
  // A revocation: a signed POST carrying a jti from a PS, an AS or an upstream resource.
  if (typeof request.jti === 'string' && view.fromRole !== 'agent' && !view.signedToken) return mapRevocation(view, context, actor);
  const agent = view.agent ?? '(unknown)';
  const requirement = requirementOf(view.params);
  // A challenge: 401 with AAuth-Requirement. With a resource token it is token.resource_issued.
  if (status === 401 && requirement) {
    const resourceToken =
      tokenIn(view.response.resource_token) ?? tokenIn((view.params['AAuth-Requirement'] as Record<string, unknown> | undefined)?.['resource-token']);
    if (!resourceToken) return { unmapped: `challenge without a resource token: the catalogue has no event for it (requirement=${requirement})` };
    const p = resourceToken.payload;
    return {
      events: [
        {
          at: answered,
          type: 'token.resource_issued',
          mission: missionClaim(resourceToken) ?? null,
          actor,
          fields: {
            agent: str(p.agent) ?? agent,
            jti: str(p.jti) ?? '(no jti)',
            scope: str(p.scope) ?? '',
            exp: micros(p.exp, answered),
            ...(typeof p.mission_s256 === 'string' ? { mission_s256: p.mission_s256 } : {}),
            ...(isObject(p.mission) && typeof p.mission.s256 === 'string'
              ? { aauth_mission: { approver: str(p.mission.approver) ?? '', s256: p.mission.s256 } }
              : {}),
            ...(typeof p.presented_jti === 'string' ? { presented_jti: p.presented_jti } : {}),
            ...subjectOf(p),
            ...classOf(p),
            ...(typeof p.agent_jkt === 'string' ? { agent_jkt: p.agent_jkt } : {}),
          },
        },
      ],
    };
  }
  const token = view.signedToken;
  const jti = str(token?.payload.jti);
  if (!token || !jti) return { unmapped: `resource call without an auth token (${view.method} ${view.path} -> ${status ?? 'no answer'})` };
  const mission = missionClaim(token) ?? context.missionOfJti.get(jti) ?? activeMission(context, agent, arrived);
  const op = view.path.replace(/^\/+/, '') || view.method;
  if (status !== undefined && status >= 200 && status < 300 && status !== 202) {
    return { events: [{ at: answered, type: 'op.executed', mission, actor, fields: { agent, op, jti, irreversible: view.response.irreversible === true } }] };
  }
  if (status !== undefined && status >= 400) {
    const stage = view.response.stage;
    if (stage === 'queued' || stage === 'in service')
      return { events: [{ at: answered, type: 'op.recalled', mission, actor, fields: { agent, op, jti, stage } }] };
    return { events: [{ at: answered, type: 'request.rejected', mission, actor, fields: { agent, op, jti, reason: reasonOf(view) } }] };
  }
  return {
    unmapped:
      status === 202 ? `operation accepted with 202, its outcome not in the log (${view.path})` : `resource call with no answer (${view.error ?? 'no status'})`,
  };
}

/** A JWT NumericDate as microseconds on the log's own scale (set later against the log's start). */
/** A 202's Retry-After (decimal seconds in the export) as the event's retry_after_us. */
function retryAfterOf(view: CallView, status: number): { retry_after_us?: number } {
  const seconds = view.params['Retry-After'];
  return status === 202 && typeof seconds === 'number' ? { retry_after_us: Math.round(seconds * 1e6) } : {};
}

/** The error answers a revocation recipient gives (aauth-latest), by status. */
const REVOCATION_ERRORS: Record<number, string> = { 403: 'revocation.unsupported', 429: 'revocation.rate_limited', 503: 'revocation.unavailable' };

/**
 * A revocation call (POST /revoke naming a jti): from a PS or an AS to a
 * resource, from a resource cascading (its parent call named the upstream
 * jti), or a PS's notice to an AS. The caller's send, the recipient's
 * receipt (when it revoked), and the answer: 200/202, the downstream list of
 * an AS, or an error outcome (aauth-latest), each logged by the caller;
 * none at all (a timeout) is a lost call; a notice to an AS that is lost and
 * never sent again was given up (revocation_unavailable).
 */
function mapRevocation(view: CallView, context: LogContext, actor: string): MapResult {
  const { request, status } = view;
  const jti = request.jti as string;
  const to = nameOf(view.to);
  const arrived = at(view.times.calleeStart, view.times.callerStart);
  const answered = at(view.times.calleeEnd, view.times.callerEnd);
  const mission = context.missionOfJti.get(jti) ?? null;
  const sender = `${view.fromRole === 'as' ? 'as' : view.fromRole === 'resource' ? 'resource' : 'ps'}:${nameOf(view.from)}`;
  const parent = view.call.parent === undefined ? undefined : context.callById.get(view.call.parent);
  const parentBody = parent ? ((parent.callee ?? parent.caller)?.record.request?.body as Record<string, unknown> | undefined) : undefined;
  const upstream = view.fromRole === 'resource' && parentBody && typeof parentBody.jti === 'string' ? parentBody.jti : undefined;
  const key = `${to} ${jti}`;
  const attempt = context.revocationAttempts.get(`${sender} ${key}`) ?? 0;
  context.revocationAttempts.set(`${sender} ${key}`, attempt + 1);
  const events: MappedEvent[] = [];
  const exp = typeof request.exp === 'number' ? numericDateToMicros(request.exp) : undefined;
  if (upstream !== undefined)
    events.push({
      at: at(view.times.callerStart, arrived),
      type: 'revocation.cascaded',
      mission: context.missionOfJti.get(upstream) ?? mission,
      actor: sender,
      fields: { jti: upstream, to, downstream_jti: jti },
    });
  else if (view.call.caller)
    events.push({
      at: at(view.times.callerStart),
      type: 'revocation.sent',
      mission,
      actor: sender,
      fields: { resource: to, attempt, jti, ...(exp === undefined ? {} : { exp }) },
    });
  const error = REVOCATION_ERRORS[status ?? 0];
  const toAs = view.toRole === 'as';
  if (view.call.callee && !error && !toAs) events.push({ at: arrived, type: 'revocation.received', mission, actor, fields: { jti, via: 'push' } });
  const calledAgain = (): boolean => (context.revocationCalls.get(`${sender} ${key}`) ?? []).some((start) => start > at(view.times.callerStart, arrived));
  // What the caller logs of an error answer names the downstream token in a cascade (jti: the upstream one).
  const named = upstream === undefined ? { jti, to } : { jti: upstream, to, downstream_jti: jti };
  if (error === 'revocation.unsupported')
    events.push({ at: answered, type: error, mission, actor: sender, fields: { ...named, error: 'revocation_unsupported', exposed_until: exp ?? 0 } });
  else if (error === 'revocation.unavailable')
    events.push({
      at: answered,
      type: error,
      mission,
      actor: sender,
      fields: { ...named, attempt, error: 'revocation_unavailable', exposed_until: exp ?? 0, retry: calledAgain() },
    });
  else if (error === 'revocation.rate_limited') {
    const retryAfter = Math.round(Number(view.params['Retry-After']) * 1e6);
    const { jti: first, ...rest } = named;
    events.push({
      at: answered,
      type: error,
      mission,
      actor: sender,
      fields: { jti: first, ...rest, attempt, error: 'rate_limited', retry_after_us: retryAfter },
    });
  } else if (toAs && status === 200 && Array.isArray(view.response.downstream)) {
    const downstream = (view.response.downstream as Array<Record<string, unknown>>).map(({ exposed_until, ...entry }) => ({
      ...entry,
      ...(typeof exposed_until === 'number' ? { exposed_until: numericDateToMicros(exposed_until) } : {}),
    }));
    events.push({ at: answered, type: 'revocation.downstream', mission, actor: sender, fields: { as: to, jti, downstream } });
  } else if ((status === 200 || status === 202) && upstream === undefined && !toAs)
    events.push({ at: answered, type: 'revocation.answered', mission, actor: sender, fields: { resource: to, jti, status, ...retryAfterOf(view, status) } });
  else if (status === undefined && view.call.caller && !view.call.callee) {
    events.push({ at: at(view.times.callerEnd), type: 'revocation.lost', mission, actor: sender, fields: { resource: to, jti, attempt } });
    // A PS's notice to an AS: no answer to its last attempt, no attempt after it: given up (the draft's revocation_unavailable).
    if (toAs && !calledAgain())
      events.push({
        at: at(view.times.callerEnd),
        type: 'revocation.unavailable',
        mission,
        actor: sender,
        fields: { jti, to, attempt, error: 'revocation_unavailable', exposed_until: exp ?? 0, retry: false },
      });
  }
  return { events };
}

function micros(value: unknown, fallback: number): number {
  return typeof value === 'number' ? numericDateToMicros(value) : fallback;
}
