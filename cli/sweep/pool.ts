import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunReply, RunRequest } from './worker.ts';

/**
 * The worker's script: ./worker.ts as built into dist/ by scripts/build.mjs
 * (from the sources or from dist/, this file's URL is its source's, see
 * the build). The CLI rebuilds dist/ before it runs when a source changed;
 * vitest's global set-up does the same before the tests.
 */
export const SWEEP_WORKER_SCRIPT = new URL('../../dist/sweep-worker.js', import.meta.url);

export interface PoolCallbacks {
  onDone(reply: Extract<RunReply, { ok: true }>): void;
}

export class RunFailedError extends Error {
  override name = 'RunFailedError';
}

/** A run refused what the user gave (e.g. its scenario's limits.events): one line naming the run, exit 2 (cli/exit.ts). */
export class RunBadInputError extends Error {
  override name = 'RunBadInputError';
}

/**
 * Runs requests on `size` worker threads, one run per worker at a time,
 * handing out the next request as each finishes. Each run writes its own
 * folder, so the results do not depend on how many workers there are or
 * which finishes first. The first failure stops the pool.
 *
 * The workers start as soon as the pool is made, not when `run` is
 * called: a worker takes a fraction of a second to start (loading the
 * simulator), and the caller can plan and validate the sweep meanwhile.
 * A pool runs one batch of requests; `run` stops its workers when the
 * batch is done.
 */
export class RunPool {
  private readonly workers: Worker[] = [];
  private stopped = false;
  // A worker that fails before `run` is called (e.g. cannot load) is reported by `run`.
  private early: Error | undefined;

  constructor(size: number) {
    const count = Number.isSafeInteger(size) && size > 0 ? size : 1;
    if (!existsSync(SWEEP_WORKER_SCRIPT)) {
      this.early = new RunFailedError(`the sweep worker ${fileURLToPath(SWEEP_WORKER_SCRIPT)} is not built: run \`npm run build\``);
      return;
    }
    for (let i = 0; i < count; i++) {
      const worker = new Worker(SWEEP_WORKER_SCRIPT);
      worker.once('error', (error) => (this.early ??= error));
      this.workers.push(worker);
    }
  }

  async run(requests: readonly RunRequest[], callbacks: PoolCallbacks): Promise<void> {
    let next = 0;
    let active = 0;
    return new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        if (this.stopped) return;
        void this.stop();
        reject(error);
      };
      const feed = (worker: Worker) => {
        if (this.stopped) return;
        const request = requests[next++];
        if (request === undefined) {
          if (active === 0) void this.stop().then(() => resolve());
          return;
        }
        active++;
        worker.postMessage(request);
      };
      if (this.early) {
        fail(this.early);
        return;
      }
      if (requests.length === 0) {
        void this.stop().then(() => resolve());
        return;
      }
      // A message posted before the worker's listener is attached waits in
      // its queue, so each worker gets its first request right away.
      for (const worker of this.workers) {
        worker.on('message', (reply: RunReply) => {
          active--;
          if (!reply.ok) {
            const request = requests.find((candidate) => candidate.index === reply.index);
            const Failure = reply.badInput ? RunBadInputError : RunFailedError;
            fail(new Failure(`run ${request?.outDir ?? reply.index} failed: ${reply.error}`));
            return;
          }
          callbacks.onDone(reply);
          feed(worker);
        });
        worker.on('error', (error) => fail(error));
        worker.on('exit', (code) => {
          if (!this.stopped && code !== 0) fail(new RunFailedError(`a sweep worker exited with code ${code}`));
        });
      }
      for (const worker of this.workers) feed(worker);
    });
  }

  /** Terminates every worker; runs in flight leave only hidden staging folders behind. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
