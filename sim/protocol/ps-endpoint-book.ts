import type { MissionRecord } from './mission-record.ts';

/** What a Person Server endpoint kept in a file of its own (delegation, agent-token revocation) reads of the PS and asks it to do. */
export interface PsEndpointBook {
  /** The mission an agent acts under: its own, or (a sub-agent) its root agent's. */
  recordOf(agent: string): MissionRecord | undefined;
  /** Every request goes through the PS's door: queued, or 503 while down or full. */
  serve(work: () => void, unavailable: () => void): void;
}
