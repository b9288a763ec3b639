import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, micros, text } from './fields.ts';

/** Faults and their recovery: the PS down or overloaded, lost messages, agent retries, crashes and replacement runtimes. */
export const FAULT_EVENTS = {
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
} satisfies Record<string, TObject>;
