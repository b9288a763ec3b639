import {
  type CallView,
  type LogContext,
  type MapResult,
  type MappedEvent,
  activeMission,
  at,
  classBound,
  classOf,
  isObject,
  micros,
  missionClaim,
  nameOf,
  reasonOf,
  requirementOf,
  s256Of,
  str,
  subjectOf,
  tokenIn,
} from './call-view.ts';

export function mapToPersonServer(view: CallView, context: LogContext): MapResult {
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
