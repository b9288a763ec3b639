import type { ActorContext } from '../context/actor-context.ts';
import type { InterventionDef } from '../scenario/schema.ts';
import type { MissionRecord, MissionState } from './mission-record.ts';
import type { AcceptedUpdate } from './mission-update.ts';

/** What the endpoint answers: the mission as its person may see it, or 404, the same for a missing and a foreign mission. */
export type MissionControlAnswer =
  | { status: 200; state: MissionState; body: string | undefined; updates: string[] }
  | { status: 404; error: 'mission_not_found' };

/** The one refusal: built once, so a missing and a foreign mission get the very same answer. */
const NOT_FOUND: MissionControlAnswer = Object.freeze({ status: 404, error: 'mission_not_found' });

/** What the endpoint needs of its Person Server: its missions by s256, and what a person may do to one. */
export interface MissionControlBook {
  find(s256: string): MissionRecord | undefined;
  body(record: MissionRecord): string | undefined;
  updates(record: MissionRecord): readonly AcceptedUpdate[];
  act(record: MissionRecord, action: InterventionDef['action']): void;
}

/**
 * aauth-latest: the PS's `mission_control_endpoint`, through which parties
 * that are not the agent (here: people) read and act on a mission named by
 * its s256. Only the mission's own person (or one of the PS's
 * administrators) may; to anyone else a mission
 * that exists answers exactly as one that does not (404
 * mission_not_found), so possessing or guessing an s256 discloses nothing
 * and authorizes nothing. The PS's own log says which it was.
 */
export class MissionControlEndpoint {
  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly book: MissionControlBook,
    /** People who may manage any mission of this PS (the scenario's administrators). */
    private readonly administrators: ReadonlySet<string> = new Set(),
  ) {}

  /** Reads a mission. */
  status(caller: string, s256: string | null): MissionControlAnswer {
    const record = this.owned(caller, s256, 'status');
    if (!record) return NOT_FOUND;
    return { status: 200, state: record.state, body: this.book.body(record), updates: this.book.updates(record).map((update) => update.body) };
  }

  /** A person acts on a mission (terminate, suspend, ...). */
  act(caller: string, s256: string | null, action: InterventionDef['action']): MissionControlAnswer {
    const record = this.owned(caller, s256, action);
    if (!record) return NOT_FOUND;
    this.book.act(record, action);
    return { status: 200, state: record.state, body: this.book.body(record), updates: this.book.updates(record).map((update) => update.body) };
  }

  private owned(caller: string, s256: string | null, action: string): MissionRecord | undefined {
    const record = s256 === null ? undefined : this.book.find(s256);
    if (record && (record.person.id === caller || this.administrators.has(caller))) return record;
    this.ctx.record('mission_control.refused', record ? s256 : null, this.actor, {
      caller,
      action,
      requested: s256,
      status: 404,
      error: 'mission_not_found',
      // The PS's own knowledge, never in the answer.
      cause: record ? 'not_yours' : 'not_found',
    });
    return undefined;
  }
}
