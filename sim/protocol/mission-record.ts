import type { MissionAuthority } from '../authority/model.ts';
import type { EndState } from '../lifecycle/states.ts';
import type { PersonChannel } from './person-channel.ts';
import type { OutstandingTokens } from './outstanding-tokens.ts';
import type { Token } from './tokens.ts';

/** `refused`: the person refused the proposed mission (it never had an s256). */
export type MissionState = 'pending' | 'active' | 'suspended' | 'refused' | EndState;

/** What a Person Server knows about one mission (its own state: only the PS and its lifecycle parts hold these). */
export interface MissionRecord {
  s256: string | null;
  /** The handle the proposal was made under (the proposing agent's id; `<agent>/concurrent` for its concurrent mission): the PS's own key. */
  agent: string;
  /** The agent the mission belongs to (the blob's `agent`), when the handle is not the agent's id. */
  owner?: string;
  /** The person the mission acts for: how the PS reaches them. */
  person: PersonChannel;
  state: MissionState;
  /** The approved scope: the mission authority's own set (read-only, shared by missions with the same scope list). */
  scope: ReadonlySet<string>;
  expiresAt: number | undefined;
  /** The tokens issued under the mission and not revoked, kept while anything can still name them (sim/protocol/outstanding-tokens.ts). */
  outstanding: OutstandingTokens;
  terminatedAt?: number;
  /** Why it was terminated (r11's termination_reason), sent with every refusal that says so. */
  terminationReason?: string;
  /** mission-authority: the tokens whose resources were told of the current suspension. */
  heldTokens?: Token[];
  /** The mission's envelope and renderings, as this PS's authority model sees them. */
  authority?: MissionAuthority;
}
