import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Plain JavaScript, evaluated in each worker: no TypeScript loader needed.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const chunk = Buffer.allocUnsafe(1 << 22);
parentPort.on('message', (path) => {
  try {
    const hash = createHash('sha256');
    const fd = openSync(path, 'r');
    try {
      for (let read = readSync(fd, chunk); read > 0; read = readSync(fd, chunk)) hash.update(chunk.subarray(0, read));
    } finally {
      closeSync(fd);
    }
    parentPort.postMessage({ ok: true, digest: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ ok: false, error: String(error && error.message || error) });
  }
});`;

/**
 * SHA-256 (hex) of each file, on worker threads: hashing runs at about
 * 1 GB/s per core, so checking a sweep's logs against their manifests uses
 * every core rather than one. A file that cannot be read gets null.
 */
export async function sha256Files(paths: readonly string[], threads = Math.min(availableParallelism(), 4)): Promise<Array<string | null>> {
  const digests: Array<string | null> = new Array(paths.length).fill(null);
  if (paths.length === 0) return digests;
  let next = 0;
  const lane = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true });
      let current = -1;
      const ask = () => {
        if (next >= paths.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        worker.postMessage(paths[current]);
      };
      worker.on('message', (reply: { ok: boolean; digest?: string }) => {
        digests[current] = reply.ok ? (reply.digest as string) : null;
        ask();
      });
      worker.on('error', reject);
      ask();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(threads, paths.length)) }, lane));
  return digests;
}
