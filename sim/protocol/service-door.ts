import type { JobListener, Station } from '../engine/station.ts';
import type { CompiledPersonServer } from '../scenario/compile.ts';
import type { ActorContext } from '../context/actor-context.ts';

/**
 * A request as the door holds it: what serving it does, and how it is
 * answered 503. The token endpoints queue their requests as objects of
 * their own (one object per request, no closures).
 */
export interface DoorRequest {
  work(): void;
  unavailable(): void;
}

/**
 * A Person Server's front door: every request is served through its queue
 * (c servers, a service time), so token load shows up as delay; during one
 * of its outages, or when the queue is full, it answers 503 and the caller
 * retries later.
 */
export class ServiceDoor {
  private readonly station: Station<DoorRequest>;
  private readonly outages: ReadonlyArray<{ readonly from: number; readonly until: number }>;

  // One listener for every request: a fresh one per request cost a closure (and its naming) each.
  private readonly listener: JobListener<DoorRequest> = {
    finished: (request) => request.work(),
    // A full queue answers like an outage (503): callers retry later.
    rejected: (request) => {
      this.ctx.record('ps.overloaded', null, this.actor, {});
      request.unavailable();
    },
  };

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    ps: CompiledPersonServer,
  ) {
    this.station = ctx.station(ps.queue, actor);
    this.outages = ps.outages;
  }

  /** Whether the PS is inside one of its outages now. */
  get down(): boolean {
    if (this.outages.length === 0) return false;
    const now = this.ctx.sim.now;
    return this.outages.some((outage) => now >= outage.from && now < outage.until);
  }

  /** Serves `work` after queueing, or calls `unavailable` (503: down or full). */
  serve(work: () => void, unavailable: () => void): void {
    this.admit({ work, unavailable });
  }

  /** Serves a request after queueing, or answers it 503 (down or full). */
  admit(request: DoorRequest): void {
    if (this.down) {
      this.ctx.record('ps.unavailable', null, this.actor, { status: 503 });
      request.unavailable();
      return;
    }
    this.station.submit(request, this.listener);
  }
}
