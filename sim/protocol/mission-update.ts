import type { ActorContext } from '../context/actor-context.ts';
import { isEnded } from '../lifecycle/states.ts';
import { missionS256, simulatedInstant } from './mission.ts';
import type { MissionRecord } from './mission-record.ts';

/** What the PS answers an agent's update or completion proposal (after the person decided). */
export type ProposalAnswer = { status: 'accepted'; s256?: string } | { status: 'refused'; reason: string };

/** One accepted update as the PS stores it: the exact bytes it persisted, and their s256. */
export interface AcceptedUpdate {
  body: string;
  s256: string;
}

/**
 * Mission updates and agent-proposed completion (-11 and later: aauth-r11
 * and aauth-latest, which inherits them; docs/profiles.md). The agent
 * proposes an update (Markdown); the person accepts or refuses it at human
 * speed (as they decide a proposed mission, at their mission_refusal
 * rate). An accepted update is stored as its own body, whose s256 is over
 * those exact bytes, like the blob's; the mission's meaning is the blob
 * plus its accepted updates in order, while its identifier stays the
 * blob's s256 (tokens keep carrying it). Completion works the same way:
 * the agent proposes it, and only the person's acceptance completes the
 * mission. An update changes the meaning the person and auditors read, not
 * the authority the PS enforces (its scope and envelope are unchanged;
 * docs/profiles.md).
 */
export class MissionUpdates {
  private readonly accepted = new Map<MissionRecord, AcceptedUpdate[]>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly clockOrigin: string,
    /** Carries out an accepted completion (the PS's completion by the person). */
    private readonly complete: (agent: string) => void,
  ) {}

  /** The accepted updates of a mission, in order (its meaning is the blob plus these). */
  of(record: MissionRecord): readonly AcceptedUpdate[] {
    return this.accepted.get(record) ?? [];
  }

  /** The agent proposes an update; `reply` gets the person's decision. -11: `subagent` names the sub-agent whose update its parent (the mission's agent) relayed. */
  proposeUpdate(record: MissionRecord, description: string, reply: (answer: ProposalAnswer) => void, subagent?: string): void {
    const refusal = this.closed(record);
    if (refusal) return reply({ status: 'refused', reason: refusal });
    this.ctx.record('mission.update_proposed', record.s256, this.actor, { agent: record.agent, description, ...(subagent === undefined ? {} : { subagent }) });
    record.person.decideMission(record.agent, (yes) => {
      // The mission may have ended while the person was deciding.
      const late = this.closed(record);
      if (late || !yes) {
        const reason = late ?? 'refused by the person';
        this.ctx.record('mission.update_refused', record.s256, this.actor, { agent: record.agent, reason });
        return reply({ status: 'refused', reason });
      }
      const list = this.accepted.get(record) ?? [];
      const body = JSON.stringify({
        mission: record.s256,
        sequence: list.length + 1,
        description,
        approved_at: simulatedInstant(this.clockOrigin, this.ctx.sim.now),
      });
      const update = { body, s256: missionS256(body) };
      list.push(update);
      this.accepted.set(record, list);
      this.ctx.record('mission.updated', record.s256, this.actor, {
        agent: record.agent,
        approver: record.person.id,
        sequence: list.length,
        update_s256: update.s256,
        body,
        meaning: [record.s256 as string, ...list.map((u) => u.s256)],
      });
      reply({ status: 'accepted', s256: update.s256 });
    });
  }

  /** The agent proposes that its mission is complete; only the person's acceptance completes it. */
  proposeCompletion(record: MissionRecord, reply: (answer: ProposalAnswer) => void = () => undefined): void {
    const refusal = this.closed(record);
    if (refusal) return reply({ status: 'refused', reason: refusal });
    this.ctx.record('mission.completion_proposed', record.s256, this.actor, { agent: record.agent });
    record.person.decideMission(record.agent, (yes) => {
      const late = this.closed(record);
      if (late || !yes) {
        const reason = late ?? 'refused by the person';
        this.ctx.record('mission.completion_refused', record.s256, this.actor, { agent: record.agent, reason });
        return reply({ status: 'refused', reason });
      }
      this.ctx.record('mission.completion_accepted', record.s256, this.actor, { agent: record.agent, approver: record.person.id });
      this.complete(record.agent);
      reply({ status: 'accepted' });
    });
  }

  /** Why a mission takes no proposals now (null: it does). */
  private closed(record: MissionRecord): string | null {
    if (record.state === 'pending' || record.state === 'refused') return 'mission_not_found';
    if (isEnded(record.state)) return `mission ${record.state}`;
    return null;
  }
}
