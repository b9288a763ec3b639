import { Type, type TObject } from '@sinclair/typebox';
import { count, envelope, fields, micros, text } from './fields.ts';

/** Delegation hops: a sub-agent acting under its parent's mission, and (-11) the parent runtime that mediates its requests. */
export const DELEGATION_EVENTS = {
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
} satisfies Record<string, TObject>;
