import type { MissionState } from './mission-record.ts';
import type { PersonChannel } from './person-channel.ts';

/**
 * What a Person Server's runtime monitor and release gate may learn of the
 * missions it holds, and do to them: the mission an agent acts under, its
 * state and person; suspend or terminate it. A port, not the server.
 */
export interface MissionDirectory {
  /** The root agent whose mission an agent acts under (itself for a root agent). */
  rootOf(agent: string): string;
  /** The handle (the proposing agent's id, or `<agent>/concurrent`) of a mission this PS approved, by its s256. */
  handleOf(mission: string): string | undefined;
  stateOf(agent: string): MissionState | undefined;
  /** The person a mission acts for: who can release a held operation. */
  personOf(agent: string): PersonChannel | undefined;
}

/**
 * What the PS itself does to a mission, by its handle, once a request to
 * do so was served (a person's, or its monitor's: sim/protocol/mission-control.ts
 * carries those requests). No party outside the PS holds this port.
 */
export interface MissionControl {
  terminate(agent: string, reason: string): void;
  terminateForPolicy(agent: string): void;
  suspend(agent: string): void;
  resume(agent: string): void;
  complete(agent: string, by: 'person' | 'plan'): void;
  cancel(agent: string): void;
}
