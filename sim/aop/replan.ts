import type { EndorsedEod, EndorsedPlanB } from './eod.ts';
import type { ReplanAuthority } from '../scenario/orchestration-schema.ts';

/** One orchestrating agent above an at-risk sub-goal: its authority and its own EOD. */
export interface ReplanHolder {
  agent: string;
  /** The sub-goal it holds (null: the orchestrator, holding the mission EOD). */
  sub_goal_id: string | null;
  authority: ReplanAuthority;
  eod: EndorsedEod;
}

export type EvaluationOutcome = 'PLAN_B' | 'ESCALATED_TO_PARENT' | 'ESCALATED_TO_HEM';

export interface ReplanStep {
  holder: ReplanHolder;
  outcome: EvaluationOutcome;
  planB?: EndorsedPlanB;
  /** The Plan B conditions the trigger satisfied. */
  conditionsMet?: string[];
}

/**
 * Who re-plans when a sub-goal is at risk or failed (seed 003 sections 3.4
 * and 10): each orchestrating agent from the nearest up evaluates, each
 * when the GEC's request reaches it (gec-replanning.ts asks them in turn;
 * each agent answers with this, from its own SACR and EOD, aop-agent.ts).
 * NONE passes it up. BOUNDED activates a Plan B of its own EOD that names
 * this sub-goal and lists the trigger among its activation conditions.
 * AUTONOMOUS may activate any Plan B of its EOD for this sub-goal. Past the
 * orchestrator (`last`: nobody above the holder), re-planning is escalated
 * to the human (HEM).
 */
export function evaluateHolder(holder: ReplanHolder, subGoalId: string, reason: string, last: boolean): ReplanStep {
  const candidates = holder.eod.planB.filter((p) => p.def.replaces === subGoalId);
  const bounded = candidates.find((p) => p.def.conditions.includes(reason));
  const chosen = holder.authority === 'BOUNDED' ? bounded : holder.authority === 'AUTONOMOUS' ? (bounded ?? candidates[0]) : undefined;
  if (chosen) return { holder, outcome: 'PLAN_B', planB: chosen, conditionsMet: chosen.def.conditions.filter((c) => c === reason) };
  return { holder, outcome: last ? 'ESCALATED_TO_HEM' : 'ESCALATED_TO_PARENT' };
}
