import { Type, type TObject } from '@sinclair/typebox';
import { envelope, fields, micros, text } from './fields.ts';

/** A mission from authoring to approval, the person's requests about it (Mission Control), its updates and completion, what the PS discloses of it and the policy a deployment enforces for it. */
export const MISSION_EVENTS = {
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
} satisfies Record<string, TObject>;
