import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, text } from './fields.ts';

/** The runtime alignment monitor and the staged release gate of irreversible operations. */
export const ALIGNMENT_EVENTS = {
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
} satisfies Record<string, TObject>;
