import { setFlagsFromString } from 'node:v8';

/**
 * Turns off TurboFan's inlining of calls from JavaScript into WebAssembly,
 * for the whole process, before the first Cedar request is made.
 *
 * Why: Node 20's V8 (11.3) stops the process ("Fatal error in , line 0 /
 * unreachable code", in Deoptimizer::DoComputeBuiltinContinuation) when an
 * optimized function has inlined a call into a wasm function that returns
 * a reference (externref) and is deoptimized while that call is under way.
 * The deoptimizer only knows how to rebuild the frame for numeric returns.
 * Cedar's wasm-bindgen exports take and return externrefs, and its wasm
 * calls back into JavaScript (the bindings) during every request, and that
 * JavaScript can invalidate the optimized caller's code. So a long process
 * that asks Cedar often crashed now and then, at random: a CI test worker,
 * one scenario run in 200 or none in 2,000, depending on which objects'
 * shapes had settled before TurboFan compiled the caller (2026-12-06).
 * test/sim/authority/js-wasm-inlining.test.ts reproduces the crash with a
 * 49-byte module in one call and shows this switch prevents it.
 *
 * Cost: without the inlining, each Cedar call goes through V8's generic
 * JS-to-wasm wrapper, a few tens of nanoseconds against the microseconds a
 * request takes inside Cedar. Idempotent; the flag is process-wide (worker
 * threads share it).
 */
export function stopInliningJsToWasmCalls(): void {
  setFlagsFromString('--no-turbo-inline-js-wasm-calls');
}
