import { setFlagsFromString } from 'node:v8';
import { boundHeapGrowth } from './heap-growth.ts';

/**
 * The V8 flags every missionbench process runs with. Set at run time (no
 * launcher re-executes node), by each module whose code depends on them,
 * before that code runs: sim/authority/cedar.ts, the validators' code cache
 * (sim/validator-code-cache.ts) and a run (sim/run.ts). Once per thread;
 * V8's flags are process-wide, and a worker thread sets the same values again.
 *
 * `--no-turbo-inline-js-wasm-calls`: Node 20's V8 (11.3) stops the process
 * ("Fatal error in , line 0 / unreachable code", in
 * Deoptimizer::DoComputeBuiltinContinuation) when an optimized function has
 * inlined a call into a wasm function that returns a reference (externref)
 * and is deoptimized while that call is under way: its deoptimizer can only
 * rebuild that frame for numeric returns. Cedar's wasm-bindgen exports take
 * and return externrefs, and its wasm calls back into JavaScript during
 * every request, which can invalidate the caller's optimized code. Long
 * processes that asked Cedar often crashed now and then, depending on which
 * objects' shapes had settled before the caller was optimized (2026-12-06).
 * test/sim/authority/js-wasm-inlining.test.ts makes the crash happen with a
 * 49-byte module. Cost: a Cedar request takes about 40 us; the generic
 * JS-to-wasm wrapper adds tens of nanoseconds.
 *
 * `--heap-growing-percent` (sim/heap-growth.ts, unless node was given its
 * own): a long run's peak memory.
 *
 * Why all of them are set wherever a code cache is made or read: V8 keys a
 * code cache on a hash of all its flags, so a cache made in a process
 * without them is refused in one with them (the validators then compile
 * from their text, about 50-130 ms more per command). The build makes the
 * caches with these flags, and every process reads them with these flags,
 * whichever module loads first. A node started with flags of its own
 * (`npm run bench`'s `--expose-gc`, a `--heap-growing-percent` in
 * NODE_OPTIONS) has caches refused, and is only slower for it.
 */
let set = false;

export function setV8Flags(): void {
  // Once per thread: every run calls this, and each flag write makes V8 hash its flags again.
  if (set) return;
  set = true;
  setFlagsFromString('--no-turbo-inline-js-wasm-calls');
  boundHeapGrowth();
}
