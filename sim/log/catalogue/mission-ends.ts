import { Type, type TObject } from '@sinclair/typebox';
import { fields, micros, text } from './fields.ts';

/** How a mission ends or pauses: terminated, completed, cancelled, timed out, suspended, resumed. */
export const MISSION_END_EVENTS = {
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
} satisfies Record<string, TObject>;
