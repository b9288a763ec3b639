import type { MISSION_OUTCOMES, SUB_GOAL_OUTCOMES } from './events.ts';
import type { MissionPlan } from './plan.ts';

export type SubGoalStatus =
  | 'PENDING'
  | 'ASSIGNING'
  | 'OPEN'
  | 'AT_RISK'
  | 'REPLANNING'
  | 'PLAN_B'
  | 'MATCHED'
  | 'PLAN_B_MATCHED'
  | 'PARTIAL'
  | 'UNMATCHED'
  | 'SKIPPED';
export type SubGoalOutcome = (typeof SUB_GOAL_OUTCOMES)[number];
export type MissionOutcome = (typeof MISSION_OUTCOMES)[number];

const TERMINAL: ReadonlySet<SubGoalStatus> = new Set(['MATCHED', 'PLAN_B_MATCHED', 'PARTIAL', 'UNMATCHED', 'SKIPPED']);
const ACHIEVED: ReadonlySet<SubGoalStatus> = new Set(['MATCHED', 'PLAN_B_MATCHED']);

export type Readiness = { ready: true } | { ready: false; skip?: string };

/**
 * The Mission Status SO: the live state of every sub-goal, written by the
 * GEC only (CONF-AOP-SEC-02), and what follows from it: which sub-goals may
 * be assigned now, which can never be, and how a decomposed sub-goal and
 * the mission come out.
 */
export class MissionStatus {
  private readonly states = new Map<string, SubGoalStatus>();
  private readonly opened = new Set<string>();

  constructor(private readonly plan: MissionPlan) {
    for (const id of plan.nodes.keys()) this.states.set(id, 'PENDING');
  }

  get(id: string): SubGoalStatus {
    return this.states.get(id) ?? 'PENDING';
  }

  set(id: string, status: SubGoalStatus): void {
    if (status === 'OPEN') this.opened.add(id);
    this.states.set(id, status);
  }

  isTerminal(id: string): boolean {
    return TERMINAL.has(this.get(id));
  }

  /**
   * A pending sub-goal is ready once the sub-goal it decomposes (if any) is
   * open and every dependency holds: SEQUENTIAL, the other closed achieved
   * (primary or Plan B); CONDITIONAL, closed GOAL_ACHIEVED on its primary
   * outcome; PARALLEL, the other has opened. A dependency that can no
   * longer hold makes it skipped.
   */
  readiness(id: string): Readiness {
    const node = this.plan.node(id);
    if (node.parent !== undefined) {
      if (this.isTerminal(node.parent)) return { ready: false, skip: `${node.parent} closed before it was assigned` };
      if (!this.opened.has(node.parent)) return { ready: false };
    }
    let waiting = false;
    for (const dep of node.dependsOn) {
      const other = this.get(dep.on);
      if (dep.type === 'PARALLEL') {
        if (this.opened.has(dep.on)) continue;
        if (this.isTerminal(dep.on)) return { ready: false, skip: `PARALLEL ${dep.on} never opened` };
      } else if (this.isTerminal(dep.on)) {
        const holds = dep.type === 'CONDITIONAL' ? other === 'MATCHED' : ACHIEVED.has(other);
        if (holds) continue;
        return { ready: false, skip: `${dep.type} ${dep.on} closed ${other}` };
      }
      waiting = true;
    }
    return waiting ? { ready: false } : { ready: true };
  }

  /**
   * A decomposed sub-goal closes when its children have: achieved if every
   * child was; PARTIAL if some were (or were PARTIAL themselves), listing
   * the ones that were not; else UNMATCHED. Seed 003 section 3.1 names
   * PARTIAL as a sub-goal EOD_OUTCOME in ALE-055 but does not define it;
   * docs/aop-draft-conformance.md lists this reading as the simulator's own.
   * A leaf is never PARTIAL: no partial work is modelled.
   */
  rollup(id: string): { outcome: 'MATCHED' } | { outcome: 'PARTIAL' | 'UNMATCHED'; unmatched: string[] } | undefined {
    const children = this.plan.node(id).children;
    if (children.length === 0 || !children.every((c) => this.isTerminal(c))) return undefined;
    const unmatched = children.filter((c) => !ACHIEVED.has(this.get(c)));
    if (unmatched.length === 0) return { outcome: 'MATCHED' };
    const someDone = children.some((c) => ACHIEVED.has(this.get(c)) || this.get(c) === 'PARTIAL');
    return { outcome: someDone ? 'PARTIAL' : 'UNMATCHED', unmatched };
  }

  allTerminal(): boolean {
    return [...this.plan.nodes.keys()].every((id) => this.isTerminal(id));
  }

  outcome(id: string): SubGoalOutcome {
    const status = this.get(id);
    return TERMINAL.has(status) ? (status as SubGoalOutcome) : 'NOT_STARTED';
  }

  outcomes(): Array<{ sub_goal_id: string; eod_outcome: SubGoalOutcome }> {
    return [...this.plan.nodes.keys()].map((id) => ({ sub_goal_id: id, eod_outcome: this.outcome(id) }));
  }

  overall(aborted: boolean): MissionOutcome {
    if (aborted) return 'ABORTED';
    const all = [...this.plan.nodes.keys()].map((id) => this.get(id));
    if (!all.every((s) => TERMINAL.has(s))) return 'INCOMPLETE';
    const achieved = all.filter((s) => ACHIEVED.has(s)).length;
    if (achieved === 0 && !all.includes('PARTIAL')) return 'UNMATCHED';
    if (achieved < all.length) return 'PARTIAL';
    return all.includes('PLAN_B_MATCHED') ? 'PLAN_B_MATCHED' : 'MATCHED';
  }
}
