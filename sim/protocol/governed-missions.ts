import type { OpFacts } from '../authority/envelope.ts';
import type { Decision, MissionAuthority } from '../authority/model.ts';
import { opFacts } from '../authority/renderings.ts';
import type { AuthorityDesk, Hop } from './authority-desk.ts';
import type { ActionRef } from './governance-endpoints.ts';
import type { MissionRecord } from './mission-record.ts';
import type { PersonChannel } from './person-channel.ts';
import type { Profile } from './profiles.ts';

/** What finding a governance request's mission reads of the PS. */
export interface GovernedMissionBook {
  /** An approved mission by its s256. */
  byS256(s256: string): MissionRecord | undefined;
  /** The mission an agent acts under: its own, or (a sub-agent) its root agent's. */
  recordOf(agent: string): MissionRecord | undefined;
  /** Whether `agent` acts under the mission: its own, or a hop this PS minted in its tree. */
  belongsTo(record: MissionRecord, agent: string): boolean;
}

/**
 * The missions the PS's governance endpoints (permission, audit,
 * interaction; sim/protocol/governance-endpoints.ts) act on: the one a
 * request names, whether it is active, and how the PS judges an action
 * under it, as a token request for that action would be judged.
 */
export class GovernedMissions {
  constructor(
    private readonly profile: Profile,
    private readonly desk: AuthorityDesk,
    private readonly book: GovernedMissionBook,
  ) {}

  /**
   * The mission a governance request names: found by its s256 if it is
   * this agent's ("not found" and "not yours" answer alike); a request
   * naming none is the agent's consent (OAuth).
   */
  private named(agent: string, mission: string | null): MissionRecord | undefined {
    if (mission === null) return this.profile.missions ? undefined : this.book.recordOf(agent);
    const record = this.book.byS256(mission);
    return record && this.book.belongsTo(record, agent) ? record : undefined;
  }

  /** The active mission a governance request names. */
  active(agent: string, mission: string | null): { s256: string | null; person: PersonChannel } | { refusal: string } {
    const record = this.named(agent, mission);
    if (!record || record.state === 'pending') return { refusal: 'mission_not_found' };
    if (record.state !== 'active') return { refusal: `mission ${record.state}` };
    return { s256: record.s256, person: record.person };
  }

  /** This PS's authority decision on an action, judged as a token request for it would be. */
  judge(agent: string, mission: string | null, action: ActionRef): { verdict: Decision; facts: OpFacts; approved: OpFacts[] } {
    const record = this.named(agent, mission) as MissionRecord; // active() found it
    const ownHop = this.desk.hop(agent);
    const hop = ownHop && ownHop.root === record.agent ? ownHop : (this.desk.hop(record.agent) as Hop);
    const facts = opFacts(this.desk.ops, action.resource, action.operation, action.args, action.stage, hop.depth);
    // The approved scope as the person sees it: each entry with its operation's published class and action.
    const approved = [...record.scope].map((entry) =>
      opFacts(this.desk.ops, entry.slice(0, entry.indexOf('/')), entry.slice(entry.indexOf('/') + 1), undefined, undefined, 0),
    );
    return { verdict: this.desk.authorize(record.authority as MissionAuthority, hop, facts), facts, approved };
  }
}
