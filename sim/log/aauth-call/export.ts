import { createHash } from 'node:crypto';
import type { LoggedEvent } from '../read-log.ts';
import { clockOf } from './clock-skew.ts';
import { revocationExport } from './export-revocation.ts';
import type { CallRecord, Part, Role, Side, Token } from './record.ts';
import { microsToIso, microsToNumericDate } from './time.ts';

/**
 * A simulated run as `aauth.call` records: both ends of every HTTP call the
 * simulated parties made, as the reference's call log would have written
 * them (call-log/src/record.ts): tokens as {type, payload}, `call_id` the
 * base64url SHA-256 of the request's Signature header, `parent` the call
 * being handled when an outbound call was made, a person's act as a
 * `person` record written by the PS.
 *
 * The simulator logs decisions, not messages, so each call is rebuilt from
 * the events that bracket it (a grant is the answer to a token request, an
 * operation's queueing and execution are the arrival and the answer of a
 * resource call). Events with no HTTP call behind them (queueing inside a
 * resource, background jobs, the AOP ledger, agent crashes, our own session
 * blocks, ...) are not written; `notExported` counts them by type.
 */
export interface ExportResult {
  records: CallRecord[];
  /** Events with no HTTP call behind them, by type. */
  notExported: Record<string, number>;
  /** Calls still waiting for their answer when the run ended: a real party writes a record only once the answer is known. */
  inFlight: number;
}

interface OpenCall {
  id: string;
  start: number;
  event: LoggedEvent;
}

/** The act a person (or a monitor) asked the PS for, by the PS's event that records it. */
const ACTION_OF: Record<string, string> = {
  'mission.terminated': 'terminate',
  'mission.suspended': 'suspend',
  'mission.resumed': 'resume',
  'mission.completed': 'complete',
  'mission.cancelled': 'cancel',
};

/** Events whose information is carried by a call written for another event. */
const FOLDED = new Set([
  'mission.terminated',
  'mission.suspended',
  'mission.resumed',
  'mission.completed',
  'mission.cancelled',
  'op.queued',
  'op.started',
  'mission.deferred',
  'federation.received',
  'token.as_issued',
  'token.as_denied',
  'revocation.received',
  'revocation.answered',
  'delegation.granted',
  'delegation.rejected',
  'permission.decided',
  'monitor.alarm',
]);

const url = (name: string) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(name) ? name : `https://${name}`);
const nameAfter = (actor: string) => actor.slice(actor.indexOf(':') + 1);

