import type { PersonChannel } from '../protocol/person-channel.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { GEC } from './gec.ts';
import { deriveXpid } from './ids.ts';
import type { OrchestrationTally } from './metrics.ts';
import type { HemResolution } from '../scenario/orchestration-schema.ts';

/**
 * REPLAN_ESCALATED (ALE-053) to a person through HEM, and their resolution
 * (ALE-054) after a human latency: the one place an AOP mission waits for
 * a person (an approval gate, or a re-plan the orchestrator may not do
 * alone). A MISSION_ABORT aborts the mission; any other resolution resumes it.
 */
export class HemEscalation {
  private count = 0;

  constructor(
    private readonly ctx: ActorContext,
    private readonly missionId: string,
    /** The people escalations can go to, as HEM reaches them. */
    private readonly people: ReadonlyMap<string, PersonChannel>,
    private readonly tally: OrchestrationTally,
    /** Who the person's approval is asked for (the orchestrator). */
    private readonly requester: string,
    private readonly mission: { isClosed: () => boolean; abort: () => void },
  ) {}

  escalate(id: string, reason: string, personId: string, resolution: HemResolution, resume: (resolution: HemResolution) => void): void {
    const hemId = `hem-${++this.count}`;
    const person = this.people.get(personId) as PersonChannel;
    const resolverXpid = deriveXpid('root', `person:${personId}`);
    const asked = this.ctx.sim.now;
    this.tally.escalations++;
    this.tally.personInterruptions++;
    this.ctx.record('aop.replan_escalated', this.missionId, GEC, {
      ale: 'ALE-053',
      mission_id: this.missionId,
      sub_goal_id: id,
      escalation_reason: reason,
      hem_escalation_id: hemId,
      escalated_to_xpid: resolverXpid,
    });
    person.requestApproval(
      this.requester,
      () => {
        if (this.mission.isClosed()) return;
        this.tally.personWaitUs += this.ctx.sim.now - asked;
        this.ctx.record('aop.replan_hem_resolved', this.missionId, `person:${personId}`, {
          ale: 'ALE-054',
          mission_id: this.missionId,
          hem_escalation_id: hemId,
          resolution_outcome: resolution,
          resolver_xpid: resolverXpid,
        });
        if (resolution === 'MISSION_ABORT') this.mission.abort();
        else resume(resolution);
      },
      `re-plan ${id}: ${reason}`,
    );
  }
}
