import type { ActorContext } from '../context/actor-context.ts';
import type { InterventionDef } from '../scenario/schema.ts';
import type { Network } from './network.ts';
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

  /** A person acts on a mission (terminate, suspend, ...); `trusted`: the PS's own runtime monitor, which may act on any of its missions. */
  act(caller: string, s256: string | null, action: InterventionDef['action'], trusted = false): MissionControlAnswer {
    const record = this.owned(caller, s256, action, trusted);
    if (!record) return NOT_FOUND;
    this.book.act(record, action);
    return { status: 200, state: record.state, body: this.book.body(record), updates: this.book.updates(record).map((update) => update.body) };
  }

  private owned(caller: string, s256: string | null, action: string, trusted = false): MissionRecord | undefined {
    const record = s256 === null ? undefined : this.book.find(s256);
    if (record && (trusted || record.person.id === caller || this.administrators.has(caller))) return record;
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

/** The actor id of a PS's runtime monitor (the caller its requests are logged as). */
export const MONITOR = 'monitor';

/**
 * Who sends a control request, as the PS authenticates it: its own runtime
 * monitor, or a person by id. A type, not a name, so a person who happens
 * to be called `monitor` is a person like any other.
 */
export type ControlSender = { kind: 'monitor' } | { kind: 'person'; id: string };

/** The caller a sender is logged as (mission_control.refused's `caller`). */
export function callerName(from: ControlSender): string {
  return from.kind === 'monitor' ? MONITOR : from.id;
}

/**
 * A request to act on a mission at its PS, as it travels: who sends it, the
 * mission as the sender names it, and what to do. A person names it by the
 * s256 they were told (sim/protocol/person.ts), never by one the world
 * reads from the PS for them.
 */
export interface ControlRequest {
  /** A person, or the PS's runtime monitor. */
  from: ControlSender;
  /** The mission as the caller names it (null: they know of none). */
  s256: string | null;
  /**
   * oauth (no missions, no s256): the client the person consented to, which
   * they name instead. The monitor: the handle of the mission it watches,
   * from its PS's directory (the governance call names it).
   */
  handle?: string;
  action: InterventionDef['action'];
  /** The monitor's alarm: when it was raised (the PS logs the delay). */
  alarmAt?: number;
}

/** A 503 (the PS down or full): send again after the Retry-After it carries. */
export interface ControlUnavailable {
  status: 'unavailable';
  retryAfter: number;
}

/** What the PS answers: carried out, refused (mission_not_found), or 503 with its Retry-After. */
export type ControlAnswer = 'done' | 'refused' | ControlUnavailable;

/** A PS as a person or its monitor reaches it to act on a mission. */
export interface ControlDesk {
  readonly actor: string;
  /** Served through the PS's queue like every other request; `reply` gets the answer. */
  control(request: ControlRequest, reply: (answer: ControlAnswer) => void): void;
}

/**
 * Sends a control request to a PS over the network (one latency each way):
 * queued at the PS like its other requests, carried out when served. A 503
 * (an outage, a full queue) is sent again after the Retry-After the answer
 * carries, each time logged (`mission_control.resent`), until it is served.
 */
export function sendControl(ctx: ActorContext, network: Network, from: string, desk: ControlDesk, request: ControlRequest): void {
  let attempt = 0;
  const answered = (answer: ControlAnswer): void => {
    if (typeof answer === 'string') return;
    attempt++;
    ctx.sim.schedule(answer.retryAfter, () => {
      ctx.record('mission_control.resent', request.s256, from, { to: desk.actor, action: request.action, attempt, retry_after_us: answer.retryAfter });
      send();
    });
  };
  const reply = (answer: ControlAnswer): void => network.send(desk.actor, from, answered, answer);
  const send = (): void => network.send(from, desk.actor, () => desk.control(request, reply), undefined);
  send();
}
