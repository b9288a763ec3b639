import { parentPort } from 'node:worker_threads';
import { isBadInput } from '../../../cli/exit.ts';
import { runScenario } from '../../../sim/run.ts';
import { loadScenario } from '../../../sim/scenario/load.ts';

/**
 * One fuzz case, on a worker thread so that the test can stop a case that
 * hangs (a synchronous loop cannot be interrupted on the thread it runs on):
 * `validate` and `run` of the file, as the CLI does them. Replies with the
 * exit code each would have (0 ran, 2 refused as bad input) or, for anything
 * else, the error's stack.
 */
export interface FuzzCase {
  file: string;
  outDir: string;
  /** The run's own --set: a short horizon and a low event limit. */
  runOverrides: string[];
}

export type FuzzReply = { ok: true; validate: 0 | 2; run: 0 | 2 } | { ok: false; step: 'validate' | 'run'; error: string };

function exitCode(step: () => void): 0 | 2 {
  try {
    step();
    return 0;
  } catch (error) {
    if (isBadInput(error)) return 2;
    throw error;
  }
}

parentPort?.on('message', (request: FuzzCase) => {
  let reply: FuzzReply;
  let step: 'validate' | 'run' = 'validate';
  try {
    const validate = exitCode(() => loadScenario(request.file));
    step = 'run';
    const run = exitCode(() => runScenario(loadScenario(request.file, request.runOverrides), { outDir: request.outDir }));
    reply = { ok: true, validate, run };
  } catch (error) {
    reply = { ok: false, step, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort?.postMessage(reply);
});
