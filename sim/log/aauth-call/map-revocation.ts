import { type CallView, type LogContext, type MapResult, type MappedEvent, at, nameOf, retryAfterOf } from './call-view.ts';
import { numericDateToMicros } from './time.ts';

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
export function mapRevocation(view: CallView, context: LogContext, actor: string): MapResult {
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
