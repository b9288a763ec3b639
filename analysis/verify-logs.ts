import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { VerifyInputError, verifyLog, type VerifyResult } from '../sim/log/verify.ts';
import type { VerifyReply, VerifyRequest } from './verify-worker.ts';

/**
 * The worker's script: ./verify-worker.ts as built into dist/ by
 * scripts/build.mjs (from the sources or from dist/, this file's URL is its
 * source's, see the build). The CLI rebuilds dist/ before it runs when a
 * source changed; vitest's global set-up does the same before the tests.
 */
export const VERIFY_WORKER_SCRIPT = new URL('../dist/verify-worker.js', import.meta.url);

/** Threads that verify logs unless told: one per core, at most four. */
export function defaultVerifyThreads(): number {
  return Math.min(availableParallelism(), 4);
}

/** One log's verdict, or what verify threw (a VerifyInputError when the log could not be checked at all). */
export type VerifyOutcome = { ok: true; result: VerifyResult } | { ok: false; error: Error };

/**
 * Verifies logs (run folders) in full on up to `threads` worker threads,
 * one log per worker at a time; with one thread, or one log, here, one
 * after another. A full verify is CPU-bound (about 2 us per event), so a
 * copied sweep's logs take every core rather than one. The outcomes come
 * back in the order of `targets`, whatever order they finish in. After an
 * error no later log is started (those outcomes stay undefined): earlier
 * ones still finish, so the caller can report the first error in order.
 * `onVerified` is called as each log is done. A worker that cannot start,
 * or dies, rejects.
 */
export async function verifyLogs(targets: readonly string[], threads: number, onVerified?: () => void): Promise<Array<VerifyOutcome | undefined>> {
  const outcomes: Array<VerifyOutcome | undefined> = new Array(targets.length).fill(undefined);
  const lanes = Math.min(Math.max(1, Math.floor(threads) || 1), targets.length);
  // Without a built worker (an install whose dist/ lacks it) the logs are verified here: slower, the same answers.
  if (lanes <= 1 || !existsSync(VERIFY_WORKER_SCRIPT)) {
    for (const [index, target] of targets.entries()) {
      const outcome = verifyHere(target);
      outcomes[index] = outcome;
      onVerified?.();
      if (!outcome.ok) break;
    }
    return outcomes;
  }
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolveAll, rejectAll) => {
      // Settled once: replies still arriving after a failure start nothing and report nothing.
      let settled = false;
      const resolve = () => {
        settled = true;
        resolveAll();
      };
      const reject = (error: unknown) => {
        settled = true;
        rejectAll(error);
      };
      let next = 0;
      // No log from here on is started: set by the first error.
      let stopAt = targets.length;
      let active = 0;
      const feed = (worker: Worker): void => {
        if (next >= stopAt) {
          if (active === 0) resolve();
          return;
        }
        active++;
        const request: VerifyRequest = { index: next, target: targets[next] as string };
        next++;
        worker.postMessage(request);
      };
      for (let i = 0; i < lanes; i++) {
        const worker = new Worker(VERIFY_WORKER_SCRIPT);
        workers.push(worker);
        worker.on('message', (reply: VerifyReply) => {
          if (settled) return;
          active--;
          outcomes[reply.index] = outcomeOf(reply);
          if (!reply.ok) stopAt = Math.min(stopAt, reply.index + 1);
          // A throw here would be uncaught (an event listener): it rejects, as it does on one thread.
          try {
            onVerified?.();
          } catch (error) {
            reject(error);
            return;
          }
          feed(worker);
        });
        worker.on('error', reject);
        // Terminated at the end (code 1) only after the promise has settled.
        worker.on('exit', (code) => reject(new Error(`a verify worker exited with code ${code}`)));
        feed(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return outcomes;
}

function verifyHere(target: string): VerifyOutcome {
  try {
    return { ok: true, result: verifyLog(target) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** A worker's reply as the outcome verify would have had here: its VerifyInputError rebuilt, a bug's stack kept. */
function outcomeOf(reply: VerifyReply): VerifyOutcome {
  if (reply.ok) return { ok: true, result: reply.result };
  if (reply.inputError) return { ok: false, error: new VerifyInputError(reply.message) };
  const error = Object.assign(new Error(reply.message), { name: reply.name, stack: reply.stack });
  if (reply.code !== undefined) Object.assign(error, { code: reply.code });
  return { ok: false, error };
}
