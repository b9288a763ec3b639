import type { CompiledWorkload } from '../scenario/compile.ts';
import type { WorldContext } from './context.ts';
import type { QueuedResource } from './queued-resource.ts';

/** Starts an open arrival stream of anonymous jobs into a resource. */
export function startArrivals(ctx: WorldContext, workload: CompiledWorkload, target: QueuedResource): void {
  const { def: stream, interarrival, startUs: start } = workload;
  target.addArrivalStream(interarrival);
  const rng = ctx.stream(`workload:${stream.id}`);
  let next = 0;
  const arrive = (): void => {
    target.submit({ source: stream.id, number: next++ });
    ctx.sim.schedule(interarrival.sample(rng), arrive);
  };
  ctx.sim.schedule(start + interarrival.sample(rng), arrive);
}
