import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';

/**
 * The catalogue of audit events: every type and the fields it carries after
 * the common ones (seq, t, type, mission, actor) and before prev and hash.
 * The world records events through these definitions (WorldContext.record
 * is typed by them), and docs/event-schema.json is generated from them, so
 * a log written elsewhere can be checked against exactly what the simulator
 * writes. Field order here is the order in the log.
 */
const text = Type.String();
const micros = Type.Integer({ minimum: 0, description: 'simulated time, integer microseconds' });
const count = Type.Integer({ minimum: 0 });
/** An intent envelope as logged (see docs/truth-records.md for its fields). */
const envelope = Type.Record(Type.String(), Type.Unknown(), { description: 'an intent envelope: grants, exclusions, max_depth' });
const fields = <P extends TProperties>(properties: P, description: string) => Type.Object(properties, { additionalProperties: false, description });

const CORE_EVENTS = {
  'run.started': fields(
    { scenario: text, profile: text, clock_origin: Type.String({ pattern: '^\\d\\d:\\d\\d$' }), seed: count },
    'what was run, and the wall-clock time of day at t=0',
  ),
  'job.arrive': fields({ resource: text, job: text }, 'a background job arrives at a resource'),
  'job.start': fields({ job: text, waited_us: micros }, 'a background job starts service'),
  'job.done': fields({ job: text, sojourn_us: micros }, 'a background job finishes'),
  'job.reject': fields({ job: text, reason: text }, 'a background job is refused (queue full)'),
  'mission.authored': fields(
    { agent: text, scope: Type.Array(text), text: envelope, text_sha256: text, approved: Type.Optional(envelope), approved_sha256: Type.Optional(text) },
    "the person writes the mission they will approve from what they mean (the authoring step, authority.authoring): its scope list and what its text says, as an envelope (`text`, with its unpadded base64url SHA-256 over RFC 8785 JSON); for a mission to an envelope PS also the approved envelope that PS compiles (`approved`, with its hash), written from the scenario's approved template or the intent with the same errors; absent there, the approved envelope is the text itself; every party decides from what was written, never from the intent, and the person does not know where it errs",
  ),
  'mission.proposed': fields({ agent: text, description: text, tools: Type.Array(text) }, 'an agent proposes a mission to its PS'),
  'consent.granted': fields({ agent: text, approver: text, scopes: Type.Array(text) }, 'oauth: static scopes consented up front'),
  'mission.deferred': fields({ agent: text, status: Type.Literal(202), retry_after_us: micros }, 'the PS defers to the person: 202 with Retry-After'),
  'mission.refused': fields(
    { agent: text, approver: text },
    'the person refused the proposed mission (people[].mission_refusal); the agent stops at its next poll',
  ),
  'mission.clarification': fields({ agent: text, round: Type.Integer({ minimum: 1 }) }, 'a clarification round with the person'),
  'mission.approved': fields(
    { agent: text, approver: text, blob: Type.Record(Type.String(), Type.Unknown()), body: Type.Optional(text), scope: Type.Array(text) },
    'the approved blob (under the envelope authority model it holds the envelope) and `body`, the exact bytes the PS persisted and returned: the mission s256 is the SHA-256 of those bytes, and `verify` recomputes it (an ingested record without the bytes has no `body`)',
  ),
  'mission_control.refused': fields(
    {
      caller: text,
      action: text,
      requested: Type.Union([text, Type.Null()]),
      status: Type.Literal(404),
      error: Type.Literal('mission_not_found'),
      cause: Type.Union([Type.Literal('not_found'), Type.Literal('not_yours')]),
    },
    "the PS refused a person's request (or its runtime monitor's alarm, for a mission it no longer holds) for the mission `requested` (the s256 the caller named: the one they were told when they approved it, or, as one of the PS's administrators, when the PS approved it; null for a person never told of it). aauth-latest: at its mission_control_endpoint, where the answer is the same 404 mission_not_found whether the mission does not exist or is not the caller's (who is not one of the PS's administrators either); only this log line, the PS's own, says which (`cause`). Other profiles have no such endpoint: the PS's own console finds the mission by the s256 named and refuses one it does not hold (`cause` not_found)",
  ),
  'mission_control.resent': fields(
    { to: text, action: text, attempt: Type.Integer({ minimum: 1 }), retry_after_us: micros },
    "a person's request, or the monitor's alarm, was answered 503 by the PS (`to`: down or its queue full; the PS logged ps.unavailable or ps.overloaded): the caller sends it again after the PS's poll interval (`retry_after_us`)",
  ),
  'monitor.alarm_received': fields(
    {
      agent: text,
      action: Type.Union([Type.Literal('suspend'), Type.Literal('terminate')]),
      via: Type.Union([Type.Literal('mission_control_endpoint'), Type.Literal('governance')]),
      delay_us: micros,
    },
    "the PS serves the monitor's alarm (`delay_us` after its monitor.alarm: the network's latency, the PS's queue, and any 503 answers and resends during its outages), and now suspends or terminates the mission of `agent`. aauth-latest: through its mission_control_endpoint; other profiles: a governance call to the PS",
  ),
  'mission.resume_polled': fields(
    { agent: text, answer: Type.Union([Type.Literal('paused'), Type.Literal('resumed'), Type.Literal('ended')]) },
    "terminate-only profiles without an events inbox (aauth-r01, aauth-r11, oauth): an agent whose mission was terminated administratively (aauth-r11) or terminated at all (aauth-r01, oauth: their refusals carry no termination_reason) asks the PS whether it was a pause its person has since resumed (the mission named by its s256): paused (ask again after the PS's pause_poll), resumed (propose a new mission now), ended (not a pause: the agent stops asking)",
  ),
  'mission.update_proposed': fields(
    { agent: text, description: text, subagent: Type.Optional(text) },
    "-11 and later (aauth-r11, aauth-latest): the agent proposes a mission update (Markdown); the PS puts it to the person. A sub-agent's update is relayed by its parent, the mission's agent (`agent`, whose agent token signed it), naming the sub-agent (`subagent`)",
  ),
  'mission.updated': fields(
    { agent: text, approver: text, sequence: Type.Integer({ minimum: 1 }), update_s256: text, body: text, meaning: Type.Array(text) },
    "-11 and later (aauth-r11, aauth-latest): the person accepted an update. `body` is the exact bytes the PS stored for it and `update_s256` their SHA-256 (as for the blob); the mission keeps its s256, and its meaning is the blob plus its accepted updates in order (`meaning`: their s256s, the blob's first)",
  ),
  'mission.update_refused': fields(
    { agent: text, reason: text },
    '-11 and later (aauth-r11, aauth-latest): an update not accepted (refused by the person, the mission ended meanwhile, or no such mission)',
  ),
  'mission.completion_proposed': fields(
    { agent: text },
    '-11 and later (aauth-r11, aauth-latest): the agent proposes that its mission is complete; the PS puts it to the person',
  ),
  'mission.completion_accepted': fields(
    { agent: text, approver: text },
    '-11 and later (aauth-r11, aauth-latest): the person accepted the completion; the mission ends as completed',
  ),
  'mission.completion_refused': fields(
    { agent: text, reason: text },
    '-11 and later (aauth-r11, aauth-latest): the completion was not accepted; the mission stays active',
  ),
  'mission.reproposed': fields(
    { agent: text, previous: Type.Union([text, Type.Null()]) },
    'terminate-only profiles: after a pause terminated its mission, the agent proposes a new one (follows its mission.proposed); the person must approve it again',
  ),
  'mission.class_bound': fields(
    { agent: text, class: text },
    "where the PS checks class (this project's concept, no draft defines it): the mission (or the delegated hop) of `agent` is bound to the class its agent token named; every later token for it is issued only to runtimes of that class",
  ),
  'mission.disclosed': fields(
    { to: text, to_domain: text, description: text },
    'the PS sends the mission body to an AS that asked back (clarify): a disclosure',
  ),
  'mission.projected': fields(
    { to: text, to_domain: text, agent: text, projection_sha256: text, projection: envelope },
    "the PS sends an AS the projection, on the AS's domain, of the policy the PS itself enforces for the hop (what is permitted, not why), bound to the mission (the event's s256) and the agent: a disclosure of that projection",
  ),
  'policy.compiled': fields(
    {
      agent: text,
      source: Type.Union([Type.Literal('approved'), Type.Literal('derived'), Type.Literal('text'), Type.Literal('disclosed')]),
      policy_sha256: text,
      policy: envelope,
    },
    "what a deployment enforces for a mission. envelope model: the PS compiled the approved envelope (source approved: the mission's own; derived: from the approved scope); compare it with mission.approved blob.envelope. text model (source text): the mission text the PS reads (mission.authored text; derived from the scope where none was written), each decision its own noisy reading of it. clarify AS (source disclosed, actor the AS): the disclosed body's text as the AS reads it (its reader text: noise per decision around it; envelope: compiled with authority.compilation)",
  ),
  'budget.enforced': fields(
    {
      agent: text,
      sum: Type.Optional(Type.Object({ arg: text, limit: Type.Number({ minimum: 0 }) }, { additionalProperties: false })),
      distinct: Type.Optional(Type.Object({ arg: text, limit: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
    },
    'the PS enforces a cumulative budget on the mission at token issuance (topology.person_servers[].budget): the sum of one call argument and the distinct values of another over every token of the mission, hops included; a request past it is a token.auth_denied "mission budget: ..."',
  ),
  'delegation.requested': fields(
    { parent: text, child: text, depth: count, task: text, signed_by: Type.Optional(text) },
    "a sub-agent asks to act under its parent's mission; -11 (aauth-r11, aauth-latest), its parent asks for it, and `signed_by` names the agent whose agent token signed the request (the parent)",
  ),
  'delegation.parent_asked': fields(
    {
      child: text,
      task: Type.Optional(text),
      request: Type.Optional(
        Type.Union(['person_token', 'auth_token', 'permission', 'interaction', 'governance_poll', 'audit', 'update'].map((kind) => Type.Literal(kind))),
      ),
    },
    "-11, parent-mediated: a sub-agent's request reaches its parent runtime (a message over the network), which applies its own policy (`sub_agents`) before asking its PS: its hop (with its `task`), or (`request`) a person token, an auth token for a resource token the sub-agent obtained, a governance request (`permission`, `interaction`, a `governance_poll` of a pending one, `audit`) or a mission `update` (a sub-agent never calls its PS itself)",
  ),
  'delegation.parent_refused': fields(
    { child: text, reason: text, retry_after_us: Type.Optional(micros) },
    '-11: the parent does not ask its PS for the sub-agent: reason `parent_policy` (sub_agents.refuse: a refused hop stops the sub-agent), `narrowed_to_nothing` (sub_agents.narrow leaves no grant of the hop asked for: refused like parent_policy) or `rate_limited` (sub_agents.rate_limit, over every request the parent forwards: the sub-agent asks again after `retry_after_us`)',
  ),
  'delegation.parent_narrowed': fields(
    { child: text, requested: envelope, grant: envelope },
    "-11: the parent attenuates the sub-agent's requested grant (sub_agents.narrow) and asks its PS for `grant`, a subset of `requested`",
  ),
  'delegation.parent_unreachable': fields(
    { parent: text },
    "-11: the sub-agent's parent runtime is down (crashed, not yet replaced): its request found no one to answer, or the connection was reset; it asks again after 5 s (its own constant, PARENT_RETRY_US)",
  ),
  'delegation.granted': fields(
    { parent: text, child: text, depth: count, reason: text, grant: Type.Optional(envelope) },
    'the PS mints the hop (under the envelope model, with the child grant)',
  ),
  'delegation.rejected': fields(
    { parent: text, child: text, depth: count, reason: text, grant: Type.Optional(envelope) },
    'the PS refuses the hop, with its reason',
  ),
  'mission.terminated': fields(
    { agent: text, reason: text },
    'the mission ends (r11 reasons: completed, revoked, expired, superseded, administrative; mission-authority: terminated-policy)',
  ),
  'mission.completed': fields(
    { agent: text, by: Type.Union([Type.Literal('person'), Type.Literal('plan')]) },
    "mission-authority: the person or the plan's end completes the mission: no new tokens, outstanding tokens stay valid and their work drains",
  ),
  'mission.cancelled': fields(
    { agent: text },
    'mission-authority: the person cancels the mission: tokens revoked, work recalled, executed reversible work rolled back (op.compensated)',
  ),
  'mission.timed_out': fields(
    { agent: text, expires_at: micros },
    'mission-authority: expires_at passed: no new tokens; work under tokens inside their window may finish',
  ),
  'mission.suspended': fields({ agent: text }, 'm0: the mission is paused'),
  'mission.resumed': fields({ agent: text }, 'm0: the mission continues'),
  'person.asked': fields({ agent: text, question: text }, 'the PS asks the person'),
  'person.unavailable': fields(
    { agent: text, question: text, until: micros },
    'a question reaches the person outside their working hours: it waits until `until`',
  ),
  'permission.requested': fields(
    { agent: text, action: text, signed_by: Type.Optional(text) },
    "governance: an agent asks the PS whether an action no token covers is allowed; -11, a sub-agent's request is its parent's (`signed_by`)",
  ),
  'permission.decided': fields(
    {
      agent: text,
      action: text,
      decision: Type.Union([Type.Literal('granted'), Type.Literal('denied')]),
      decided_by: Type.Union([Type.Literal('mission'), Type.Literal('person')]),
      reason: text,
    },
    'governance: the PS answers a permission request, from the mission or (not covered) from the person',
  ),
  'audit.reported': fields(
    { agent: text, action: text, signed_by: Type.Optional(text) },
    "governance: an agent reports an action to the PS mission log (fire-and-forget); -11, a sub-agent's report is relayed by its parent (`signed_by`)",
  ),
  'interaction.requested': fields(
    { agent: text, question: text, signed_by: Type.Optional(text) },
    "governance: an agent asks the PS to relay a question to the person; -11, a sub-agent's request is its parent's (`signed_by`)",
  ),
  'interaction.answered': fields(
    { agent: text, question: text, waited_us: micros },
    'governance: the person answered the relayed question, waited_us after it was asked',
  ),
  'person.terminate': fields({ agent: text }, 'the person terminates a mission'),
  'person.suspend': fields({ agent: text }, 'the person suspends a mission'),
  'person.resume': fields({ agent: text }, 'the person resumes a mission (terminate-only profiles: lets the agent re-propose after a pause)'),
  'person.complete': fields({ agent: text }, 'the person completes a mission'),
  'person.cancel': fields({ agent: text }, 'the person cancels a mission'),
  'person.terminate_policy': fields({ agent: text }, 'the person terminates a mission for a policy violation'),
  'token.agent_issued': fields(
    { agent: text, jti: text, exp: micros, parent_agent: Type.Optional(text), mb_class: Type.Optional(text) },
    "the agent provider issues an agent token (-11: a sub-agent's names its parent, parent_agent); mb_class (this project's claim, where the PS checks class): the runtime's class",
  ),
  'token.resource_issued': fields(
    {
      agent: text,
      jti: text,
      scope: text,
      exp: micros,
      mission_s256: Type.Optional(text),
      aauth_mission: Type.Optional(Type.Object({ approver: text, s256: text }, { additionalProperties: false })),
      presented_jti: Type.Optional(text),
      ps: Type.Optional(text),
      sub: Type.Optional(text),
      agent_jkt: Type.Optional(text),
      mb_class: Type.Optional(text),
    },
    "a resource answers 401 with a resource token: r01 the mission claim {approver, s256} copied from the AAuth-Mission header (as aauth_mission), -11 mission_s256 copied from the person token and presented_jti naming it, `ps` (the person token's issuer) and `sub` (the directed person identifier) copied from it, and agent_jkt, the thumbprint of the key that signed the request (a -11 resource token carries no agent identifier; `agent` is the resource's own log of who signed); mb_class (this project's claim): the class named by the requesting runtime's agent token, where it names one",
  ),
  'event.pushed': fields(
    { to: text, agent: text, event: Type.Union([Type.Literal('mission.terminated'), Type.Literal('mission.resumed')]) },
    "aauth-latest (companion events draft): the PS pushes a mission event to the agent provider's events inbox (`to`) for `agent`: mission.terminated, or mission.resumed (the person resumed the mission a pause terminated: the agent may propose a new one)",
  ),
  'event.received': fields(
    { agent: text, event: Type.Union([Type.Literal('mission.terminated'), Type.Literal('mission.resumed')]) },
    'aauth-latest: the agent provider received the event; mission.terminated: the runtime sends no further request under that mission and drops its tokens; mission.resumed: the runtime proposes a new mission (never before this line)',
  ),
  'agent_token.revocation_sent': fields(
    { agent: text, attempt: count, jti: text, exp: Type.Optional(micros) },
    "the agent provider calls the PS's revocation endpoint for an agent token (-10 and later; {jti, exp} as the r11 profile's revocation body)",
  ),
  'agent_token.revoked': fields(
    { agent: Type.Union([text, Type.Null()]), iss: text, jti: text, exp: Type.Optional(micros), revoked_tokens: Type.Array(text) },
    "the PS records an agent token as revoked, keyed by (iss, jti) (iss from the call's signature), until the body's exp (no exp: the longest agent-token lifetime): it denies every request presenting it, and revokes the live auth tokens it issued or provided for that agent (revoked_tokens); agent null: that token was never presented to this PS, so it cannot tell whose it is",
  ),
  'agent_token.refused': fields(
    {
      agent: text,
      endpoint: Type.Union([Type.Literal('mission'), Type.Literal('delegation'), Type.Literal('update'), Type.Literal('governance')]),
      reason: text,
    },
    "the PS refuses a mission proposal or poll, a delegation, an update or a governance request (permission, audit, interaction, their polls) presenting a revoked or expired agent token (-11: 'MUST deny subsequent requests presenting that agent token'); token requests log it as token.auth_denied / token.person_denied",
  ),
  'agent_token.revocation_answered': fields(
    { agent: text, jti: text, status: Type.Union([Type.Literal(200), Type.Literal(503), Type.Literal('revocation_unsupported')]) },
    "the PS's answer reaches the agent provider: 200 recorded, 503 down (sent again after the poll interval), revocation_unsupported (a profile whose text has no agent-token revocation at the PS: oauth, r01, m0)",
  ),
  'token.auth_granted': fields(
    {
      agent: text,
      resource: text,
      resource_token: Type.Optional(text),
      jti: text,
      scope: text,
      iat: micros,
      exp: micros,
      cnf: Type.String({
        minLength: 1,
        description:
          "the key the token is bound to: -11 (aauth-r11, aauth-latest) its JWK thumbprint (the token names no agent); other profiles the agent's id",
      }),
      mission_s256: Type.Optional(text),
      ps: Type.Optional(text),
      sub: Type.Optional(text),
      aauth_mission: Type.Optional(Type.Object({ approver: text, s256: text }, { additionalProperties: false })),
      mb_class: Type.Optional(text),
      act: Type.Optional(
        Type.Object(
          { sub: text, act: Type.Optional(Type.Unknown({ description: "the upstream token's act, nested (same shape)" })) },
          { additionalProperties: false, description: 'r01 (PS-issued): who requested the token; in call chaining the upstream chain nested' },
        ),
      ),
      signed_by: Type.Optional(text),
    },
    "the PS grants (or relays) an auth token for a resource token (its jti): the claims; r11 mission_s256, `ps` (this PS) and `sub` (copied from the resource token: the directed person identifier; -11 auth tokens name no agent), r01 the mission claim {approver, s256} (as aauth_mission) and -01's act claim; mb_class (this project's claim, where the PS checks class): the class it is scoped to; -11: `signed_by`, the parent whose agent token signed the request for its sub-agent (the token is the sub-agent's: `agent`, `cnf`)",
  ),
  'token.person_issued': fields(
    {
      agent: text,
      resource: text,
      jti: text,
      iat: micros,
      exp: micros,
      cnf: text,
      mission_s256: Type.Optional(text),
      sub: Type.Optional(text),
      mb_class: Type.Optional(text),
      signed_by: Type.Optional(text),
    },
    'aauth-r11: the PS issues a person token for one resource (aud), bound to the agent key (`cnf`, its thumbprint), naming the person by `sub` (directed: pairwise per resource), exp <= person_ttl and the mission expires_at; -11: `signed_by`, the parent whose agent token signed the request for its sub-agent',
  ),
  'token.person_denied': fields(
    { agent: text, resource: text, reason: text, signed_by: Type.Optional(text) },
    'aauth-r11: the PS refuses a person token (no active mission); -11: `signed_by`, the parent whose agent token signed the request for its sub-agent',
  ),
  'token.auth_denied': fields(
    { agent: text, resource: text, resource_token: Type.Optional(text), scope: text, reason: text, signed_by: Type.Optional(text) },
    'the PS denies a token for a resource token (its jti), with its reason; -11: `signed_by`, the parent whose agent token signed the request for its sub-agent',
  ),
  'federation.sent': fields({ as: text, agent: text, resource: text, scope: text }, 'four-party: the PS asks an AS (mission by s256 only)'),
  'federation.received': fields(
    { ps: text, agent: text, resource: text, scope: text, class: Type.Union([text, Type.Null()]), mb_class: Type.Optional(text) },
    "four-party: an AS receives a federated request; class: the operation's data class; mb_class (this project's claim, where the PS checks class): the class the PS asserts the mission is bound to",
  ),
  'token.as_issued': fields(
    { agent: text, resource: text, jti: text, scope: text, exp: micros, mb_class: Type.Optional(text) },
    "four-party: the AS issues an auth token; mb_class (this project's claim, where the PS checks class): the class it is scoped to",
  ),
  'federation.clarify': fields({ ps: text, agent: text, resource: text, scope: text }, 'four-party: a clarify AS asks the PS back for the mission body'),
  'token.as_denied': fields({ agent: text, resource: text, scope: text, reason: text }, 'four-party: the AS refuses by its own policy'),
  'op.queued': fields({ agent: text, op: text, jti: text, queue_length: count }, 'a resource accepts an operation into its queue'),
  'op.started': fields({ agent: text, op: text, jti: text }, 'an operation starts'),
  'op.executed': fields({ agent: text, op: text, jti: text, irreversible: Type.Boolean() }, 'an operation completes: its effect happened'),
  'op.recalled': fields(
    { agent: text, op: text, jti: text, stage: Type.Union([Type.Literal('queued'), Type.Literal('in service')]) },
    'queued work withdrawn after a revocation',
  ),
  'request.rejected': fields({ agent: text, op: text, jti: text, reason: text }, 'a resource refuses a token'),
  'revocation.sent': fields(
    { resource: text, attempt: count, jti: text, exp: Type.Optional(micros) },
    "the PS calls a revocation endpoint (r11 adds exp); aauth-latest, four-party: also the PS's notice to an AS (resource: the AS's id), each resend a new attempt",
  ),
  'revocation.lost': fields(
    { resource: text, jti: text, attempt: count },
    "a revocation call got no answer: logged by the caller when its wait ran out (a call to a resource: revocation.retry_interval after sending; a PS's notice to an AS: network.timeout), then sent again or given up",
  ),
  'revocation.received': fields({ jti: text, via: Type.Union([Type.Literal('push'), Type.Literal('events')]) }, 'a resource learns of a revocation'),
  'revocation.answered': fields(
    { resource: text, jti: text, status: Type.Union([Type.Literal(200), Type.Literal(202)]), retry_after_us: Type.Optional(micros) },
    'aauth-r11: a revocation endpoint answers the PS: 200 (revoked, downstream cascade done) or 202 with Retry-After (the PS polls)',
  ),
  'revocation.cascaded': fields(
    { jti: text, to: text, downstream_jti: text },
    'aauth-r11: a resource revokes, at the downstream resource, a token it obtained under the revoked upstream token (aauth-latest: each call sent again after revocation_unavailable or rate_limited too)',
  ),
  'revocation.cascade_done': fields(
    { jti: text, downstream: count },
    'aauth-r11: every downstream revocation under this token is done; the endpoint now answers 200',
  ),
  'revocation.unsupported': fields(
    { jti: text, to: text, downstream_jti: Type.Optional(text), error: Type.Literal('revocation_unsupported'), exposed_until: micros },
    "aauth-latest: a recipient that cannot revoke answers revocation_unsupported, either the PS's own call (logged by the PS when the answer arrives, one latency each way after revocation.sent; no downstream_jti) or a downstream one in a cascade (logged by the resource that cascades; the downstream token is downstream_jti): the token stays usable there until exposed_until (its exp)",
  ),
  'revocation.downstream': fields(
    {
      as: text,
      jti: text,
      downstream: Type.Array(
        Type.Object(
          {
            to: text,
            jti: text,
            outcome: Type.Union([
              Type.Literal('sent'),
              Type.Literal('event'),
              Type.Literal('revocation_unsupported'),
              Type.Literal('revocation_unavailable'),
              Type.Literal('no_answer'),
              Type.Literal('status_checked'),
            ]),
            exposed_until: Type.Optional(micros),
          },
          { additionalProperties: false },
        ),
      ),
    },
    "aauth-latest, four-party: the PS revoked an AS-issued token at the resource itself and notified the AS (-11: 'MAY also notify'); this is the AS's answer, queued at the AS: the recipients it passed the revocation on to and what each answered it (sent: 200/202; revocation_unsupported; revocation_unavailable on its last attempt; no_answer; event: a stream, no answer; status_checked: not called), with exposed_until (the token's exp) where the token stays usable",
  ),
  'revocation.unavailable': fields(
    {
      jti: text,
      to: text,
      downstream_jti: Type.Optional(text),
      attempt: count,
      error: Type.Literal('revocation_unavailable'),
      exposed_until: micros,
      retry: Type.Boolean(),
    },
    "aauth-latest: a recipient whose revocation endpoint is down (a resource's revocation.outages, an AS's revocation.outages) answers revocation_unavailable, or (a PS's notice to an AS) no attempt was answered within network.timeout after network.retries resends; the caller (the PS, or in a cascade the resource that cascades) retries after retry_interval while retry is true. Unless a retry gets through, the token stays usable there until exposed_until (its exp)",
  ),
  'revocation.rate_limited': fields(
    { jti: text, to: text, downstream_jti: Type.Optional(text), attempt: count, error: Type.Literal('rate_limited'), retry_after_us: micros },
    "aauth-latest only (validate refuses revocation.rate_limit elsewhere): a recipient past its rate limit (a resource's or an AS's revocation.rate_limit) answered 429 rate_limited with Retry-After; logged by the caller (the PS, or in a cascade the resource that cascades: the downstream token is downstream_jti) when the answer arrives; it calls again after retry_after_us (the wait does not count against its retries)",
  ),
  'revocation.complete': fields(
    { agent: text, elapsed_us: micros },
    'aauth-r11: every revocation of a termination answered 200 (aauth-latest: or the terminal revocation_unsupported): the control plane is done',
  ),
  'revocation.event_published': fields({ resource: text, jti: text }, 'the PS publishes a revocation on an event stream'),
  'revocation.status_check': fields({ jti: text }, 'a resource asks the PS for a token status'),
  'ps.unavailable': fields({ status: Type.Literal(503) }, 'the PS is down'),
  'ps.overloaded': fields({}, 'the PS queue is full: the request is refused with 503'),
  'message.lost': fields({ to: text }, 'a message from this actor to `to` is lost on a lossy link (network.loss, network.links)'),
  'agent.retry': fields(
    { to: text, attempt: Type.Integer({ minimum: 1 }), timeout_us: micros },
    'no answer within the timeout: the agent sends its request to `to` again',
  ),
  'agent.finished': fields({}, 'the agent completed its plan'),
  'agent.crashed': fields({ runtime: text, step: count }, 'a fault crashes the agent runtime; step: the plan step in progress (0-based)'),
  'agent.replaced': fields(
    { runtime: text, previous: text, class: text, binding: Type.Union([Type.Literal('class'), Type.Literal('runtime')]) },
    "the agent provider starts a replacement runtime of the same class; binding: what the mission's authority is bound to",
  ),
  'agent.plan_resumed': fields(
    { runtime: text, step: count, since_crash_us: micros },
    'the replacement runtime holds authority again (class-bound: at once; runtime-bound: after a new approval) and resumes the plan at step',
  ),
  'agent.stopped': fields({ reason: text }, 'the agent stopped: its mission ended, its delegation was refused, or a peer never answered'),
  'audit.session_block': fields(
    { event_count: count, root: Type.String({ pattern: '^[0-9a-f]{64}$' }), public_key: text, signature: text },
    "Ed25519-signed session block over the mission's events since its last block",
  ),
  'audit.log_sealed': fields(
    {
      event_count: count,
      last_hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
      ingested_at: Type.Optional(text),
      source_sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
      public_key: text,
      signature: text,
    },
    "the log's last line: its signer's Ed25519 signature over the count and last hash of the events before it (and, from ingest, when and what was ingested); a log without it may have been cut off",
  ),
  'monitor.alarm': fields(
    {
      agent: text,
      flagged: count,
      window_size: count,
      action: Type.Union([Type.Literal('none'), Type.Literal('suspend'), Type.Literal('terminate')]),
      detector: Type.Optional(Type.Union([Type.Literal('cusum'), Type.Literal('budget'), Type.Literal('flow')])),
      statistic: Type.Optional(Type.Number({ minimum: 0 })),
    },
    'the runtime alignment monitor judges the trajectory unusual from the log alone: flagged of the last window_size executed operations (cusum: of the operations since the statistic left 0, and the statistic; budget: the cumulative sum that passed the limit; flow: the distinct record owners read before the export); what it does to the mission',
  ),
  'gate.held': fields({ agent: text, op: text, jti: text }, 'staged release: an irreversible operation is held before it is queued'),
  'gate.released': fields(
    { agent: text, op: text, jti: text, released_by: Type.Union([Type.Literal('monitor'), Type.Literal('person')]) },
    'a held operation is released, by the monitor (clean window) or the person',
  ),
  'gate.blocked': fields({ agent: text, op: text, jti: text, reason: text }, 'a held operation is refused and never runs'),
  'suspension.received': fields(
    { jti: text, suspended: Type.Boolean() },
    'mission-authority: a resource learns the mission of a token it accepted is suspended (true) or resumed (false)',
  ),
  'op.parked': fields({ agent: text, op: text, jti: text }, 'mission-authority: work under a suspended mission is held at the resource until resume'),
  'cancellation.received': fields(
    { tokens: count },
    'mission-authority: a resource learns the mission was cancelled: its tokens here are revoked and their work recalled',
  ),
  'op.compensated': fields(
    { agent: text, op: text, jti: text },
    'mission-authority cancellation: a reversible operation executed under the mission is rolled back',
  ),
  'op.not_compensable': fields(
    { agent: text, op: text, jti: text },
    'mission-authority cancellation: an irreversible operation executed under the mission cannot be rolled back',
  ),
  'op.unparked': fields({ agent: text, op: text, jti: text }, 'mission-authority: parked work goes back into the queue on resume'),
} satisfies Record<string, TObject>;

/**
 * Every event type's schema, by type. A domain that records events of its
 * own (AOP: sim/aop/events.ts) adds them to this interface by declaration
 * merging and registers their schemas with `registerEvents`; the catalogue
 * imports no domain.
 */
export interface EventSchemas extends CoreEvents {}
type CoreEvents = typeof CORE_EVENTS;

export type EventType = keyof EventSchemas & string;
export type EventFields<T extends EventType> = Static<EventSchemas[T]>;

const registry: Record<string, TObject> = { ...CORE_EVENTS };
let assembled = false;

/** A domain's event types join the catalogue, after those already there (the order of the schema files). */
export function registerEvents(group: Record<string, TObject>): void {
  if (assembled) throw new Error('the event catalogue is already assembled: register event types before assembleCatalogue()');
  for (const [type, schema] of Object.entries(group)) {
    if (type in registry) throw new Error(`event type ${type} is registered twice`);
    registry[type] = schema;
  }
}

/** Called once every domain has registered (sim/events.ts): from now on the catalogue is complete and fixed. */
export function assembleCatalogue(): void {
  assembled = true;
}

/**
 * The complete catalogue. Throws if it was not assembled yet, so a reader
 * never sees it without a domain's events: import sim/events.ts (which
 * registers every domain) before asking.
 */
export function eventCatalogue(): Readonly<Record<string, TObject>> {
  if (!assembled) throw new Error("the event catalogue is not assembled: import sim/events.ts, which registers every domain's event types");
  return registry;
}

const hex64 = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** The JSON Schema of one log line, as committed in docs/event-schema.json. */
export function eventJsonSchema(): Record<string, unknown> {
  const catalogue = eventCatalogue();
  const variants = Object.entries(catalogue).map(([type, schema]) => {
    const own = JSON.parse(JSON.stringify(schema)) as { properties: Record<string, unknown>; required?: string[]; description: string };
    return {
      description: own.description,
      type: 'object',
      additionalProperties: false,
      required: ['seq', 't', 'type', 'mission', 'actor', ...(own.required ?? [])],
      properties: {
        seq: { type: 'integer', minimum: 0 },
        t: { type: 'integer', minimum: 0, description: 'simulated time, integer microseconds' },
        type: { const: type },
        mission: { type: ['string', 'null'], description: 'the mission s256, or null' },
        actor: { type: 'string' },
        ...own.properties,
        prev: { ...hex64, description: 'previous line hash; absent in a log that was never chained' },
        hash: { ...hex64, description: 'SHA-256 of this line without its hash member' },
      },
    };
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://missionbench.dev/schema/event.json',
    title: 'missionbench audit event (one line of events.jsonl)',
    type: 'object',
    required: ['type'],
    properties: { type: { enum: Object.keys(catalogue) } },
    allOf: Object.keys(catalogue).map((type, i) => ({ if: { properties: { type: { const: type } } }, then: variants[i] })),
  };
}

/** docs/event-catalogue.md: the catalogue as a table, generated like the schema. */
export function eventCatalogueMarkdown(): string {
  const rows = Object.entries(eventCatalogue()).map(([type, schema]) => {
    const required = new Set((schema as TObject).required ?? []);
    const names = Object.keys((schema as TObject).properties).map((name) => (required.has(name) ? `\`${name}\`` : `\`${name}\`?`));
    return `| \`${type}\` | ${names.join(', ') || '(none)'} | ${(schema as TObject).description ?? ''} |`;
  });
  return [
    '# Audit event catalogue',
    '',
    'Generated from `sim/log/catalogue.ts` by `npm run schema`; do not edit by hand.',
    'Every line of `events.jsonl` is `seq, t, type, mission, actor`, then the fields',
    'below in this order (`?`: optional), then `prev` and `hash` (see the README,',
    '"The event log"). The JSON Schema of a line is `docs/event-schema.json`;',
    '`missionbench ingest` checks logs from outside against it.',
    '',
    '| type | fields | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