export function exportCallRecords(events: Iterable<LoggedEvent>, runId: string): ExportResult {
  const records: CallRecord[] = [];
  const notExported: Record<string, number> = {};
  let epoch = Date.UTC(2026, 0, 1) * 1000;
  let counter = 0;
  const signature = () => `sig1=:${createHash('sha256').update(`${runId}/${counter++}`).digest('base64')}:`;
  const callId = () => createHash('sha256').update(signature()).digest('base64url');
  const iso = (t: number) => microsToIso(epoch + t);
  const seconds = (t: number) => microsToNumericDate(epoch + t);

  const authTokens = new Map<string, Token>(); // jti -> the auth token as the agent presents it
  const issuerOfJti = new Map<string, string>(); // jti -> the PS that granted it
  const proposals = new Map<string, OpenCall>(); // agent -> its pending proposal
  const federations = new Map<string, { agentCall: string; start: number; sent: LoggedEvent; received?: LoggedEvent; ps: string }>(); // agent|resource|scope
  const ops = new Map<string, OpenCall>(); // resource|jti|op -> queued call
  const delegations = new Map<string, OpenCall>(); // child -> pending request
  // -11: a sub-agent's request to its parent runtime, open until the parent refuses it or relays the PS's answer (child -> ask).
  const parentAsks = new Map<string, OpenCall & { narrowed?: LoggedEvent }>();
  const permissions = new Map<string, OpenCall & { ask?: OpenCall }>(); // agent|action -> pending request (-11: the sub-agent's ask it came from)
  const interactions = new Map<string, OpenCall & { ask?: OpenCall }>(); // agent|question -> pending relay to the person (likewise)
  const pendingCause = new Map<string, LoggedEvent>(); // mission -> person act or alarm awaiting the PS's event
  const accessServers = new Set<string>(); // names of the Access Servers seen acting (four-party): a revocation notice to one goes to role as
  // Seed 002 (this project's own): the answer body that approved a mission or granted a hop, by agent, for the class the PS binds it to next.
  const bindingAnswers = new Map<string, Record<string, unknown>>();
  /** This project's class claim (where the PS checks class), as a token payload or body carries it. */
  const classClaim = (value: unknown): { mb_class?: string } => (typeof value === 'string' ? { mb_class: value } : {});
  /** An event that should sit in a call but found none: counted, never dropped silently. */
  const unplaced = (e: LoggedEvent) => {
    const label = `${e.type} (no call to place it in)`;
    notExported[label] = (notExported[label] ?? 0) + 1;
  };

  /** A call's fields other than who makes it, to whom, on whose behalf, and how. */
  type CallRest = Omit<Parameters<typeof call>[0], 'from' | 'fromRole' | 'to' | 'toRole' | 'agent' | 'method'>;
  /** Both ends of one call. Times: the caller sent at `start`, the callee saw it at `arrive`, answered at `end`. */
  const call = (c: {
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
    status?: number;
    token?: Token;
    request?: Part;
    response?: Part;
    error?: string;
    calleeLogs?: boolean;
    callerLogs?: boolean;
  }) => {
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
  };
  const revocation = revocationExport({ call, callId, seconds, unplaced, accessServers, issuerOfJti });
  /** A person's act at the PS; `end`: when the PS carried it out (their request travels and waits in its queue), if later. */
  const person = (e: LoggedEvent, action: string, ps: string, request: Record<string, unknown>, response: Record<string, unknown>, end = e.t) => {
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
  };

  for (const e of events) {
    const mission = e.mission;
    const actorName = nameAfter(e.actor);
    /** An agent's POST to this event's party (its PS or a resource): the fields every such call shares. */
    const fromAgent = (agent: string, toRole: Role, rest: CallRest) =>
      call({ from: agent, fromRole: 'agent', to: actorName, toRole, agent, method: 'POST', ...rest });
    if (e.actor.startsWith('as:')) accessServers.add(actorName);
    /**
     * -11: a PS request a parent makes for its sub-agent `child` (named as `subagent`), signed by the parent, while
     * handling the sub-agent's request to it (`parent`), whose answer it relays.
     */
    const forSubAgent = (child: string, signer: string, rest: CallRest, taken?: OpenCall & { narrowed?: LoggedEvent }) => {
      const ask = taken ?? parentAsks.get(child);
      if (!taken) parentAsks.delete(child);
      const body = { ...((rest.request?.body as Record<string, unknown> | undefined) ?? {}), subagent: child };
      const id = call({
        ...rest,
        parent: ask?.id,
        from: signer,
        fromRole: 'agent',
        to: actorName,
        toRole: 'ps',
        agent: signer,
        method: 'POST',
        request: { body },
      });
      if (ask) writeParentAsk(ask, rest.end ?? e.t, rest.status ?? 200, (rest.response?.body as Record<string, unknown> | undefined) ?? {});
      else unplaced(e);
      return id;
    };
    /** A governance call whose request `asked` logged: the agent's own, or (-11, `signed_by`) its parent's on its behalf. */
    const governanceCall = (open: (OpenCall & { ask?: OpenCall }) | undefined, rest: CallRest) => {
      const signer = open?.event.signed_by;
      if (typeof signer !== 'string') return fromAgent(String(e.agent), 'ps', rest);
      // The sub-agent's polls (governance_poll) through the parent are asks of their own; the one the answer came back on ends here.
      const poll = parentAsks.get(String(e.agent));
      if (poll?.event.request === 'governance_poll') {
        parentAsks.delete(String(e.agent));
        writeParentAsk(poll, e.t, 200, (rest.response?.body as Record<string, unknown> | undefined) ?? {});
      }
      return forSubAgent(String(e.agent), signer, rest, open?.ask);
    };
    /** -11: the sub-agent's ask its parent relayed as the governance request this event logs, kept with it (its polls come as other asks). */
    const askOf = (): { ask?: OpenCall } => {
      if (typeof e.signed_by !== 'string') return {};
      const ask = parentAsks.get(String(e.agent));
      parentAsks.delete(String(e.agent));
      return ask ? { ask } : {};
    };
    /** A token request to this event's PS: the agent's own, or (-11, `signed_by`) its parent's on its behalf. */
    const tokenRequest = (rest: CallRest) =>
      typeof e.signed_by === 'string' ? forSubAgent(String(e.agent), e.signed_by, rest) : fromAgent(String(e.agent), 'ps', rest);
    switch (e.type) {
      case 'run.started': {
        const [h = 0, m = 0] = String(e.clock_origin ?? '00:00')
          .split(':')
          .map(Number);
        epoch = Date.UTC(2026, 0, 1, h, m) * 1000;
        break;
      }
      case 'mission.proposed':
        proposals.set(String(e.agent), { id: callId(), start: e.t, event: e });
        break;
      case 'mission.approved': {
        const proposal = proposals.get(String(e.agent));
        proposals.delete(String(e.agent));
        const answer: Record<string, unknown> = { s256: mission, mission: e.blob, scope: e.scope };
        bindingAnswers.set(String(e.agent), answer);
        if (proposal) {
          const immediate = proposal.start === e.t;
          fromAgent(String(e.agent), 'ps', {
            id: proposal.id,
            path: '/mission',
            start: proposal.start,
            status: immediate ? 200 : 202,
            request: { body: { description: proposal.event.description, tools: proposal.event.tools } },
            response: immediate
              ? { body: answer }
              : { params: { 'AAuth-Requirement': { requirement: 'approval' }, Location: `/mission/pending/${proposal.id.slice(0, 12)}` } },
          });
        }
        records.push(
          finish({
            event: 'aauth.call',
            side: 'person',
            call_id: callId(),
            from: String(e.approver),
            to: url(actorName),
            to_role: 'ps',
            agent: String(e.agent),
            action: 'approve',
            started_at: iso(e.t),
            response: { body: answer },
          }),
        );
        break;
      }
      case 'token.resource_issued':
        fromAgent(String(e.agent), 'resource', {
          path: `/${String(e.scope)}`,
          start: e.t,
          status: 401,
          response: {
            params: { 'AAuth-Requirement': { requirement: 'auth-token' } },
            body: {
              resource_token: {
                type: 'aa-resource+jwt',
                payload: {
                  iss: url(actorName),
                  // -11: no agent identifier, the key's thumbprint (agent_jkt); r01, the agent.
                  ...(e.agent_jkt !== undefined ? { agent_jkt: e.agent_jkt } : { agent: e.agent }),
                  jti: e.jti,
                  scope: e.scope,
                  exp: seconds(e.exp as number),
                  // The mission the resource copied: r01's mission object (from the AAuth-Mission header), -11's mission_s256 and presented_jti.
                  ...(e.aauth_mission !== undefined ? { mission: e.aauth_mission } : {}),
                  ...(e.mission_s256 !== undefined ? { mission_s256: e.mission_s256 } : {}),
                  ...(e.presented_jti !== undefined ? { presented_jti: e.presented_jti } : {}),
                  ...subjectClaims(e),
                  ...classClaim(e.mb_class),
                },
              },
            },
          },
          error: undefined,
        });
        break;
      case 'federation.sent': {
        const key = `${String(e.agent)}|${String(e.resource)}|${String(e.scope)}`;
        federations.set(key, { agentCall: callId(), start: e.t, sent: e, ps: actorName });
        break;
      }
      case 'token.auth_granted':
      case 'token.auth_denied': {
        const key = `${String(e.agent)}|${String(e.resource)}|${String(e.scope)}`;
        const federation = federations.get(key);
        federations.delete(key);
        const granted = e.type === 'token.auth_granted';
        const missionClaims = (s256: unknown, r01: boolean): Record<string, unknown> =>
          typeof s256 !== 'string' ? {} : r01 ? { mission: { approver: url(actorName), s256 } } : { mission_s256: s256 };
        const r01Mission = (e.aauth_mission as { s256?: unknown } | undefined)?.s256;
        const claims = granted ? missionClaims(e.mission_s256 ?? r01Mission, e.mission_s256 === undefined) : missionClaims(mission, false);
        // -11 tokens name a key (`cnf` its thumbprint), never the agent; elsewhere `cnf` is the agent's id and the tokens name it.
        const named = e.cnf === undefined || e.cnf === e.agent ? { agent: e.agent } : {};
        const resourceToken: Token = {
          type: 'aa-resource+jwt',
          payload: { iss: url(String(e.resource)), aud: url(actorName), ...named, scope: e.scope, ...claims, ...subjectClaims(e) },
        };
        let response: Part;
        if (granted) {
          const auth: Token = {
            type: 'aa-auth+jwt',
            payload: {
              iss: url(actorName),
              aud: url(String(e.resource)),
              ...named,
              jti: e.jti,
              scope: e.scope,
              iat: seconds(e.iat as number),
              exp: seconds(e.exp as number),
              cnf: { jkt: e.cnf },
              ...claims,
              ...subjectClaims(e),
              ...classClaim(e.mb_class),
              // r01: -01's act claim (who requested it; the upstream chain nested).
              ...(e.act !== undefined ? { act: e.act } : {}),
            },
          };
          authTokens.set(String(e.jti), auth);
          issuerOfJti.set(String(e.jti), actorName);
          response = { body: { auth_token: auth, expires_in: ((e.exp as number) - (e.iat as number)) / 1e6 } };
        } else {
          response = { body: { error: e.reason } };
        }
        const agentCall = tokenRequest({
          id: federation?.agentCall,
          path: '/token',
          start: federation?.start ?? e.t,
          end: e.t,
          status: granted ? 200 : 403,
          request: { body: { resource_token: resourceToken } },
          response,
          error: granted ? undefined : String(e.reason).slice(0, 64),
        });
        if (federation?.received) {
          const r = federation.received as LoggedEvent & { decision: LoggedEvent };
          const decision = r.decision;
          const issued = decision.type === 'token.as_issued';
          const asToken: Token | undefined = issued
            ? {
                type: 'aa-auth+jwt',
                payload: {
                  iss: url(nameAfter(decision.actor)),
                  aud: url(String(e.resource)),
                  ...named,
                  jti: decision.jti,
                  scope: decision.scope,
                  exp: seconds(decision.exp as number),
                  ...claims,
                  ...classClaim(decision.mb_class),
                },
              }
            : undefined;
          call({
            parent: agentCall,
            from: federation.ps,
            fromRole: 'ps',
            to: nameAfter(r.actor),
            toRole: 'as',
            agent: String(e.agent),
            method: 'POST',
            path: '/token',
            start: federation.sent.t,
            arrive: r.t,
            end: decision.t,
            status: issued ? 200 : 403,
            request: { body: { resource_token: resourceToken, ...(mission ? { mission_s256: mission } : {}), ...classClaim(r.mb_class) } },
            response: { body: issued ? { auth_token: asToken, class: r.class } : { error: decision.reason, class: r.class } },
            error: issued ? undefined : String(decision.reason).slice(0, 64),
          });
        }
        break;
      }
      case 'token.person_issued':
      case 'token.person_denied': {
        const issued = e.type === 'token.person_issued';
        const token: Token | undefined = issued
          ? {
              type: 'aa-person+jwt',
              payload: {
                iss: url(actorName),
                aud: url(String(e.resource)),
                // -11: a person token names no agent, only its key (`cnf`).
                jti: e.jti,
                iat: seconds(e.iat as number),
                exp: seconds(e.exp as number),
                cnf: { jkt: e.cnf },
                ...(e.mission_s256 ? { mission_s256: e.mission_s256 } : {}),
                ...(e.sub !== undefined ? { sub: e.sub } : {}),
                ...classClaim(e.mb_class),
              },
            }
          : undefined;
        tokenRequest({
          path: '/person-token',
          start: e.t,
          status: issued ? 200 : 403,
          request: { body: { resource: url(String(e.resource)), ...(mission ? { mission_s256: mission } : {}) } },
          response: { body: issued ? { person_token: token } : { error: e.reason } },
          error: issued ? undefined : String(e.reason).slice(0, 64),
        });
        break;
      }
      case 'op.queued':
        ops.set(`${e.actor}|${String(e.jti)}|${String(e.op)}`, { id: callId(), start: e.t, event: e });
        break;
      case 'op.executed':
      case 'op.recalled':
      case 'request.rejected': {
        const key = `${e.actor}|${String(e.jti)}|${String(e.op)}`;
        const queued = ops.get(key);
        ops.delete(key);
        const token = authTokens.get(String(e.jti)) ?? {
          type: 'aa-auth+jwt',
          payload: { jti: e.jti, agent: e.agent, ...(mission ? { mission_s256: mission } : {}) },
        };
        const executed = e.type === 'op.executed';
        const body = executed
          ? { status: 'executed', irreversible: e.irreversible }
          : e.type === 'op.recalled'
            ? { error: 'revoked', stage: e.stage }
            : { error: e.reason };
        fromAgent(String(e.agent), 'resource', {
          id: queued?.id,
          path: `/${String(e.op)}`,
          start: queued?.start ?? e.t,
          end: e.t,
          status: executed ? 200 : 403,
          token,
          response: { body },
          error: executed ? undefined : String(body.error).slice(0, 64),
        });
        break;
      }
      case 'revocation.sent':
      case 'revocation.cascaded':
      case 'revocation.lost':
      case 'revocation.unsupported':
      case 'revocation.unavailable':
      case 'revocation.rate_limited':
      case 'revocation.downstream':
      case 'revocation.received':
      case 'revocation.answered':
      case 'revocation.status_check':
        revocation.handle(e);
        break;
      case 'person.terminate':
      case 'person.suspend':
      case 'person.resume':
      case 'person.complete':
      case 'person.cancel':
      case 'monitor.alarm':
        if (mission) pendingCause.set(mission, e);
        break;
      case 'mission.class_bound': {
        // The PS binds the mission (or hop) it just approved (or granted) to a class: the answer that approved it names it.
        const answer = bindingAnswers.get(String(e.agent));
        if (answer) answer.mb_class = e.class;
        else unplaced(e);
        break;
      }
      case 'delegation.requested':
        delegations.set(String(e.child), { id: callId(), start: e.t, event: e });
        break;
      // -11: the sub-agent asks its parent runtime (the parent's side is the callee's record).
      case 'delegation.parent_asked': {
        // An earlier ask still open was answered pending (the PS's 202, relayed) or reset by a crash: written as answered 202.
        const earlier = parentAsks.get(String(e.child));
        if (earlier) writeParentAsk(earlier, earlier.start, 202, { status: 'pending' });
        parentAsks.set(String(e.child), { id: callId(), start: e.t, event: e });
        break;
      }
      case 'delegation.parent_narrowed': {
        const ask = parentAsks.get(String(e.child));
        if (ask) ask.narrowed = e;
        else unplaced(e);
        break;
      }
      case 'delegation.parent_refused': {
        const ask = parentAsks.get(String(e.child));
        parentAsks.delete(String(e.child));
        if (!ask) {
          unplaced(e);
          break;
        }
        const rateLimited = e.reason === 'rate_limited';
        writeParentAsk(ask, e.t, rateLimited ? 429 : 403, {
          error: e.reason,
          decided_by: nameAfter(e.actor),
          ...(typeof e.retry_after_us === 'number' ? { retry_after_us: e.retry_after_us } : {}),
        });
        break;
      }
      case 'delegation.parent_unreachable':
        // The sub-agent's request found no parent runtime to answer it: the caller's record alone, with no status.
        call({
          from: nameAfter(e.actor),
          fromRole: 'agent',
          to: String(e.parent),
          toRole: 'agent',
          agent: nameAfter(e.actor),
          method: 'POST',
          path: '/subagent-request',
          start: e.t,
          ...(mission ? { request: { body: { mission_s256: mission } } } : {}),
          error: 'parent_unavailable',
          calleeLogs: false,
        });
        break;
      case 'audit.reported':
        // -11: a sub-agent's report is its parent's call (`signed_by`), as its token requests are.
        tokenRequest({
          path: '/audit',
          start: e.t,
          status: 202,
          request: { body: { action: e.action } },
        });
        break;
      case 'interaction.requested':
        interactions.set(`${String(e.agent)}|${String(e.question)}`, { id: callId(), start: e.t, event: e, ...askOf() });
        break;
      case 'interaction.answered': {
        const key = `${String(e.agent)}|${String(e.question)}`;
        const open = interactions.get(key);
        interactions.delete(key);
        const asked = open?.start ?? e.t - (e.waited_us as number);
        governanceCall(open, {
          id: open?.id,
          path: '/interaction',
          start: asked,
          end: e.t,
          status: 200,
          request: { body: { question: e.question } },
          response: { body: { answered: true } },
        });
        break;
      }
      case 'permission.requested':
        permissions.set(`${String(e.agent)}|${String(e.action)}`, { id: callId(), start: e.t, event: e, ...askOf() });
        break;
      default:
        if (!FOLDED.has(e.type)) notExported[e.type] = (notExported[e.type] ?? 0) + 1;
    }
    // The PS's event that records an act (by a person, or a monitor's call) written just before it.
    const action = ACTION_OF[e.type];
    if (action && mission) {
      const cause = pendingCause.get(mission);
      pendingCause.delete(mission);
      const answer = { mission_s256: mission, mission_status: e.type.slice('mission.'.length), ...(e.reason ? { termination_reason: e.reason } : {}) };
      if (cause?.type.startsWith('person.')) person(cause, action, actorName, { mission_s256: mission }, answer, e.t);
      else
        call({
          from: cause ? nameAfter(cause.actor) : actorName,
          to: actorName,
          toRole: 'ps',
          agent: String(e.agent),
          method: 'POST',
          path: '/mission-control',
          start: e.t,
          status: 200,
          request: { body: { mission_s256: mission, action } },
          response: { body: { ...answer, agent: e.agent } },
        });
    }
    if (e.type === 'delegation.granted' || e.type === 'delegation.rejected') {
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
      // -11: the parent signs the request (its agent token), naming the sub-agent.
      if (typeof signer === 'string') forSubAgent(String(e.child), signer, delegation);
      else fromAgent(String(e.child), 'ps', delegation);
    }
    if (e.type === 'permission.decided') {
      const key = `${String(e.agent)}|${String(e.action)}`;
      const open = permissions.get(key);
      permissions.delete(key);
      governanceCall(open, {
        id: open?.id,
        path: '/permission',
        start: open?.start ?? e.t,
        end: e.t,
        status: 200,
        request: { body: { action: e.action } },
        response: { body: { decision: e.decision, decided_by: e.decided_by, reason: e.reason } },
      });
    }
    if (e.type === 'federation.received') {
      const key = `${String(e.agent)}|${String(e.resource)}|${String(e.scope)}`;
      const federation = federations.get(key);
      if (federation) federation.received = e;
      else unplaced(e);
    }
    if (e.type === 'token.as_issued' || e.type === 'token.as_denied') {
      const key = `${String(e.agent)}|${String(e.resource)}|${String(e.scope)}`;
      const federation = federations.get(key);
      if (federation?.received) (federation.received as LoggedEvent & { decision?: LoggedEvent }).decision = e;
      else unplaced(e);
    }
  }
  for (const cause of pendingCause.values()) unplaced(cause);
  // Revocations still open at the end were answered on arrival (r01) or never arrived (in flight: no record).
  const inFlight =
    ops.size + proposals.size + federations.size + delegations.size + permissions.size + interactions.size + parentAsks.size + revocation.finish();
  return { records, notExported, inFlight };

  /** -11: the sub-agent's request to its parent runtime, answered (a refusal of the parent's own, or the PS's answer relayed). */
  function writeParentAsk(ask: OpenCall & { narrowed?: LoggedEvent }, end: number, status: number, answer: Record<string, unknown>): void {
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

/** Records grouped as each party would hand over its own log: by the party that wrote them, named for a file. */
export function recordsByParty(records: readonly CallRecord[]): Map<string, CallRecord[]> {
  const byParty = new Map<string, CallRecord[]>();
  for (const record of records) {
    const file = `${clockOf(record)
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/[^A-Za-z0-9.@-]/g, '_')}.jsonl`;
    const list = byParty.get(file) ?? [];
    list.push(record);
    byParty.set(file, list);
  }
  return byParty;
}

/** The reference's level and message for a record (call-log/src/record.ts levelOf and buildRecord). */
function finish(fields: {
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

/** -11: the person a token names, `ps` and `sub`, as the event logged them (resource and auth tokens). */
function subjectClaims(e: LoggedEvent): Record<string, unknown> {
  return { ...(e.ps !== undefined ? { ps: e.ps } : {}), ...(e.sub !== undefined ? { sub: e.sub } : {}) };
}
