import type { Rng } from './random.ts';
import type { EventHandle, Simulation } from './simulation.ts';

/** Anything that draws a service time (integer microseconds) from a stream. */
export interface ServiceTimeSampler {
  sample(rng: Rng): number;
}

export interface StationConfig {
  /** Number of parallel servers (c >= 1). */
  servers: number;
  /** Most jobs the station holds, waiting plus in service (Kendall's K); undefined = unbounded. */
  capacity?: number | undefined;
  serviceTime: ServiceTimeSampler;
}

/** What a station tells about each job; every callback is optional. */
export interface JobListener<J> {
  started?(job: J, waited: number): void;
  finished?(job: J, sojourn: number): void;
  rejected?(job: J): void;
}

interface JobRecord<J> {
  job: J;
  listener: JobListener<J>;
  arrivedAt: number;
  serviceTime: ServiceTimeSampler;
  completion: EventHandle | undefined;
  /** Neighbours in the list of jobs in service (in the order they started); undefined at the ends or when not in service. */
  earlier: JobRecord<J> | undefined;
  later: JobRecord<J> | undefined;
}

/** Running totals from which the queueing measures are derived. */
export interface StationStats {
  arrivals: number;
  rejected: number;
  completed: number;
  withdrawn: number;
  totalWait: number;
  totalSojourn: number;
  /** Integral over time of jobs in the station (for Little's law). */
  areaInSystem: number;
  /** Integral over time of busy servers (for utilization). */
  areaBusy: number;
  since: number;
}

/**
 * A FIFO service station with c servers and an optional capacity: the
 * queueing primitive behind resources and Person Servers, so that load
 * shows up as delay. Service times are drawn when service starts, from the
 * station's own random stream.
 */
export class Station<J> {
  readonly stats: StationStats;
  private waiting: Array<JobRecord<J> | undefined> = [];
  private head = 0;
  /**
   * Jobs in service, oldest first, as a list linked through the records:
   * a Set here, emptied at nearly every completion of a lightly loaded
   * server, rebuilt its table each time (about 120 bytes of garbage a job).
   */
  private oldestInService: JobRecord<J> | undefined = undefined;
  private newestInService: JobRecord<J> | undefined = undefined;
  private inServiceCount = 0;
  private lastChange: number;

  constructor(
    private readonly sim: Simulation,
    private readonly config: StationConfig,
    private readonly rng: Rng,
  ) {
    if (!Number.isInteger(config.servers) || config.servers < 1) {
      throw new RangeError(`servers must be an integer >= 1, got ${config.servers}`);
    }
    this.lastChange = sim.now;
    this.stats = {
      arrivals: 0,
      rejected: 0,
      completed: 0,
      withdrawn: 0,
      totalWait: 0,
      totalSojourn: 0,
      areaInSystem: 0,
      areaBusy: 0,
      since: sim.now,
    };
  }

  get queueLength(): number {
    return this.waiting.length - this.head;
  }

  get busyServers(): number {
    return this.inServiceCount;
  }

  get inSystem(): number {
    return this.queueLength + this.busyServers;
  }

  /**
   * Offers a job; returns false (and tells the listener) when the station is
   * full. `serviceTime` replaces the station's own for this job (an operation
   * that takes longer than others at the same resource).
   */
  submit(job: J, listener: JobListener<J> = {}, serviceTime: ServiceTimeSampler = this.config.serviceTime): boolean {
    this.accumulate();
    this.stats.arrivals++;
    const capacity = this.config.capacity;
    if (capacity !== undefined && this.inSystem >= capacity) {
      this.stats.rejected++;
      listener.rejected?.(job);
      return false;
    }
    // Every field from the start (completion too): adding one later would change the object's shape on every job.
    const record: JobRecord<J> = { job, listener, arrivedAt: this.sim.now, serviceTime, completion: undefined, earlier: undefined, later: undefined };
    if (this.inServiceCount < this.config.servers) this.begin(record);
    else this.waiting.push(record);
    return true;
  }

  /**
   * Removes waiting jobs that match (recall before start). Returns them in
   * queue order; their listeners hear nothing more.
   */
  withdrawWaiting(matches: (job: J) => boolean): J[] {
    this.accumulate();
    const removed: J[] = [];
    const kept: Array<JobRecord<J>> = [];
    for (let i = this.head; i < this.waiting.length; i++) {
      const record = this.waiting[i] as JobRecord<J>;
      if (matches(record.job)) removed.push(record.job);
      else kept.push(record);
    }
    this.waiting = kept;
    this.head = 0;
    this.stats.withdrawn += removed.length;
    return removed;
  }

  /** Aborts jobs in service that match (recall any); frees their servers. */
  abortInService(matches: (job: J) => boolean): J[] {
    this.accumulate();
    const aborted: Array<JobRecord<J>> = [];
    for (let record = this.oldestInService; record !== undefined; record = record.later) if (matches(record.job)) aborted.push(record);
    for (const record of aborted) {
      if (record.completion !== undefined) this.sim.cancel(record.completion);
      this.leaveService(record);
      this.stats.withdrawn++;
    }
    for (let i = 0; i < aborted.length; i++) this.startNext();
    return aborted.map((record) => record.job);
  }

  /** Brings the time integrals up to now (call before reading stats). */
  accumulate(): void {
    const now = this.sim.now;
    const elapsed = now - this.lastChange;
    if (elapsed > 0) {
      this.stats.areaInSystem += elapsed * this.inSystem;
      this.stats.areaBusy += elapsed * this.inServiceCount;
      this.lastChange = now;
    }
  }

  private begin(record: JobRecord<J>): void {
    const waited = this.sim.now - record.arrivedAt;
    this.stats.totalWait += waited;
    this.enterService(record);
    record.listener.started?.(record.job, waited);
    const service = record.serviceTime.sample(this.rng);
    record.completion = this.sim.schedule(service, this.complete, record);
  }

  private readonly complete = (record: JobRecord<J>): void => {
    this.accumulate();
    this.leaveService(record);
    const sojourn = this.sim.now - record.arrivedAt;
    this.stats.completed++;
    this.stats.totalSojourn += sojourn;
    this.startNext();
    record.listener.finished?.(record.job, sojourn);
  };

  private enterService(record: JobRecord<J>): void {
    const newest = this.newestInService;
    record.earlier = newest;
    record.later = undefined;
    if (newest === undefined) this.oldestInService = record;
    else newest.later = record;
    this.newestInService = record;
    this.inServiceCount++;
  }

  private leaveService(record: JobRecord<J>): void {
    const { earlier, later } = record;
    if (earlier === undefined) this.oldestInService = later;
    else earlier.later = later;
    if (later === undefined) this.newestInService = earlier;
    else later.earlier = earlier;
    record.earlier = undefined;
    record.later = undefined;
    this.inServiceCount--;
  }

  private startNext(): void {
    if (this.head >= this.waiting.length) return;
    const next = this.waiting[this.head] as JobRecord<J>;
    this.waiting[this.head++] = undefined;
    // Compact now and then so a long queue's dead prefix does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    this.begin(next);
  }
}
