import { AttackLedger, type AttackOutcome } from './attack-ledger.ts';
import type { StandingPlans } from './eod.ts';
import { GEC } from './gec.ts';
import type { SpawnError } from './gec-checks.ts';
import { sha256Canonical } from './ids.ts';
import type { OrchestrationTally } from './metrics.ts';
import type { PlanBDef } from '../scenario/orchestration-schema.ts';

/**
 * The oracle's side of an orchestration: what became of each attack (and
 * of each planned sub-goal a GEC check fails), and how many violations
 * took effect. The roles write to it as things happen; nothing they decide
 * reads it back (only the run's summary does). It may look at what no
 * party can: the GEC's checks under chaining, the Standing Plan Objects as
 * they are now.
 */
export class AttackOracle {
  private readonly ledger = new AttackLedger();
  /** The attack label of each tampered Plan B. */
  private readonly tamperedBy = new Map<string, string>();
  /** Chaining: the GEC check a leaf's spawn broke, settled when its work starts (under a PS: its auth tokens granted). */
  private readonly leafViolations = new Map<string, { label: string; code: SpawnError }>();
  /** Chaining: gated sub-goals assigned without their approver, not yet gone ahead. */
  private readonly gatesUnasked = new Set<string>();
  /** The SHA-256 of each Plan B's Standing Plan Object as it was reviewed (the scenario's). */
  private readonly reviewed = new Map<string, string>();

  constructor(
    private readonly tally: OrchestrationTally,
    private readonly standingPlans: StandingPlans,
    /** Every Plan B the plan declares, as reviewed. */
    planBs: readonly PlanBDef[],
    /** Chaining: the authority model of the Person Server (undefined: none, or AOP). */
    private readonly psModel: string | undefined,
  ) {
    for (const planB of planBs) this.reviewed.set(planB.id, sha256Canonical(planB.spo));
  }

  expect(label: string): void {
    this.ledger.expect(label);
  }

  /** A Plan B an attack alters or redirects. */
  tampers(planBId: string, label: string): void {
    this.tamperedBy.set(planBId, label);
  }

  /** A rogue spawn the PS had not decided (down or deferring) when the orchestration closed: sent, never decided. */
  unanswered(label: string, why: string): void {
    this.ledger.unanswered(label, why);
  }

  /** A scripted attack whose time came with no orchestration open: it did not run. */
  noTarget(label: string, why: string): void {
    this.ledger.noTarget(label, why);
  }

  refused(label: string, by: string, code: string): void {
    this.ledger.refused(label, by, code);
  }

  tookEffect(label: string, code: string, visible: 'log' | 'oracle'): void {
    this.ledger.tookEffect(label, code, visible);
  }

  /** A spawn that breaks a GEC check took effect: the summary's count and the attack's record. */
  spawnTookEffect(label: string, code: SpawnError | 'accepted', visible: 'log' | 'oracle' = this.visibility(code)): void {
    if (code !== 'accepted') this.tally.executedViolation(code);
    this.ledger.tookEffect(label, code, visible);
  }

  /**
   * Whether a spawn that broke `code` and still took effect shows in the log:
   * only a PS whose grants are logged (envelope) lets a reader check the
   * grant's scope and delegation bound; the plan, the EODs and SACRs of
   * plain chaining are in no log.
   */
  private visibility(code: SpawnError | 'accepted'): 'log' | 'oracle' {
    return this.psModel === 'envelope' && (code === 'SCOPE_NARROWING_VIOLATION' || code === 'SPAWN_DEPTH_EXCEEDED') ? 'log' : 'oracle';
  }

  /** A leaf spawned (under a PS: minted) though a GEC check fails it: settled when its work starts. */
  leafMinted(subGoalId: string, label: string, code: SpawnError): void {
    this.leafViolations.set(subGoalId, { label, code });
  }

  /**
   * Chaining: a sub-goal behind an approval gate was assigned though amounts
   * it is gated on are above the gate, and nobody asked the approver.
   * Settled when the sub-goal goes ahead (a leaf's work starts, a decomposed
   * one's session opens): a gated sub-goal the PS refuses never bypassed it.
   */
  gateUnasked(subGoalId: string): void {
    this.gatesUnasked.add(subGoalId);
  }

  /** A leaf's work starts (under a PS: its auth tokens were granted): its spawn violation and a gate it skipped took effect. */
  workStarted(subGoalId: string): void {
    const violation = this.leafViolations.get(subGoalId);
    if (violation) this.spawnTookEffect(violation.label, violation.code, 'oracle');
    this.wentAhead(subGoalId);
  }

  /** A decomposed sub-goal's session opened: its children will be assigned. */
  decompositionStarted(subGoalId: string): void {
    this.wentAhead(subGoalId);
  }

  private wentAhead(subGoalId: string): void {
    if (this.gatesUnasked.delete(subGoalId)) this.tally.gatesBypassed++;
  }

  /** The PS refused an auth token the leaf's work needs: its violation was refused. */
  accessRefused(subGoalId: string, by: string, reason: string): void {
    const violation = this.leafViolations.get(subGoalId);
    if (violation) this.ledger.refused(violation.label, by, reason);
  }

  /** The GEC refused a Plan B's SPO (`code`): the attack that altered it, if any, was refused. */
  spoRefused(planBId: string, code: string): void {
    const label = this.tamperedBy.get(planBId);
    if (label !== undefined) this.ledger.refused(label, GEC, code);
  }

  /**
   * A sub-agent starts work on a Plan B: if the Standing Plan Object it runs
   * is not the reviewed one (altered, or its reference redirected out of the
   * governed namespace), the hijack took effect; only the oracle can tell
   * under chaining. Counted here, where the Plan B runs, not where the
   * orchestrator chose it: a choice that arrives after the sub-goal closed
   * runs nothing (GecReplanning.runPlanB). Under AOP the GEC checked the
   * hash just before, so a Plan B that runs there is always the reviewed one.
   */
  planBRunning(planBId: string): void {
    if (this.standingPlans.governed(planBId) && this.standingPlans.hash(planBId) === this.reviewed.get(planBId)) return;
    this.tally.hijackedPlanB++;
    const label = this.tamperedBy.get(planBId);
    if (label !== undefined) this.ledger.tookEffect(label, 'HIJACKED_PLAN_B', 'oracle');
  }

  list(): AttackOutcome[] {
    return this.ledger.list();
  }
}
