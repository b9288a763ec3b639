import { Signal } from '../engine/process.ts';
import type { Simulation } from '../engine/simulation.ts';

/**
 * Terminate-and-re-propose (r01/r11 have no suspend state). A pause
 * terminates the mission; when the person later says "go on", the agent,
 * which cannot be told through the protocol (the PS has no push channel),
 * hears it out of band and proposes a new mission that the person must
 * approve again. This keeps, per agent, whether a pause is pending and the
 * signal the agent waits on until the person resumes.
 */
export class Reproposals {
  private readonly invitations = new Map<string, Signal<void>>();

  constructor(private readonly sim: Simulation) {}

  /** The mission was terminated because the person paused it. */
  paused(agent: string): void {
    if (!this.invitations.has(agent)) this.invitations.set(agent, new Signal<void>(this.sim));
  }

  /** The person resumes: an agent waiting may re-propose (one that has not noticed yet will, when it does). Whether a pause was pending. */
  invite(agent: string): boolean {
    const invitation = this.invitations.get(agent);
    if (!invitation || invitation.fired) return false;
    invitation.fire();
    return true;
  }

  /** What an agent whose mission ended waits on before re-proposing; undefined if the ending was not a pause. */
  invitation(agent: string): Signal<void> | undefined {
    return this.invitations.get(agent);
  }

  /** The new mission was proposed: a later pause starts afresh. */
  consumed(agent: string): void {
    this.invitations.delete(agent);
  }
}
