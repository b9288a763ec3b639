import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analysis } from '../analysis/database.ts';
import { ingestAnalysis } from '../analysis/ingest.ts';
import { viewDefinitions } from '../analysis/queries.ts';
import { discoverRuns } from '../analysis/run-folders.ts';
import { RunPool } from '../cli/sweep/pool.ts';
import { sweepRunColumns } from '../sim/sweep/run-columns.ts';
import { loadScenario, type LoadedScenario } from '../sim/scenario/load.ts';
import { parseGridAxis, planSweep } from '../sim/sweep/plan.ts';
import { describeSweep, writeSweepFile } from '../sim/sweep/sweep-file.ts';
import { median, nowNs, rssMb, type Benchmark, type BenchResult } from './benchmark.ts';

const SCENARIO = new URL('../scenarios/token-lifetime-sizing.yaml', import.meta.url).pathname;
const MM1 = new URL('../scenarios/mm1.yaml', import.meta.url).pathname;
const GRID = ['tokens.auth_ttl=1m,5m,15m,1h', 'topology.resources[ledger].revocation.mode=none,push,introspect,cache'];

/** Runs a sweep of the sizing scenario on `workers` threads; returns its wall time and size. */
async function sweep(
  out: string,
  seeds: number,
  workers: number,
  { scenario = SCENARIO, grid = GRID, overrides = [] }: { scenario?: string; grid?: string[]; overrides?: string[] } = {},
): Promise<{ wall_s: number; cpu_s: number; runs: number; events: number }> {
  const axes = grid.map(parseGridAxis);
  const seedList = Array.from({ length: seeds }, (_, i) => i + 1);
  const plan = planSweep(axes, seedList, overrides);
  const base = loadScenario(scenario);
  mkdirSync(out, { recursive: true });
  writeSweepFile(out, describeSweep(base, axes, seedList, overrides, plan.length));
  // As the sweep command does before it runs anything: each design loaded (and validated) once.
  const designs = new Map<string, LoadedScenario>();
  for (const run of plan) if (!designs.has(run.design)) designs.set(run.design, loadScenario(scenario, run.overrides));
  let events = 0;
  const started = nowNs();
  // The whole process: every thread's CPU (the workers', V8's helper threads' and the main thread's).
  const cpu = process.cpuUsage();
  await new RunPool(workers).run(
    plan.map((run) => ({
      index: run.index,
      scenario: designs.get(run.design) as LoadedScenario,
      seed: run.seed,
      outDir: join(out, run.id),
      columns: sweepRunColumns(run),
    })),
    { onDone: (reply) => (events += reply.events) },
  );
  const used = process.cpuUsage(cpu);
  return { wall_s: (nowNs() - started) / 1e9, cpu_s: (used.user + used.system) / 1e6, runs: plan.length, events };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'missionbench-bench-'));
}

