import {
  type CallView,
  type LogContext,
  type MapResult,
  activeMission,
  at,
  classOf,
  isObject,
  micros,
  missionClaim,
  nameOf,
  reasonOf,
  requirementOf,
  retryAfterOf,
  str,
  subjectOf,
  tokenIn,
} from './call-view.ts';
import { mapRevocation } from './map-revocation.ts';

export function mapToResource(view: CallView, context: LogContext): MapResult {
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
