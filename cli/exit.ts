import { formatProblem, ScenarioError } from '../sim/scenario/problems.ts';
import { QueryError } from '../analysis/queries.ts';
import { AnalysisInputError } from '../analysis/run-folders.ts';
import { EventLimitError } from '../sim/event-budget.ts';
import { OutputDirError } from '../sim/output-dir.ts';
import { RegenerateError } from '../sim/regenerate-logs.ts';
import { SweepSpecError } from '../sim/sweep/plan.ts';
import { EXIT_BAD_INPUT } from './exit-code.ts';
import { RunBadInputError } from './sweep/pool.ts';

export { EXIT_BAD_INPUT };

/** An error caused by what the user gave us, reported in one line per problem. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Prints errors the user can act on without a stack trace and exits 2;
 * anything else is a bug and is rethrown to show its stack.
 */
export function reportAndExit(error: unknown): never {
  if (error instanceof ScenarioError) {
    for (const problem of error.problems) process.stderr.write(`${formatProblem(problem)}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  if (isBadInput(error)) {
    process.stderr.write(`missionbench: ${error.message}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  throw error;
}

/**
 * Errors in what the user gave: flags, folders to analyse, queries and their
 * parameters, sweep grids, a scenario past its limits (a ScenarioError too),
 * and those raised by a sweep's run in its worker.
 */
export function isBadInput(error: unknown): error is Error {
  return (
    error instanceof ScenarioError ||
    error instanceof UsageError ||
    error instanceof OutputDirError ||
    error instanceof EventLimitError ||
    error instanceof RunBadInputError ||
    error instanceof AnalysisInputError ||
    error instanceof QueryError ||
    error instanceof SweepSpecError ||
    error instanceof RegenerateError
  );
}
