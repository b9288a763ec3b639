import { AopWorld } from '../aop/aop-world.ts';
import type { ChainingPersonServer } from '../aop/aauth-chain.ts';
import { aauthScope, soNamespace } from '../aop/so-scope.ts';
import type { OrchestrationSummary } from '../aop/metrics.ts';
import type { AuthorityMetrics } from '../truth/metrics.ts';
import type { AlignmentSummary } from '../alignment/metrics.ts';
import type { MissionOutcome } from '../truth/mission-outcomes.ts';
import type { AttackOutcome } from '../aop/attack-ledger.ts';
import { DEFAULT_CLOCK_ORIGIN, ProtocolWorld } from './protocol-world.ts';
import type { Scenario } from '../scenario/schema.ts';
import { compileScenario } from '../scenario/compile.ts';
import { Person } from '../protocol/person.ts';
import { operationIndex, trueIntent } from '../authority/renderings.ts';
import type { TrueIntent } from '../truth/oracle.ts';
import { startArrivals } from './arrivals.ts';
import type { WorldContext } from './context.ts';
import { QueuedResource, type QueueSummary } from './queued-resource.ts';

/** What a run reports about itself on stdout and in its manifest. */
export interface WorldSummary {
  queues: QueueSummary[];
  missions: MissionOutcome[];
  /** An `orchestration:` scenario's AOP mission (seed 003). */
  orchestration?: OrchestrationSummary;
  /** Containment metrics from the oracle's records (docs/truth-records.md defines each). */
  authority: AuthorityMetrics;
  /** A `monitor:` scenario's runtime alignment figures (detection delay, harm before detection, gate load). */
  alignment?: AlignmentSummary;
  /** Seed 002: what became of each runtime of another class presenting a mission (the oracle's ledger; docs/mission-class.md). */
  class_attacks?: AttackOutcome[];
}

/** Each root agent's true intent, as the scenario states it: what the oracle knows and no party does. */
export function trueIntents(spec: Scenario): Map<string, TrueIntent> {
  const ops = operationIndex(spec.topology.resources);
  const intents = new Map<string, TrueIntent>();
  for (const agent of spec.agents ?? []) {
    if (!agent.mission) continue;
    const budget = agent.mission.intent?.budget;
    // An agent with a concurrent mission meant both: the union of their scopes (both are given as scopes).
    const concurrent = agent.concurrent_mission?.scope;
    const mission = concurrent && agent.mission.scope ? { ...agent.mission, scope: [...agent.mission.scope, ...concurrent] } : agent.mission;
    intents.set(agent.id, { ...trueIntent(mission, ops), ...(budget ? { budget } : {}) });
  }
  // An orchestration's principal meant its mandate: under plain chaining the orchestrator's AAuth mission is the
  // mandate scope, so its intent is derived from that scope, as for any mission without a declared intent.
  const orchestration = spec.orchestration;
  if (orchestration?.person_server !== undefined) {
    const scope = aauthScope(orchestration.mandate.scope, soNamespace(orchestration));
    intents.set(orchestration.orchestrator.id, trueIntent({ description: orchestration.eod.outcome, scope }, ops));
  }
  return intents;
}

/** The simulated world a scenario describes, wired onto the engine. */
export class World {
  readonly resources = new Map<string, QueuedResource>();
  readonly protocol: ProtocolWorld;
  readonly orchestration: AopWorld | undefined;

  constructor(
    private readonly ctx: WorldContext,
    spec: Scenario,
  ) {
    // The first event says what was run and how to read its clock, so a log stands on its own.
    ctx.record('run.started', null, 'missionbench', {
      scenario: spec.name,
      profile: spec.profile ?? 'aauth-r01',
      clock_origin: spec.clock_origin ?? DEFAULT_CLOCK_ORIGIN,
      seed: ctx.seed,
    });
    const compiled = compileScenario(spec);
    for (const resource of compiled.resources.values()) this.resources.set(resource.def.id, new QueuedResource(ctx, resource));
    for (const stream of compiled.workload) {
      // References were checked when the scenario was loaded.
      startArrivals(ctx, stream, this.resources.get(stream.def.resource) as QueuedResource);
    }
    this.protocol = new ProtocolWorld(ctx, compiled, this.resources);
    // The AOP mission reaches the people through HEM: people of its own (their streams are derived by id, as the protocol world's are).
    this.orchestration = compiled.orchestration
      ? new AopWorld(
          ctx,
          compiled.orchestration,
          new Map([...compiled.people.values()].map((person) => [person.def.id, new Person(ctx, person, spec.clock_origin)])),
          this.chainingPs(spec),
        )
      : undefined;
  }

  /** The Person Server an orchestration's plain-chaining side runs under (`orchestration.person_server`), as its agents reach it. */
  private chainingPs(spec: Scenario): ChainingPersonServer | undefined {
    const ps = this.protocol.personServers.get(spec.orchestration?.person_server ?? '');
    if (!ps) return undefined;
    const wire = { missionBinding: this.protocol.profile.missionBinding, personTokens: this.protocol.profile.personTokens };
    return { actor: ps.actor, authority: { model: ps.desk.model.name, narrowing: ps.desk.narrowing, depthCap: ps.desk.depthCap }, endpoints: ps, wire };
  }

  /** Closes the books at the horizon: session blocks over what each mission did since its last one. */
  finish(): void {
    for (const ps of this.protocol.personServers.values()) ps.sealAll();
    this.orchestration?.finish();
  }

  summary(): WorldSummary {
    const elapsed = this.ctx.sim.now;
    return {
      queues: [...this.resources.values()].map((resource) => resource.summary(elapsed)),
      missions: this.ctx.outcomes.summary(),
      ...(this.orchestration ? { orchestration: this.orchestration.summary() } : {}),
      authority: this.ctx.metrics.summary(),
      ...(this.protocol.monitor ? { alignment: this.protocol.alignmentSummary() } : {}),
      ...(this.protocol.classAttackOutcomes() ? { class_attacks: this.protocol.classAttackOutcomes() } : {}),
    };
  }
}
