import type { Scenario } from '../scenario/schema.ts';
import { startArrivals } from './arrivals.ts';
import type { WorldContext } from './context.ts';
import { QueuedResource, type QueueSummary } from './queued-resource.ts';

/** What a run reports about itself on stdout and in its manifest. */
export interface WorldSummary {
  queues: QueueSummary[];
}

/** The simulated world a scenario describes, wired onto the engine. */
export class World {
  readonly resources = new Map<string, QueuedResource>();

  constructor(
    private readonly ctx: WorldContext,
    spec: Scenario,
  ) {
    for (const def of spec.topology.resources) this.resources.set(def.id, new QueuedResource(ctx, def));
    for (const stream of spec.workload ?? []) {
      // References were checked when the scenario was loaded.
      startArrivals(ctx, stream, this.resources.get(stream.resource) as QueuedResource);
    }
  }

  summary(): WorldSummary {
    const elapsed = this.ctx.sim.now;
    return { queues: [...this.resources.values()].map((resource) => resource.summary(elapsed)) };
  }
}
