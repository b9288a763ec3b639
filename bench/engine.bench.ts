/**
 * Engine throughput on the classic "hold model": a fixed number of pending
 * events; each event, when it runs, schedules one successor an exponential
 * delay (mean 1 s) later, so the future-event set keeps a constant size while
 * the clock advances. It goes through `Simulation` (schedule, slot
 * bookkeeping, handler call), not just the queue, because that is what models
 * pay for. Only the events inside the timed segments count; the warm-up lets
 * the initial schedule mix into steady state and lets V8 optimise.
 *
 * The workload's own cost (a uniform draw and a logarithm per event) is part
 * of the headline rate. After each timed segment as many draws are timed
 * alone (from a separate stream, so the simulation sees the same delays as
 * without them), right away so that both see the same machine load; they are
 * reported as `draw_ns` per event and `engine_events_per_s`, the rate with
 * that cost taken out, so that engine changes can be judged apart from the
 * workload.
 *
 * `events_per_cpu_s` divides by the process's CPU time instead of wall
 * time: on a quiet machine the two agree; on a shared one the wall-clock
 * rate also counts the time other processes had the core. Its lowest and
 * highest segment are printed beside it (`_low`, `_high`), so that a median
 * near the target is read with the spread it came from.
 */
import { BinaryHeap } from '../sim/engine/binary-heap.ts';
import type { FutureEventSet } from '../sim/engine/future-event-set.ts';
import { RadixQueue } from '../sim/engine/radix-queue.ts';
import { Simulation } from '../sim/engine/simulation.ts';
import { randomStream } from '../sim/engine/random.ts';
import { collectGarbage, median, nowNs, rssMb, type Benchmark, type BenchResult } from './benchmark.ts';

const MEAN_DELAY_US = 1_000_000;
/** Timed segments per benchmark; the reported rate is their median. */
const SEGMENTS = 3;

interface HoldConfig {
  pending: number;
  warmupEvents: number;
  /** Events per timed segment. */
  segmentEvents: number;
  /** The future-event set under test. */
  queue: () => FutureEventSet;
}

function holdModel({ pending, warmupEvents, segmentEvents, queue }: HoldConfig): BenchResult {
  collectGarbage();
  const sim = new Simulation(queue());
  const rng = randomStream(1, `bench/engine/hold/${pending}`);
  let remaining = 0;
  // An exponential delay rounded to integer microseconds (1 - u is in (0, 1], so
  // the log is finite). floor(x + 0.5) rather than Math.round, which V8 does not
  // inline: both round half up, but a draw costs about 17 ns instead of 35.
  const delay = (): number => Math.floor(-Math.log(1 - rng()) * MEAN_DELAY_US + 0.5);
  const hold = (): void => {
    sim.schedule(delay(), hold);
    if (--remaining === 0) sim.stop();
  };
  for (let i = 0; i < pending; i++) sim.schedule(delay(), hold);

  remaining = warmupEvents;
  sim.run();
  // The same draws without the engine (same code, so V8 treats it the same).
  const drawRng = randomStream(1, `bench/engine/draws/${pending}`);
  const drawDelay = (): number => Math.floor(-Math.log(1 - drawRng()) * MEAN_DELAY_US + 0.5);
  let sink = 0;
  for (let i = 0; i < warmupEvents; i++) sink += drawDelay();

  const rates: number[] = [];
  const cpuRates: number[] = [];
  const engineRates: number[] = [];
  const drawNs: number[] = [];
  let events = 0;
  let wallNs = 0;
  for (let segment = 0; segment < SEGMENTS; segment++) {
    remaining = segmentEvents;
    const before = sim.executed;
    const cpuStart = process.cpuUsage();
    const start = nowNs();
    sim.run();
    const elapsed = nowNs() - start;
    const cpu = process.cpuUsage(cpuStart);
    const done = sim.executed - before;
    if (done !== segmentEvents || sim.pending !== pending) {
      throw new Error(`hold model drifted: ran ${done} of ${segmentEvents}, ${sim.pending} pending`);
    }
    const drawStart = nowNs();
    for (let i = 0; i < segmentEvents; i++) sink += drawDelay();
    const drawElapsed = nowNs() - drawStart;
    rates.push(done / (elapsed / 1e9));
    cpuRates.push(done / ((cpu.user + cpu.system) / 1e6));
    engineRates.push(done / ((elapsed - drawElapsed) / 1e9));
    drawNs.push(drawElapsed / done);
    events += done;
    wallNs += elapsed;
  }
  if (sink < 0) throw new Error('unreachable: delays are non-negative');
  return {
    events_per_s: Math.round(median(rates)),
    events_per_cpu_s: Math.round(median(cpuRates)),
    // The segments' spread: this machine's speed moves by a third between runs, and within one.
    events_per_cpu_s_low: Math.round(Math.min(...cpuRates)),
    events_per_cpu_s_high: Math.round(Math.max(...cpuRates)),
    draw_ns: Math.round(median(drawNs) * 10) / 10,
    engine_events_per_s: Math.round(median(engineRates)),
    events,
    pending,
    wall_s: Math.round(wallNs / 1e6) / 1e3,
    rss_mb: rssMb(),
  };
}

const radix = (): FutureEventSet => new RadixQueue();
const heap = (): FutureEventSet => new BinaryHeap();

// The binary-heap runs come last: once `Simulation.run` has seen two queue
// classes, V8 optimises it for both, which costs whichever runs after a little.
export const benchmarks: Benchmark[] = [
  {
    name: 'engine.hold.1k',
    description: 'Simulation hold model, 1,000 pending events, exponential(1 s) increments',
    target: '>= 10M events/s',
    run: () => holdModel({ pending: 1_000, warmupEvents: 1_000_000, segmentEvents: 2_000_000, queue: radix }),
  },
  {
    name: 'engine.hold.100k',
    description: 'Simulation hold model, 100,000 pending events',
    run: () => holdModel({ pending: 100_000, warmupEvents: 1_000_000, segmentEvents: 1_000_000, queue: radix }),
  },
  {
    name: 'engine.hold.1M',
    description: 'Simulation hold model, 1,000,000 pending events',
    target: '>= 2M events/s',
    run: () => holdModel({ pending: 1_000_000, warmupEvents: 3_000_000, segmentEvents: 1_000_000, queue: radix }),
  },
  {
    name: 'engine.hold.heap.1k',
    description: 'the 1k hold model on the plain binary heap instead of the radix queue',
    run: () => holdModel({ pending: 1_000, warmupEvents: 1_000_000, segmentEvents: 2_000_000, queue: heap }),
  },
  {
    name: 'engine.hold.heap.100k',
    description: 'the 100k hold model on the plain binary heap',
    run: () => holdModel({ pending: 100_000, warmupEvents: 1_000_000, segmentEvents: 1_000_000, queue: heap }),
  },
  {
    name: 'engine.hold.heap.1M',
    description: 'the 1M hold model on the plain binary heap',
    run: () => holdModel({ pending: 1_000_000, warmupEvents: 3_000_000, segmentEvents: 1_000_000, queue: heap }),
  },
];
