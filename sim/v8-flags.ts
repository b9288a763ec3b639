import { setFlagsFromString } from 'node:v8';

/**
 * The V8 flags every missionbench process runs with. Set at run time (no
 * launcher re-executes node), by each module whose code depends on them
 * before that code runs: sim/authority/cedar.ts and the validators' code
 * cache (sim/validator-code-cache.ts). Idempotent and process-wide (worker
 * threads share them).
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
 * Why the code cache sets them too: V8 keys a code cache on a hash of all
 * its flags, so a cache made in a process without this flag is refused in
 * one with it (and the validators compile from their text, about 50-130 ms
 * more per command). The build makes the caches with the flags set, and a
 * command reads them with the flags set, whichever module loads first.
 */
export function setV8Flags(): void {
  setFlagsFromString('--no-turbo-inline-js-wasm-calls');
}
