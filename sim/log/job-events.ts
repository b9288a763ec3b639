import type { EventFields } from './catalogue.ts';

/**
 * The background-job events (catalogue/run.ts) with their fields as
 * arguments instead of a field object: an M/M/1 run logs three of them per
 * customer, and the log writer writes these lines straight from the
 * arguments (no field object, no walk over its members). Each records
 * exactly what `emit(t, type, null, actor, jobFields...)` records: the
 * same line, byte for byte.
 */
export interface JobEventSink {
  /** `job.arrive` by the job's source. */
  jobArrived(t: number, source: string, resource: string, job: string): void;
  /** `job.start` by the resource. */
  jobStarted(t: number, resource: string, job: string, waitedUs: number): void;
  /** `job.done` by the resource. */
  jobFinished(t: number, resource: string, job: string, sojournUs: number): void;
}

/** The job events' field objects, as emit takes them (named once, checked against the catalogue). */
export const jobFields = {
  arrived: (resource: string, job: string): EventFields<'job.arrive'> => ({ resource, job }),
  started: (job: string, waitedUs: number): EventFields<'job.start'> => ({ job, waited_us: waitedUs }),
  finished: (job: string, sojournUs: number): EventFields<'job.done'> => ({ job, sojourn_us: sojournUs }),
};
