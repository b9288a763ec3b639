import { Type, type TObject } from '@sinclair/typebox';
import { fields, micros, text } from './fields.ts';

/** The person in the loop: the PS's questions to them, the agents' governance requests (permission, audit, interaction), and the person's own actions on a mission. */
export const GOVERNANCE_EVENTS = {
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
} satisfies Record<string, TObject>;
