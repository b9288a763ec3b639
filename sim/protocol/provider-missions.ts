import type { MissionHeader } from './resource-messages.ts';

/**
 * What an agent provider knows of the missions its runtimes hold: the s256
 * and approver each approval or delegation answer brought. Seed 002's
 * elastic members (`acts_under`) are runtimes of the same provider, so they
 * learn the mission they join from here, not from the Person Server.
 */
export class ProviderMissions {
  private readonly missions = new Map<string, MissionHeader>();

  /** A runtime of `agent` received its mission in an answer from the PS. */
  post(agent: string, mission: MissionHeader): void {
    this.missions.set(agent, mission);
  }

  /** The mission the provider holds for `agent`, once an answer brought it. */
  missionOf(agent: string): MissionHeader | undefined {
    return this.missions.get(agent);
  }
}
