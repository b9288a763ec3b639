import type { EventFields } from './catalogue.ts';

/**
 * An agent's operation at a resource as the log has it (catalogue/operations.ts):
 * queued, started, executed, with their fields as arguments instead of a
 * field object. A protocol run logs these three for nearly every step an
 * agent takes (94% of a 10,000-agent hour's lines), and the log writer writes
 * them straight from the arguments (no field object, no walk over its
 * members). Each records exactly what `emit(t, type, mission, actor,
 * opFields...)` records: the same line, byte for byte.
 */
export interface OpEventSink {
  /** `op.queued` by the resource: the operation joined its queue of `queueLength`. */
  opQueued(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, queueLength: number): void;
  /** `op.started` by the resource. */
  opStarted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string): void;
  /** `op.executed` by the resource: the operation's effect happened. */
  opExecuted(t: number, mission: string | null, resource: string, agent: string, op: string, jti: string, irreversible: boolean): void;
}

/** The op events' field objects, as emit takes them (named once, checked against the catalogue). */
export const opFields = {
  queued: (agent: string, op: string, jti: string, queueLength: number): EventFields<'op.queued'> => ({ agent, op, jti, queue_length: queueLength }),
  started: (agent: string, op: string, jti: string): EventFields<'op.started'> => ({ agent, op, jti }),
  executed: (agent: string, op: string, jti: string, irreversible: boolean): EventFields<'op.executed'> => ({ agent, op, jti, irreversible }),
};
