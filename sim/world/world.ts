import { AopWorld } from '../aop/aop-world.ts';
import type { OrchestrationSummary } from '../aop/metrics.ts';
import type { AuthorityMetrics } from '../truth/metrics.ts';
import type { AlignmentSummary } from '../alignment/metrics.ts';
import type { MissionOutcome } from '../truth/mission-outcomes.ts';
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
}

/** Each root agent's true intent, as the scenario states it: what the oracle knows and no party does. */
export function trueIntents(spec: Scenario): Map<string, TrueIntent> {
  const ops = operationIndex(spec.topology.resources);
  const intents = new Map<string, TrueIntent>();
  for (const agent of spec.agents ?? []) {
    if (!agent.mission) continue;
    const budget = agent.mission.intent?.budget;
    intents.set(agent.id, { ...trueIntent(agent.mission, ops), ...(budget ? { budget } : {}) });
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
    for (const def of spec.topology.resources) this.resources.set(def.id, new QueuedResource(ctx, def));
    for (const stream of spec.workload ?? []) {
      // References were checked when the scenario was loaded.
      startArrivals(ctx, stream, this.resources.get(stream.resource) as QueuedResource);
    }
    const compiled = compileScenario(spec);
    this.protocol = new ProtocolWorld(ctx, compiled, this.resources);
    // The AOP mission reaches the people through HEM: people of its own (their streams are derived by id, as the protocol world's are).
    this.orchestration = spec.orchestration ? new AopWorld(ctx, spec, new Map([...compiled.people.values()].map((person) => [person.def.id, new Person(ctx, person, spec.clock_origin)]))) : undefined;
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
    };
  }
}
