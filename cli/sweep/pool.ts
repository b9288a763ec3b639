import { Worker } from 'node:worker_threads';
import type { RunReply, RunRequest } from './worker.ts';
import { currentSweepWorkerBundle, sweepWorkerScript } from './worker-bundle.ts';

export interface PoolCallbacks {
  onDone(reply: Extract<RunReply, { ok: true }>): void;
}

export class RunFailedError extends Error {
  override name = 'RunFailedError';
}

/**
 * Runs requests on `size` worker threads, one run per worker at a time,
 * handing out the next request as each finishes. Each run writes its own
 * folder, so the results do not depend on how many workers there are or
 * which finishes first. The first failure stops the pool.
 *
 * The workers start as soon as the pool is made, not when `run` is
 * called: a worker takes a fraction of a second to start (the simulator's
 * modules, bundled by worker-bundle.ts), and the caller can plan and
 * validate the sweep meanwhile. (When the bundle must be built first, they
 * start once it is, about a quarter of a second later.) A pool runs one batch of requests; `run`
 * stops its workers when the batch is done.
 */
export class RunPool {
  private readonly workers: Worker[] = [];
  private readonly started: Promise<void>;
  private stopped = false;
  // A worker that fails before `run` is called (e.g. cannot load) is reported by `run`.
  private early: Error | undefined;

  constructor(size: number) {
    const count = Number.isSafeInteger(size) && size > 0 ? size : 1;
    const start = (script: URL) => {
      if (this.stopped) return;
      for (let i = 0; i < count; i++) {
        const worker = new Worker(script);
        worker.once('error', (error) => (this.early ??= error));
        this.workers.push(worker);
      }
    };
    // A current bundle starts the workers right here, while the caller goes
    // on synchronously (validating the grid); otherwise once it is built.
    const bundle = currentSweepWorkerBundle();
    if (bundle !== undefined) start(bundle);
    this.started = bundle !== undefined ? Promise.resolve() : sweepWorkerScript().then(start);
  }

  async run(requests: readonly RunRequest[], callbacks: PoolCallbacks): Promise<void> {
    await this.started;
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
            fail(new RunFailedError(`run ${request?.outDir ?? reply.index} failed: ${reply.error}`));
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
    await this.started;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
