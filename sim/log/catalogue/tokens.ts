import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, micros, text } from './fields.ts';

/** Tokens: agent, resource, auth and person tokens, agent-token revocation, the events inbox, and four-party federation with an AS. */
export const TOKEN_EVENTS = {
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
} satisfies Record<string, TObject>;
