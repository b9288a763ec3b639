/**
 * missionbench's side of the peer benchmark: the `mm1` scenario (arrivals
 * 1/s, mean service 600 ms: utilization 0.6, as the SimPy model's 0.6/1)
 * run for about CUSTOMERS customers, with its full hash-chained log written
 * to OUT_DIR (write), with the log only counted (`RunOptions.log = 'count'`),
 * or as a sweep runs it without --logs (sweep: the log's lines built and
 * hash-chained for its fingerprint but not written; events.parquet and
 * truth.parquet written).
 *
 *   node dist/bench-peer-mm1.js CUSTOMERS write|count|sweep OUT_DIR   (built by scripts/build.mjs;
 *   from the sources: node --import tsx bench/peer/missionbench-mm1.ts ...)
 *
 * prints one JSON line: customers (arrivals), events, CPU and wall seconds
 * of the run alone (start-up and loading excluded, as for SimPy), and of
 * the CPU seconds those the kernel spent (sys_s: writing the log).
 */
import { runScenario, type RunOptions } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';

const [customersArg = '', mode = '', outDir = ''] = process.argv.slice(2);
if (mode !== 'write' && mode !== 'count' && mode !== 'sweep') throw new Error(`mode must be write, count or sweep, got ${mode}`);
const scenario = new URL('../../scenarios/mm1.yaml', import.meta.url).pathname;
// One arrival per second on average: the horizon in seconds is the expected number of customers.
const loaded = loadScenario(scenario, [`duration=${Number(customersArg)}s`]);
const cpu = process.cpuUsage();
const wall = process.hrtime.bigint();
// A sweep run without --logs: its lines built and hash-chained but not written, its Parquet files written.
const options: RunOptions = mode === 'sweep' ? { outDir, log: 'hash', columns: { events: [['run', '0']], truth: [['run', '0']] } } : { outDir, log: mode };
const manifest = runScenario(loaded, options);
const used = process.cpuUsage(cpu);
const queue = manifest.summary.queues[0];
process.stdout.write(
  `${JSON.stringify({
    customers: queue?.arrivals ?? 0,
    events: manifest.events,
    mean_sojourn: queue?.mean_sojourn_s ?? 0,
    cpu_s: (used.user + used.system) / 1e6,
    sys_s: used.system / 1e6,
    wall_s: Number(process.hrtime.bigint() - wall) / 1e9,
  })}\n`,
);
