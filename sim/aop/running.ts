import type { EventHandle } from '../engine/simulation.ts';
import type { EndorsedEod } from './eod.ts';
import type { SacrRecord } from './sacr.ts';
import type { SpawnError } from './gec-checks.ts';
import type { SubGoalDef } from '../scenario/orchestration-schema.ts';

/** What the GEC holds for one sub-goal while it runs. */
export interface Running {
  def: SubGoalDef;
  sacr?: SacrRecord;
  eod?: EndorsedEod;
  eodRevision: number;
  assignmentId: string | null;
  sessionId?: string;
  work?: EventHandle;
  /** Work left when a fault stopped it (µs). */
  remainingUs: number;
  /** A fault stopped its work (at_risk) or closed its session (failure). */
  halted: boolean;
  failed: boolean;
  /** A re-planning evaluation or escalation is under way. */
  replanning: boolean;
  /** Chaining under a PS: the GEC check this leaf's spawn broke, settled when its work asks for its fields. */
  violation?: { label: string; code: SpawnError };
}
