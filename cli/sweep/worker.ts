import { parentPort } from 'node:worker_threads';
import { EventLimitError } from '../../sim/event-budget.ts';
import { OutputDirError } from '../../sim/output-dir.ts';
import { runScenario } from '../../sim/run.ts';
import { ScenarioError } from '../../sim/scenario/problems.ts';
import type { LoadedScenario } from '../../sim/scenario/load.ts';

/**
 * What the main thread asks a worker to run. The scenario comes already
 * loaded and validated (the main thread loads every design once, to report
 * bad input before running anything), so a worker never loads the YAML,
 * schema and validator modules nor compiles the schema: that was most of
 * a worker's start-up.
 */
export interface RunRequest {
  index: number;
  scenario: LoadedScenario;
  seed: number;
  outDir: string;
  /** Constant columns of the run's events.parquet (see sim/run.ts); undefined writes none. */
  columns?: { events: Array<[string, string]>; truth: Array<[string, string]> } | undefined;
  /** False: hash events.jsonl and truth.jsonl but write neither (the manifest is the same; sim/regenerate-logs.ts). Default: write them. */
  logs?: boolean | undefined;
}

/**
 * What a worker answers: the run's identity, or why it failed. `badInput`
 * marks a failure caused by what the user gave (the scenario past its
 * limits.events, an output folder it cannot write): its `error` is the
 * message alone, reported in one line with exit 2; anything else is a bug
 * and carries its stack.
 */
export type RunReply = { index: number; ok: true; events: number; fingerprint: string } | { index: number; ok: false; error: string; badInput: boolean };

/**
 * The bad-input errors a run can raise (cli/exit.ts isBadInput lists them
 * all; that module loads the analysis too, which a worker must not).
 */
function isRunBadInput(error: unknown): error is Error {
  return error instanceof EventLimitError || error instanceof OutputDirError || error instanceof ScenarioError;
}

// One run at a time: the main thread sends the next request only after the reply.
parentPort?.on('message', (request: RunRequest) => {
  let reply: RunReply;
  try {
    const manifest = runScenario(request.scenario, {
      seed: request.seed,
      outDir: request.outDir,
      columns: request.columns,
      log: request.logs === false ? 'hash' : 'write',
    });
    reply = { index: request.index, ok: true, events: manifest.events, fingerprint: manifest.fingerprint };
  } catch (error) {
    const badInput = isRunBadInput(error);
    // One line for bad input (a ScenarioError has a line per problem); a bug keeps its stack.
    const message = badInput ? error.message.replaceAll('\n', '; ') : error instanceof Error ? (error.stack ?? error.message) : String(error);
    reply = { index: request.index, ok: false, error: message, badInput };
  }
  parentPort?.postMessage(reply);
});
