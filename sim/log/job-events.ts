import type { EventFields } from './catalogue.ts';

/**
 * A background job as the log names it: the stream it came from and its
 * number in that stream, written `<source>#<number>`. The writer writes
 * the name from its two parts, so a run never builds the string (a
 * number-to-string and a concatenation per job, then a walk over its
 * characters in each of the job's three lines).
 */
export interface JobName {
  readonly source: string;
  readonly number: number;
}

/** The job's name as a string, as the log has it. */
export function jobId(job: JobName): string {
  return `${job.source}#${job.number}`;
}

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
  jobArrived(t: number, resource: string, job: JobName): void;
  /** `job.start` by the resource. */
  jobStarted(t: number, resource: string, job: JobName, waitedUs: number): void;
  /** `job.done` by the resource. */
  jobFinished(t: number, resource: string, job: JobName, sojournUs: number): void;
}

/** The job events' field objects, as emit takes them (named once, checked against the catalogue). */
export const jobFields = {
  arrived: (resource: string, job: JobName): EventFields<'job.arrive'> => ({ resource, job: jobId(job) }),
  started: (job: JobName, waitedUs: number): EventFields<'job.start'> => ({ job: jobId(job), waited_us: waitedUs }),
  finished: (job: JobName, sojournUs: number): EventFields<'job.done'> => ({ job: jobId(job), sojourn_us: sojournUs }),
};
