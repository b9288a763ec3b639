import {
  type CallView,
  type LogContext,
  type MapResult,
  type MappedEvent,
  activeMission,
  agentOfToken,
  at,
  classOf,
  micros,
  missionClaim,
  nameOf,
  reasonOf,
  str,
  tokenIn,
} from './call-view.ts';
import { mapRevocation } from './map-revocation.ts';

export function mapToAccessServer(view: CallView, context: LogContext): MapResult {
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
