import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, text } from './fields.ts';

/** Mission-authority at resources: work parked under a suspended mission, and a cancellation recalling and compensating work. */
export const MISSION_AUTHORITY_EVENTS = {
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
