import type { Distribution } from '../engine/distribution.ts';
import type { JobListener, Station } from '../engine/station.ts';
import type { CompiledResource } from '../scenario/compile.ts';
import type { ResourceDef } from '../scenario/schema.ts';
import { mmcTheory, type MMcTheory } from '../queueing-theory.ts';
import { jobId, type JobName } from '../log/job-events.ts';
import type { WorldContext } from './context.ts';

/** A unit of work at a resource: the stream that sent it and its number in that stream (logged as `<source>#<number>`). */
export type Job = JobName;

/** The measured queueing behaviour of one resource over a run, in seconds. */
export interface QueueSummary {
  resource: string;
  servers: number;
  arrivals: number;
  completed: number;
  rejected: number;
  throughput_per_s: number;
  utilization: number;
  mean_wait_s: number;
  mean_sojourn_s: number;
  mean_in_system: number;
  /** Little's law: arrival rate of accepted jobs times mean sojourn; should equal mean_in_system. */
  littles_law_l: number;
  /** Closed-form M/M/c values when arrivals and service are both exponential and capacity is unbounded. */
  theory?: MMcTheory;
}

/** A resource's queue: a station whose every job is recorded in the audit log. */
export class QueuedResource {
  /** Shared by background jobs and, for protocol resources, agents' operations. */
  readonly station: Station<unknown>;
  readonly service: Distribution;
  private readonly arrivalMeans: Array<{ text: string; mean: number | undefined }> = [];
  readonly def: Readonly<ResourceDef>;

  constructor(
    private readonly ctx: WorldContext,
    compiled: CompiledResource,
  ) {
    this.def = compiled.def;
    this.service = compiled.queue.service;
    this.station = ctx.station(compiled.queue, `resource:${this.def.id}`);
  }

  /** Declares an arrival stream feeding this resource (for the closed-form comparison). */
  addArrivalStream(interarrival: Distribution): void {
    this.arrivalMeans.push({ text: interarrival.text, mean: interarrival.mean });
  }

  submit(job: Job): void {
    this.ctx.audit.jobArrived(this.ctx.sim.now, this.def.id, job);
    this.station.submit(job, this.jobEvents);
  }

  /**
   * Records what becomes of each job: one listener for every job, so that a job costs no closures. The job events go
   * straight to the audit sink's typed methods (no field object; ctx.record adds nothing to an event without a mission
   * that is not a token's answer).
   */
  private readonly jobEvents: JobListener<Job> = {
    started: (job, waited) => this.ctx.audit.jobStarted(this.ctx.sim.now, this.def.id, job, waited),
    finished: (job, sojourn) => this.ctx.audit.jobFinished(this.ctx.sim.now, this.def.id, job, sojourn),
    rejected: (job) => this.ctx.record('job.reject', null, this.def.id, { job: jobId(job), reason: 'queue full' }),
  };

  summary(elapsedUs: number): QueueSummary {
    this.station.accumulate();
    const stats = this.station.stats;
    const seconds = elapsedUs / 1e6;
    const accepted = stats.arrivals - stats.rejected;
    const meanSojourn = stats.completed > 0 ? stats.totalSojourn / stats.completed / 1e6 : 0;
    const started = stats.completed + this.station.busyServers;
    const summary: QueueSummary = {
      resource: this.def.id,
      servers: this.def.queue.servers,
      arrivals: stats.arrivals,
      completed: stats.completed,
      rejected: stats.rejected,
      throughput_per_s: stats.completed / seconds,
      utilization: stats.areaBusy / (elapsedUs * this.def.queue.servers),
      mean_wait_s: started > 0 ? stats.totalWait / started / 1e6 : 0,
      mean_sojourn_s: meanSojourn,
      mean_in_system: stats.areaInSystem / elapsedUs,
      littles_law_l: (accepted / seconds) * meanSojourn,
    };
    const theory = this.closedForm();
    if (theory) summary.theory = theory;
    return summary;
  }

  private closedForm(): MMcTheory | undefined {
    const exponential = (text: string) => text.startsWith('exp(');
    if (this.def.queue.capacity !== undefined || this.arrivalMeans.length === 0) return undefined;
    if (!exponential(this.service.text) || this.service.mean === undefined) return undefined;
    let arrivalRate = 0; // superposed Poisson streams are Poisson with the summed rate
    for (const stream of this.arrivalMeans) {
      if (!exponential(stream.text) || !stream.mean) return undefined;
      arrivalRate += 1e6 / stream.mean;
    }
    const serviceRate = 1e6 / this.service.mean;
    if (arrivalRate >= serviceRate * this.def.queue.servers) return undefined;
    return mmcTheory(arrivalRate, serviceRate, this.def.queue.servers);
  }
}
