import { Type, type TProperties } from '@sinclair/typebox';

/** The small schemas every event family of the catalogue is written with. */
export const text = Type.String();
export const micros = Type.Integer({ minimum: 0, description: 'simulated time, integer microseconds' });
export const count = Type.Integer({ minimum: 0 });
/** An intent envelope as logged (see docs/truth-records.md for its fields). */
export const envelope = Type.Record(Type.String(), Type.Unknown(), { description: 'an intent envelope: grants, exclusions, max_depth' });
/** One event type's own fields, in log order, and nothing else. */
export const fields = <P extends TProperties>(properties: P, description: string) => Type.Object(properties, { additionalProperties: false, description });
