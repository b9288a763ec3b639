import { parseDistribution } from '../engine/distribution.ts';
import { parseDuration } from '../engine/duration.ts';
import type { WorkloadDef } from '../scenario/schema.ts';
import type { WorldContext } from './context.ts';
import type { QueuedResource } from './queued-resource.ts';

/** Starts an open arrival stream of anonymous jobs into a resource. */
export function startArrivals(ctx: WorldContext, stream: WorkloadDef, target: QueuedResource): void {
  const interarrival = parseDistribution(stream.interarrival, 'duration');
  target.addArrivalStream(interarrival);
  const rng = ctx.stream(`workload:${stream.id}`);
  let next = 0;
  const arrive = (): void => {
    target.submit({ id: `${stream.id}#${next++}`, source: stream.id });
    ctx.sim.schedule(interarrival.sample(rng), arrive);
  };
  const start = stream.start === undefined ? 0 : parseDuration(stream.start);
  ctx.sim.schedule(start + interarrival.sample(rng), arrive);
}
