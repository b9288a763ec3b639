/**
 * Runs one scenario in a fresh process and prints one JSON line with its
 * figures, so that each benchmark's peak memory is its own.
 *   node dist/bench-scenario-child.js <scenario.yaml | protocol:N[:duration]> <out-dir> [path=value ...]
 * (or from the sources: node --import tsx bench/scenario-child.ts ...)
 *
 * Besides the wall-clock rate it reports the run's own CPU time (user +
 * system, scenario loading and process start-up excluded) and the peak of
 * the V8 heap in use, sampled after each of the run's 100 progress slices.
 * For profiling: BENCH_HEAP_SNAPSHOT=<fraction> writes a heap snapshot
 * (after a full collection) into the working directory once that fraction
 * of the horizon is simulated; run node with --expose-gc for the collection.
 */
import { createHash } from 'node:crypto';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { runScenario } from '../sim/run.ts';
import { loadScenario, type LoadedScenario } from '../sim/scenario/load.ts';
import { protocolLoadScenario } from './protocol-load.ts';

const [target = '', outDir = '', ...overrides] = process.argv.slice(2);

function load(): LoadedScenario {
  if (target.startsWith('protocol:')) {
    const [agents = '', duration] = target.slice('protocol:'.length).split(':');
    const spec = protocolLoadScenario(Number(agents), duration);
    return { file: target, sha256: createHash('sha256').update(JSON.stringify(spec)).digest('hex'), overrides: [], spec };
  }
  return loadScenario(target, overrides);
}

const loaded = load();
let peakHeap = 0;
const snapshotAt = process.env.BENCH_HEAP_SNAPSHOT === undefined ? undefined : Number(process.env.BENCH_HEAP_SNAPSHOT);
let snapshotTaken = false;
const sampleHeap = (fraction: number): void => {
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  if (snapshotAt !== undefined && !snapshotTaken && fraction >= snapshotAt) {
    snapshotTaken = true;
    (globalThis as { gc?: () => void }).gc?.();
    process.stderr.write(`heap snapshot: ${writeHeapSnapshot()}\n`);
  }
};
const cpuBefore = process.cpuUsage();
const started = process.hrtime.bigint();
const manifest = runScenario(loaded, { outDir, onProgress: sampleHeap });
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
const cpuS = (cpu.user + cpu.system) / 1e6;
process.stdout.write(
  `${JSON.stringify({
    events: manifest.events,
    wall_s: wallS,
    events_per_s: manifest.events / wallS,
    cpu_s: cpuS,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    peak_heap_mb: peakHeap / 2 ** 20,
  })}\n`,
);
