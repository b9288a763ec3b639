import type { LoggedEvent } from '../read-log.ts';
import { nameAfter, url } from './export-call-writer.ts';
import { agentPost, classClaim, type EventHandlers, type ExportState, type MessageFamily } from './export-state.ts';
import type { SubAgentExport } from './export-sub-agents.ts';
import type { Part, Token } from './record.ts';

/**
 * The token calls of `export --format aauth-call` (export.ts): a
 * resource's 401 challenge carrying its resource token, the agent's
 * POST /token to its PS (and, four-party, the PS's own POST /token to the
 * resource's Access Server, federated, within it), and the person token
 * request (POST /person-token). Tokens are written as the reference logs
 * them, `{type, payload}`, their claims from the events. Under -11 a
 * sub-agent's token requests are its parent's (export-sub-agents.ts).
 */

/** The PS's federated request to an AS, opened when the PS sent it and written inside the agent's token call. */
interface OpenFederation {
  /** The agent's token call's id, drawn when the PS sent: the federated call's parent. */
  agentCall: string;
  start: number;
  sent: LoggedEvent;
  received?: LoggedEvent & { decision?: LoggedEvent };
  ps: string;
}

/** The token events' handlers, and `finish`: how many federated token requests were still unanswered at the end of the run. */
export function tokenExport(state: ExportState, subAgents: SubAgentExport): MessageFamily {
  const { call, callId, seconds, unplaced, authTokens, issuerOfJti } = state;
  const federations = new Map<string, OpenFederation>(); // agent|resource|scope -> the PS's request to the AS
  const federationKey = (e: LoggedEvent) => `${String(e.agent)}|${String(e.resource)}|${String(e.scope)}`;
  const handlers: EventHandlers = {
    'token.resource_issued': writeChallenge,
    'federation.sent': (e) => federations.set(federationKey(e), { agentCall: callId(), start: e.t, sent: e, ps: nameAfter(e.actor) }),
    'federation.received': (e) => {
      const federation = federations.get(federationKey(e));
      if (federation) federation.received = e;
      else unplaced(e);
    },
    'token.as_issued': asDecided,
    'token.as_denied': asDecided,
    'token.auth_granted': writeAuthTokenCall,
    'token.auth_denied': writeAuthTokenCall,
    'token.person_issued': writePersonTokenCall,
    'token.person_denied': writePersonTokenCall,
  };
  return { handlers, finish: () => federations.size };

  /** The AS's decision on the PS's federated request, kept for the call written when the PS answers the agent. */
  function asDecided(e: LoggedEvent): void {
    const federation = federations.get(federationKey(e));
    if (federation?.received) federation.received.decision = e;
    else unplaced(e);
  }

  /** The resource's 401 to an agent's call without an auth token: the challenge, its resource token in the body. */
  function writeChallenge(e: LoggedEvent): void {
    agentPost(state, e, String(e.agent), 'resource', {
      path: `/${String(e.scope)}`,
      start: e.t,
      status: 401,
      response: {
        params: { 'AAuth-Requirement': { requirement: 'auth-token' } },
        body: {
          resource_token: {
            type: 'aa-resource+jwt',
            payload: {
              iss: url(nameAfter(e.actor)),
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
    });
  }

  /** The agent's POST /token answered by its PS (granted or denied), and the federated POST /token to the AS the PS made within it. */
  function writeAuthTokenCall(e: LoggedEvent): void {
    const mission = e.mission;
    const actorName = nameAfter(e.actor);
    const federation = federations.get(federationKey(e));
    federations.delete(federationKey(e));
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
    const agentCall = subAgents.requestToPs(e, {
      id: federation?.agentCall,
      path: '/token',
      start: federation?.start ?? e.t,
      end: e.t,
      status: granted ? 200 : 403,
      request: { body: { resource_token: resourceToken } },
      response,
      error: granted ? undefined : String(e.reason).slice(0, 64),
    });
    const received = federation?.received;
    if (!federation || !received) return;
    // Four-party: the AS's decision, as the PS's call to it (made while handling the agent's).
    const decision = received.decision as LoggedEvent;
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
      to: nameAfter(received.actor),
      toRole: 'as',
      agent: String(e.agent),
      method: 'POST',
      path: '/token',
      start: federation.sent.t,
      arrive: received.t,
      end: decision.t,
      status: issued ? 200 : 403,
      request: { body: { resource_token: resourceToken, ...(mission ? { mission_s256: mission } : {}), ...classClaim(received.mb_class) } },
      response: { body: issued ? { auth_token: asToken, class: received.class } : { error: decision.reason, class: received.class } },
      error: issued ? undefined : String(decision.reason).slice(0, 64),
    });
  }

  /** The agent's POST /person-token answered by its PS. */
  function writePersonTokenCall(e: LoggedEvent): void {
    const mission = e.mission;
    const issued = e.type === 'token.person_issued';
    const token: Token | undefined = issued
      ? {
          type: 'aa-person+jwt',
          payload: {
            iss: url(nameAfter(e.actor)),
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
    subAgents.requestToPs(e, {
      path: '/person-token',
      start: e.t,
      status: issued ? 200 : 403,
      request: { body: { resource: url(String(e.resource)), ...(mission ? { mission_s256: mission } : {}) } },
      response: { body: issued ? { person_token: token } : { error: e.reason } },
      error: issued ? undefined : String(e.reason).slice(0, 64),
    });
  }
}

/** -11: the person a token names, `ps` and `sub`, as the event logged them (resource and auth tokens). */
function subjectClaims(e: LoggedEvent): Record<string, unknown> {
  return { ...(e.ps !== undefined ? { ps: e.ps } : {}), ...(e.sub !== undefined ? { sub: e.sub } : {}) };
}
