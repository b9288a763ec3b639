import { sha256Canonical } from './ids.ts';
import type { EodDef, PlanBDef } from '../scenario/orchestration-schema.ts';

/** A Plan B as endorsed: with the SHA-256 of its Standing Plan Object at endorsement. */
export interface EndorsedPlanB {
  def: PlanBDef;
  spoHash: string;
}

/**
 * An Expected Outcome Declaration the GEC endorsed (IDP intake_endorsement).
 * The body stays with the GEC; the audit log carries only eod_id and
 * eod_hash (seed 003 section 16).
 */
export interface EndorsedEod {
  eod_id: string;
  eod_hash: string;
  sub_goal_id: string | null;
  fields: readonly string[];
  planB: readonly EndorsedPlanB[];
}

export function eodId(subGoalId: string | null, revision: number): string {
  return `eod:${subGoalId ?? 'mission'}:${revision}`;
}

export function endorseEod(def: EodDef, subGoalId: string | null, revision = 1): EndorsedEod {
  const planB = (def.plan_b ?? []).map((p) => ({ def: p, spoHash: sha256Canonical(p.spo) }));
  const eod_id = eodId(subGoalId, revision);
  const body = { eod_id, sub_goal_id: subGoalId, primary_outcome: def.outcome, fields: def.fields, plan_b: planB.map((p) => ({ id: p.def.id, replaces: p.def.replaces, conditions: p.def.conditions, spo_hash: p.spoHash })) };
  return { eod_id, eod_hash: sha256Canonical(body), sub_goal_id: subGoalId, fields: def.fields, planB };
}

/**
 * The SO namespace holding Standing Plan Objects, as they are now (an
 * attacker may alter one). Plan B activation recomputes the hash here.
 */
export class StandingPlans {
  private readonly current = new Map<string, Record<string, unknown>>();

  register(planB: PlanBDef): void {
    this.current.set(planB.id, planB.spo);
  }

  tamper(planBId: string, spo: Record<string, unknown>): void {
    this.current.set(planBId, spo);
  }

  hash(planBId: string): string {
    const spo = this.current.get(planBId);
    if (spo === undefined) throw new Error(`no Standing Plan Object for ${planBId}`);
    return sha256Canonical(spo);
  }
}
