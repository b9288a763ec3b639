import type { SubGoalDef } from '../scenario/orchestration-schema.ts';
import type { EndorsedEod } from './eod.ts';
import type { GecLink } from './gec-link.ts';
import type { AgentInbox, DeskInbox } from './ports.ts';
import { evaluateHolder, type ReplanStep } from './replan.ts';
import type { SacrRecord } from './sacr.ts';
import { subGoalSpawnRequest } from './spawn-requests.ts';

/**
 * What every agent of an AOP mission is to the GEC, the orchestrator and a
 * sub-agent alike: it holds the SACR and the EOD the GEC sent it, assigns
 * the sub-goals it decomposes into when told they are ready (a spawn
 * request, one GEC round trip), and evaluates a re-plan below it from that
 * SACR and EOD alone.
 */
export abstract class AopAgent implements AgentInbox {
  private sacr: SacrRecord | undefined;
  private eod: EndorsedEod | undefined;
  private readonly children: ReadonlyMap<string, SubGoalDef>;

  constructor(
    readonly id: string,
    /** The sub-goal it holds (null: the orchestrator, holding the mission). */
    private readonly holds: string | null,
    /** Its tier: 0 for the orchestrator, one more per sub-goal above its own. */
    private readonly tier: number,
    /** The sub-goals it assigns. */
    children: readonly SubGoalDef[],
    protected readonly link: GecLink,
    protected readonly desk: DeskInbox,
  ) {
    this.children = new Map(children.map((child) => [child.id, child]));
  }

  assignReady(subGoalId: string): void {
    const request = subGoalSpawnRequest(this.children.get(subGoalId) as SubGoalDef, this.id);
    this.link.send(() => this.desk.spawnRequested(request, this.tier));
  }

  sacrIssued(sacr: SacrRecord): void {
    this.sacr = sacr;
  }

  sacrRevoked(): void {
    this.sacr = undefined;
  }

  eodEndorsed(eod: EndorsedEod): void {
    this.eod = eod;
  }

  evaluateReplan(subGoalId: string, reason: string, last: boolean): ReplanStep {
    const holder = { agent: this.id, sub_goal_id: this.holds, authority: this.sacr?.replan_authority ?? 'NONE', eod: this.eod as EndorsedEod };
    return evaluateHolder(holder, subGoalId, reason, last);
  }
}
