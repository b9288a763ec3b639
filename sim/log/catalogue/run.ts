import { Type, type TObject } from '@sinclair/typebox';
import { count, fields, micros, text } from './fields.ts';

/** What was run, and the background load on resources (jobs that are not any agent's work). */
export const RUN_EVENTS = {
  'run.started': fields(
    { scenario: text, profile: text, clock_origin: Type.String({ pattern: '^\\d\\d:\\d\\d$' }), seed: count },
    'what was run, and the wall-clock time of day at t=0',
  ),
  'job.arrive': fields({ resource: text, job: text }, 'a background job arrives at a resource'),
  'job.start': fields({ job: text, waited_us: micros }, 'a background job starts service'),
  'job.done': fields({ job: text, sojourn_us: micros }, 'a background job finishes'),
  'job.reject': fields({ job: text, reason: text }, 'a background job is refused (queue full)'),
} satisfies Record<string, TObject>;
