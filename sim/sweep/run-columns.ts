import type { PlannedRun } from './plan.ts';

/**
 * The constant columns of a sweep run's events.parquet (its id and grid
 * values, in grid order) and truth.parquet (its id), exactly as `analyze`
 * names them for the sweep, so the files can be taken in as they are.
 */
export function sweepRunColumns(run: PlannedRun): { events: Array<[string, string]>; truth: Array<[string, string]> } {
  return { events: [['run_id', run.id], ...Object.entries(run.params)], truth: [['run_id', run.id]] };
}
