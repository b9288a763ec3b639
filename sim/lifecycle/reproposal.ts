/** Where a pause stands at the PS: paused (terminated, the person may resume), or resumed (the agent may propose again). */
export type PauseState = 'paused' | 'resumed';

/**
 * Terminate-and-re-propose (r01/r11 have no suspend state). A pause
 * terminates the mission; when the person later says "go on", the agent
 * may propose a new mission that the person must approve again. The PS
 * keeps here, per agent, whether a pause is pending or resumed; the agent
 * learns it only by a message: the PS's events inbox push
 * (aauth-latest, sim/protocol/events-inbox.ts) or its own poll
 * (`PersonServer.pollResume`). Nothing here is read by the agent.
 */
export class Reproposals {
  private readonly pauses = new Map<string, PauseState>();

  /** The mission was terminated because the person paused it. */
  paused(agent: string): void {
    if (!this.pauses.has(agent)) this.pauses.set(agent, 'paused');
  }

  /** The person resumes: the agent may re-propose. Whether a pause was pending. */
  invite(agent: string): boolean {
    if (this.pauses.get(agent) !== 'paused') return false;
    this.pauses.set(agent, 'resumed');
    return true;
  }

  /** Where the agent's pause stands; undefined if its mission was not ended by a pause (or it has re-proposed since). */
  state(agent: string): PauseState | undefined {
    return this.pauses.get(agent);
  }

  /** The new mission was proposed: a later pause starts afresh. */
  consumed(agent: string): void {
    this.pauses.delete(agent);
  }
}
