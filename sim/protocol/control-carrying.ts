import type { ActorContext } from '../context/actor-context.ts';
import { callerName, type ControlAnswer, type ControlRequest, type MissionControlEndpoint } from './mission-control.ts';
import type { MissionRecord } from './mission-record.ts';
import type { Profile } from './profiles.ts';

/** What carrying a control request reads of the PS's missions and asks it to do. */
export interface ControlCarrierBook {
  /** aauth-latest: the mission_control_endpoint, which checks who may act on the mission. */
  readonly endpoint: MissionControlEndpoint;
  /** A mission by its proposal's handle. */
  byHandle(handle: string): MissionRecord | undefined;
  /** Every mission the PS holds. */
  missions(): Iterable<MissionRecord>;
  /** Carries out the action on the mission (sim/lifecycle/interventions.ts). */
  act(agent: string, action: ControlRequest['action']): void;
}

/**
 * How the Person Server carries out a person's request to act on a
 * mission, or its monitor's alarm, once served through its queue.
 * aauth-latest: through the mission_control_endpoint, which finds the
 * mission by the s256 named and acts only for its person, an administrator
 * or the PS's own monitor. Other profiles have no such endpoint: the PS's
 * console finds the mission by the s256 named (oauth: the client consented
 * to) and acts for whoever names it; the monitor's alarm is a governance
 * call naming the mission's handle.
 */
export class ControlCarrier {
  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly profile: Profile,
    private readonly book: ControlCarrierBook,
  ) {}

  /** Acts on the mission the request names: 'done', or 'refused' (logged) when none is found or the endpoint refuses. */
  carry(request: ControlRequest): ControlAnswer {
    const monitor = request.from.kind === 'monitor';
    if (monitor) {
      this.ctx.record('monitor.alarm_received', request.s256, this.actor, {
        agent: request.handle ?? '',
        action: request.action === 'suspend' ? 'suspend' : 'terminate',
        via: this.profile.missionControl ? 'mission_control_endpoint' : 'governance',
        delay_us: this.ctx.sim.now - (request.alarmAt ?? this.ctx.sim.now),
      });
    }
    if (this.profile.missionControl)
      return this.book.endpoint.act(callerName(request.from), request.s256, request.action, monitor).status === 200 ? 'done' : 'refused';
    // The monitor's alarm names the mission it watched by handle and s256: a stale alarm (the mission it
    // judged has since ended and been re-proposed under the same handle) finds nothing, as a person's would.
    const watched = monitor ? this.book.byHandle(request.handle ?? '') : undefined;
    const record = monitor
      ? watched?.s256 === request.s256
        ? watched
        : undefined
      : this.profile.missions
        ? [...this.book.missions()].find((candidate) => candidate.s256 !== null && candidate.s256 === request.s256)
        : this.book.byHandle(request.handle ?? '');
    if (!record) {
      this.ctx.record('mission_control.refused', null, this.actor, {
        caller: callerName(request.from),
        action: request.action,
        requested: request.s256,
        status: 404,
        error: 'mission_not_found',
        cause: 'not_found',
      });
      return 'refused';
    }
    this.book.act(record.agent, request.action);
    return 'done';
  }
}
