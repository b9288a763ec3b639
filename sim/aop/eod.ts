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
  const body = {
    eod_id,
    sub_goal_id: subGoalId,
    primary_outcome: def.outcome,
    fields: def.fields,
    plan_b: planB.map((p) => ({ id: p.def.id, replaces: p.def.replaces, conditions: p.def.conditions, spo_hash: p.spoHash })),
  };
  return { eod_id, eod_hash: sha256Canonical(body), sub_goal_id: subGoalId, fields: def.fields, planB };
}

/** The GEC's governed SO namespace: where a reviewed Standing Plan Object lives (seed 003 15.4 (2)). */
export const SPO_NAMESPACE = 'so://gec/spo/';

/**
 * The Standing Plan Objects a Plan B reference resolves to, as they are now
 * (an attacker may alter one, or redirect its reference out of the governed
 * namespace). Plan B activation resolves the reference and recomputes the
 * hash here.
 */
export class StandingPlans {
  private readonly current = new Map<string, Record<string, unknown>>();
  private readonly refs = new Map<string, string>();

  register(planB: PlanBDef): void {
    this.current.set(planB.id, planB.spo);
    this.refs.set(planB.id, `${SPO_NAMESPACE}${planB.id}`);
  }

  tamper(planBId: string, spo: Record<string, unknown>): void {
    this.current.set(planBId, spo);
  }

  /** The reference now resolves to `ref` (outside the namespace), holding `spo` (default: the same content). */
  substitute(planBId: string, ref: string, spo?: Record<string, unknown>): void {
    this.refs.set(planBId, ref);
    if (spo !== undefined) this.current.set(planBId, spo);
  }

  /** Where the Plan B's SPO reference resolves now. */
  ref(planBId: string): string {
    return this.refs.get(planBId) ?? `${SPO_NAMESPACE}${planBId}`;
  }

  /** CONF-AOP-SEC-11: does the reference resolve inside the GEC's governed SO namespace? */
  governed(planBId: string): boolean {
    return this.ref(planBId).startsWith(SPO_NAMESPACE);
  }

  hash(planBId: string): string {
    const spo = this.current.get(planBId);
    if (spo === undefined) throw new Error(`no Standing Plan Object for ${planBId}`);
    return sha256Canonical(spo);
  }
}
