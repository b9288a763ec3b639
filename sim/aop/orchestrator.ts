import type { OrchestrationDef, PlanBDef } from '../scenario/orchestration-schema.ts';
import type { PersonChannel } from '../protocol/person-channel.ts';
import { AopAgent } from './aop-agent.ts';
import type { AauthChain } from './aauth-chain.ts';
import type { GecLink } from './gec-link.ts';
import type { DeskInbox, Fault, OrchestratorInbox } from './ports.ts';

/**
 * The orchestrator of an AOP mission (seed 003): it opens the mission
 * (under plain chaining by proposing it to its Person Server first),
 * assigns the top-level sub-goals of the plan it wrote when the desk says
 * they are ready, and evaluates a re-plan as the last agent before a
 * person, from its own SACR and the mission EOD the GEC endorsed. Under
 * chaining it improvises when a sub-goal meets a fault: any Plan B it
 * knows, unchecked. It holds only what it wrote and what it was sent.
 */
export class Orchestrator extends AopAgent implements OrchestratorInbox {
  /** Every Plan B the plan declares. */
  private readonly planBs: readonly PlanBDef[];

  constructor(
    private readonly def: Readonly<OrchestrationDef>,
    link: GecLink,
    desk: DeskInbox,
    /** Chaining under a Person Server: its client of that PS. */
    private readonly aauth: AauthChain | undefined,
  ) {
    // It assigns the plan's top tier itself.
    super(
      def.orchestrator.id,
      null,
      0,
      def.sub_goals.filter((goal) => goal.parent === undefined),
      link,
      desk,
    );
    this.planBs = [...(def.eod.plan_b ?? []), ...def.sub_goals.flatMap((g) => g.eod.plan_b ?? [])];
  }

  /** Plain AAuth: the mission is proposed to the PS first (the mandate as the approved scope); then it opens. */
  open(principal: PersonChannel): void {
    const submit = () => this.desk.missionSubmitted({ eod: this.def.eod, terms: this.terms() });
    // The approved mission is what its sub-agents' delegations will name; the orchestrator itself asks for no token.
    if (this.aauth) this.aauth.openMission(this.id, principal, this.def.eod.outcome, this.def.mandate.scope, submit);
    else submit();
  }

  private terms() {
    const orchestrator = this.def.orchestrator;
    return {
      scope: this.def.mandate.scope,
      can_decompose: orchestrator.can_decompose ?? true,
      max_spawn_depth: orchestrator.max_spawn_depth ?? 1,
      hub_only: orchestrator.hub_only ?? true,
      replan_authority: orchestrator.replan_authority ?? 'BOUNDED',
    };
  }

  /** Plain chaining: the orchestrator falls back on any Plan B it knows, unchecked; with none, the sub-goal fails. */
  improvise(subGoalId: string, fault: Fault): void {
    const planB = this.planBs.find((p) => p.replaces === subGoalId);
    if (!planB) {
      this.desk.abandoned(subGoalId, fault.kind === 'at_risk' ? (fault.reason ?? 'at risk') : null);
      return;
    }
    // No party holds the reviewed SPO's hash under chaining: only the oracle can tell a hijacked one, when it runs.
    this.link.send(() => this.desk.planBChosen(subGoalId, planB.id));
  }
}