export const benchmarks: Benchmark[] = [
  {
    name: 'analysis.ingest+queries',
    description:
      "a 192-run sweep (~2M events): ingest into Parquet + DuckDB (the runs' own Parquet files taken in), then the default metric queries and the architect query; then the same ingest hashing every log (a copied sweep), and parsing every log",
    target: 'ingest >= 2M events/s; analysis in minutes with bounded memory',
    async run(): Promise<BenchResult> {
      const dir = scratch();
      try {
        const out = join(dir, 'sweep');
        const made = await sweep(out, 12, 2);
        const input = discoverRuns(out);
        const rssBefore = rssMb();
        const ingest = await ingestAnalysis(input, viewDefinitions(), { memoryLimit: '1GB' });
        const rssAfterIngest = rssMb();
        const started = nowNs();
        const analysis = await Analysis.open(out);
        try {
          for (const name of ['revocation_window', 'load', 'replications']) await analysis.query(name);
          await analysis.query('architect', { max_p99_stop_s: 60, max_ps_rps: 0.2 });
        } finally {
          analysis.close();
        }
        const querySeconds = (nowNs() - started) / 1e9;
        // The same runs copied from elsewhere (new files: no stat matches log-files.json), so every log is hashed to
        // check its Parquet files, and each Parquet file is checked by its SHA-256. (Deleting log-files.json instead
        // would leave nothing to check the Parquet files against: every run parsed, docs/audit-evidence.md.)
        const copy = join(dir, 'copied');
        cpSync(out, copy, { recursive: true });
        rmSync(join(copy, 'analysis'), { recursive: true, force: true });
        const hashed = await ingestAnalysis(discoverRuns(copy), viewDefinitions(), { memoryLimit: '1GB' });
        if (hashed.from_parquet !== made.runs)
          throw new Error(`the copied sweep took ${hashed.from_parquet} of ${made.runs} runs' Parquet files: not the hashed path`);
        // The same runs without their Parquet files: every log parsed by DuckDB
        // (what a log from elsewhere, or a run made without the sweep, costs).
        for (const run of input.runs) for (const file of [run.events_parquet, run.truth_parquet]) if (file !== null) rmSync(file);
        const parsed = await ingestAnalysis(discoverRuns(out), viewDefinitions(), { memoryLimit: '1GB' });
        return {
          events_per_s: Math.round(ingest.events / ingest.seconds),
          events: ingest.events,
          runs: made.runs,
          runs_from_parquet: ingest.from_parquet,
          ingest_wall_s: Math.round(ingest.seconds * 100) / 100,
          logs_hashed: ingest.logs_hashed,
          hashed_events_per_s: Math.round(hashed.events / hashed.seconds),
          parsed_events_per_s: Math.round(parsed.events / parsed.seconds),
          parsed_ingest_wall_s: Math.round(parsed.seconds * 100) / 100,
          queries_wall_s: Math.round(querySeconds * 100) / 100,
          rss_growth_mb: Math.round((Math.max(rssAfterIngest, rssMb()) - rssBefore) * 10) / 10,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'sweep.workers',
    // mm1 runs of one simulated day (about 170k events, a second or so each), so a
    // worker's start-up (loading the bundled simulator, then a first run
    // in cold code) is small against the work it does.
    description:
      "sweep throughput: the same 16-run mm1 sweep (1 simulated day each) with 1 and with 2 worker threads, in the order 1 2 2 1 1 2 2 1 (this machine's speed drifts by minutes; each adjacent pair gives one ratio)",
    target: '>= 1.8x speed-up from 1 to 2 workers',
    async run(): Promise<BenchResult> {
      const times: Record<number, number[]> = { 1: [], 2: [] };
      const cpu: Record<number, number[]> = { 1: [], 2: [] };
      const ratios: number[] = [];
      let events = 0;
      const once = async (workers: number): Promise<number> => {
        const dir = scratch();
        try {
          const result = await sweep(join(dir, 'sweep'), 8, workers, {
            scenario: MM1,
            grid: ['topology.resources[server].queue.servers=1,2'],
            overrides: ['duration=1d'],
          });
          times[workers]?.push(result.wall_s);
          cpu[workers]?.push(result.cpu_s);
          events = result.events;
          return result.wall_s;
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      };
      for (let round = 0; round < 2; round++) {
        // 1 2 2 1: a drift in the machine's speed during the round weighs on both sides alike.
        const a = await once(1);
        const b = await once(2);
        const c = await once(2);
        const d = await once(1);
        ratios.push((a + d) / (b + c));
      }
      const one = median(times[1] as number[]);
      const two = median(times[2] as number[]);
      return {
        events_per_s: Math.round(events / two),
        runs: 16,
        wall_s_1_worker: Math.round(one * 100) / 100,
        wall_s_2_workers: Math.round(two * 100) / 100,
        speedup: Math.round((one / two) * 100) / 100,
        // The two rounds' own ratios: how far the machine's drift moves the figure.
        speedup_round_1: Math.round((ratios[0] as number) * 100) / 100,
        speedup_round_2: Math.round((ratios[1] as number) * 100) / 100,
        // Cores busy on average (CPU seconds over wall seconds). One worker keeps more than one core busy: V8's
        // collector and compiler threads work beside it, on the core a second worker then needs. On 2 cores the
        // speed-up cannot pass 2 / cores_1_worker.
        cores_1_worker: Math.round((median(cpu[1] as number[]) / one) * 100) / 100,
        cores_2_workers: Math.round((median(cpu[2] as number[]) / two) * 100) / 100,
      };
    },
  },
];
