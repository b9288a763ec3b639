/**
 * Runs one scenario in a fresh process and prints one JSON line with its
 * figures, so that each benchmark's peak memory is its own.
 *   node dist/bench-scenario-child.js <scenario.yaml | protocol:N[:duration[:think]]> <out-dir> [path=value ...]
 * (or from the sources: node --import tsx bench/scenario-child.ts ...)
 *
 * Besides the wall-clock rate it reports the run's own CPU time (user +
 * system, scenario loading and process start-up excluded) and the peak of
 * the V8 heap in use, sampled after each of the run's 100 progress slices.
 * For a protocol load it also reports the steady state: CPU time and events
 * from the first progress slice at which every agent has started (the
 * load's start spread, bench/protocol-load.ts) to the horizon, the marginal
 * cost per event once the start-up of agents and most of V8's warm-up are
 * behind (bench/protocol-scaling.bench.ts says why both figures are shown).
 * On Linux it reports the main thread's CPU too (bench/cpu-time.ts): the
 * rest of cpu_s is V8's helper threads. BENCH_TRACE=1 adds `trace`:
 * [simulated fraction, events, CPU s, main thread CPU s] at each slice.
 * BENCH_ALLOCATIONS=all|survivors adds `allocated_bytes`: the bytes the run
 * allocated (all), or those no scavenge freed (survivors), estimated by V8's
 * sampling heap profiler (bench/allocation-profile.ts; it slows the run, so
 * its CPU figures are not the run's).
 * For profiling: BENCH_HEAP_SNAPSHOT=<fraction> writes a heap snapshot
 * (after a full collection) into the working directory once that fraction
 * of the horizon is simulated; run node with --expose-gc for the collection.
 */
import { createHash } from 'node:crypto';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';
import { parseDuration } from '../sim/engine/duration.ts';
import { runScenario } from '../sim/run.ts';
import { loadScenario, type LoadedScenario } from '../sim/scenario/load.ts';
import { type AllocationSampling, startAllocationSampling } from './allocation-profile.ts';
import { cpuAndSysSince, mainThreadCpuS, mainThreadCpuSince } from './cpu-time.ts';
import { PROTOCOL_START_SPREAD_S, protocolLoadScenario } from './protocol-load.ts';

const [target = '', outDir = '', ...overrides] = process.argv.slice(2);

function load(): LoadedScenario {
  if (target.startsWith('protocol:')) {
    const [agents = '', duration, think] = target.slice('protocol:'.length).split(':');
    const spec = protocolLoadScenario(Number(agents), duration, think);
    return { file: target, sha256: createHash('sha256').update(JSON.stringify(spec)).digest('hex'), overrides: [], spec };
  }
  return loadScenario(target, overrides);
}

const loaded = load();
const horizonS = parseDuration(loaded.spec.duration) / 1e6;
// The fraction of the horizon from which every agent of a protocol load has started.
const steadyFrom = target.startsWith('protocol:') && horizonS > PROTOCOL_START_SPREAD_S ? PROTOCOL_START_SPREAD_S / horizonS : undefined;
/** What the run had done at the end of one progress slice. */
interface Slice {
  events: number;
  cpu_s: number;
  sys_s: number;
  main_cpu_s: number | undefined;
}
let steadyStart: Slice | undefined;
let lastSlice: Slice = { events: 0, cpu_s: 0, sys_s: 0, main_cpu_s: 0 };
const trace: Array<[number, number, number, number | undefined]> | undefined = process.env.BENCH_TRACE === '1' ? [] : undefined;
let peakHeap = 0;
const snapshotAt = process.env.BENCH_HEAP_SNAPSHOT === undefined ? undefined : Number(process.env.BENCH_HEAP_SNAPSHOT);
let snapshotTaken = false;
const onProgress = (fraction: number, events: number): void => {
  lastSlice = { events, ...cpuAndSysSince(cpuBefore), main_cpu_s: mainThreadCpuSince(mainBefore) };
  if (steadyFrom !== undefined && steadyStart === undefined && fraction >= steadyFrom - 1e-9) steadyStart = lastSlice;
  trace?.push([fraction, events, lastSlice.cpu_s, lastSlice.main_cpu_s]);
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  if (snapshotAt !== undefined && !snapshotTaken && fraction >= snapshotAt) {
    snapshotTaken = true;
    (globalThis as { gc?: () => void }).gc?.();
    process.stderr.write(`heap snapshot: ${writeHeapSnapshot()}\n`);
  }
};
const allocations = process.env.BENCH_ALLOCATIONS as AllocationSampling | undefined;
if (allocations !== undefined && allocations !== 'all' && allocations !== 'survivors')
  throw new Error(`BENCH_ALLOCATIONS must be all or survivors, got ${allocations}`);
const sampling = allocations === undefined ? undefined : startAllocationSampling(allocations);
const cpuBefore = process.cpuUsage();
const mainBefore = mainThreadCpuS();
const started = process.hrtime.bigint();
const manifest = runScenario(loaded, { outDir, onProgress });
const allocatedBytes = sampling?.stop();
const wallS = Number(process.hrtime.bigint() - started) / 1e9;
const { cpu_s: cpuS, sys_s: sysS } = cpuAndSysSince(cpuBefore);
const mainCpuS = mainThreadCpuSince(mainBefore);
// The last slice, not the run's end: closing the files is not part of the steady state.
const difference = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined || b === undefined ? undefined : a - b);
const steady =
  steadyStart === undefined
    ? undefined
    : {
        from_s: PROTOCOL_START_SPREAD_S,
        events: lastSlice.events - steadyStart.events,
        cpu_s: lastSlice.cpu_s - steadyStart.cpu_s,
        sys_s: lastSlice.sys_s - steadyStart.sys_s,
        main_cpu_s: difference(lastSlice.main_cpu_s, steadyStart.main_cpu_s),
      };
process.stdout.write(
  `${JSON.stringify({
    events: manifest.events,
    wall_s: wallS,
    events_per_s: manifest.events / wallS,
    cpu_s: cpuS,
    sys_s: sysS,
    main_cpu_s: mainCpuS,
    max_rss_mb: process.resourceUsage().maxRSS / 1024,
    peak_heap_mb: peakHeap / 2 ** 20,
    steady,
    trace,
    allocated_bytes: allocatedBytes,
  })}\n`,
);
