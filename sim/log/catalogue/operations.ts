import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, text } from './fields.ts';

/** A resource's work: operations queued, started, executed, recalled, or refused. */
export const OPERATION_EVENTS = {
  'op.queued': fields({ agent: text, op: text, jti: text, queue_length: count }, 'a resource accepts an operation into its queue'),
  'op.started': fields({ agent: text, op: text, jti: text }, 'an operation starts'),
  'op.executed': fields({ agent: text, op: text, jti: text, irreversible: Type.Boolean() }, 'an operation completes: its effect happened'),
  'op.recalled': fields(
    { agent: text, op: text, jti: text, stage: Type.Union([Type.Literal('queued'), Type.Literal('in service')]) },
    'queued work withdrawn after a revocation',
  ),
  'request.rejected': fields({ agent: text, op: text, jti: text, reason: text }, 'a resource refuses a token'),
} satisfies Record<string, TObject>;
