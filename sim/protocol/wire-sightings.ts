import type { MissionHeader } from './resource-messages.ts';
import type { Token } from './tokens.ts';

/**
 * What an attacker could have seen on the wire (issue 17 item 3): the
 * mission each agent presents (its s256 and approver travel in every
 * mission-bearing header and token) and the last resource token each agent
 * carried to its PS. Agents post what they send; only an attacking agent
 * (`attack:` in the scenario) reads it. It models an eavesdropper's
 * knowledge: no deciding party (PS, resource, AS) ever reads it.
 */
export class WireSightings {
  private readonly missions = new Map<string, MissionHeader>();
  private readonly resourceTokens = new Map<string, Token>();

  missionSent(agent: string, mission: MissionHeader): void {
    this.missions.set(agent, mission);
  }

  missionOf(agent: string): MissionHeader | undefined {
    return this.missions.get(agent);
  }

  resourceTokenSent(agent: string, token: Token): void {
    this.resourceTokens.set(agent, token);
  }

  resourceTokenOf(agent: string): Token | undefined {
    return this.resourceTokens.get(agent);
  }
}
