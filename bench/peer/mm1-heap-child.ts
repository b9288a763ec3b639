/**
 * The plain-heap M/M/1 (mm1-heap.ts) as the peer benchmark's child process:
 *
 *   node dist/bench-peer-heap.js CUSTOMERS   (built by scripts/build.mjs;
 *   from the sources: node --import tsx bench/peer/mm1-heap-child.ts ...)
 *
 * prints one JSON line (CPU and wall seconds of a second run, after a
 * warm-up run of the same size).
 */
import { mm1Heap } from './mm1-heap.ts';

const customers = Number(process.argv[2]);
// Measured warm: a short run would time V8's compiler more than the model.
mm1Heap(customers, 2);
const cpu = process.cpuUsage();
const wall = process.hrtime.bigint();
const result = mm1Heap(customers);
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ ...result, cpu_s: (used.user + used.system) / 1e6, wall_s: Number(process.hrtime.bigint() - wall) / 1e9 })}\n`);
