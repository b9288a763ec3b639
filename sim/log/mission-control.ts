import { wallClock } from './clock.ts';
import type { LoggedEvent } from './read-log.ts';

/**
 * Seed 001's Mission Control view of the PS mission log: one line per
 * token decision, `HH:MM agent -> resource scope: op granted|denied — reason`
 * (and, under -11, `HH:MM agent -> resource person token denied — reason`),
 * read from the log alone (the clock origin comes from its run.started event).
 */
export class MissionControlView {
  private clockOrigin = '00:00';

  constructor(private readonly mission?: string) {}

  /** The line for this event, or undefined if it is not a decision to show. */
  line(event: LoggedEvent): string | undefined {
    if (event.type === 'run.started' && typeof event.clock_origin === 'string') this.clockOrigin = event.clock_origin;
    if (this.mission !== undefined && event.mission !== this.mission) return undefined;
    if (event.type === 'token.auth_granted') {
      return `${this.clock(event.t)} ${String(event.agent)} -> ${String(event.resource)} scope: ${String(event.scope)} granted`;
    }
    if (event.type === 'token.auth_denied') {
      return `${this.clock(event.t)} ${String(event.agent)} -> ${String(event.resource)} scope: ${String(event.scope)} denied — ${String(event.reason)}`;
    }
    // -11: a refused person token is a decision too (a forged or foreign mission is refused here, naming no mission of the log).
    if (event.type === 'token.person_denied') {
      return `${this.clock(event.t)} ${String(event.agent)} -> ${String(event.resource)} person token denied — ${String(event.reason)}`;
    }
    return undefined;
  }

  private clock(t: number): string {
    return wallClock(this.clockOrigin, t);
  }
}
