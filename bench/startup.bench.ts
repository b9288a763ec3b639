/**
 * What a user waits for before a command does its work: the CLI as built
 * into dist/ (scripts/build.mjs) against the same sources run through tsx,
 * as every command ran before the build (the "before" of the architecture
 * issue's one-build item), and a query on an existing analysis against
 * plain Node opening DuckDB and running the same SQL (the floor).
 *
 * Each command runs in its own process, the variants interleaved round by
 * round so that both see the same machine load; figures are medians. Wall
 * and CPU (user + system, from /usr/bin/time when it is there) are both
 * printed: on a shared machine CPU seconds are the steadier of the two.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyTruthSelect } from '../analysis/event-columns.ts';
import { ANALYSIS_FOLDER, DATABASE_FILE } from '../analysis/ingested-record.ts';
import { namedQueries, viewDefinitions } from '../analysis/queries.ts';
import { sqlString } from '../analysis/sql-literal.ts';
import { BUILT_VALIDATORS_SWITCH } from '../sim/precompiled-validator.ts';
import { median, nowNs, type Benchmark, type BenchResult } from './benchmark.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'bin', 'missionbench.mjs');
/** The CLI from its TypeScript sources, as bin/missionbench.mjs ran it before the build. */
const TSX_CLI = ['--import', 'tsx', join(ROOT, 'cli', 'main.ts')];
const PEER_MM1_DIST = join(ROOT, 'dist', 'bench-peer-mm1.js');
const PEER_MM1_TSX = ['--import', 'tsx', join(ROOT, 'bench', 'peer', 'missionbench-mm1.ts')];
const PLAIN_DUCKDB = join(ROOT, 'bench', 'plain-duckdb.mjs');
const MM1 = join(ROOT, 'scenarios', 'mm1.yaml');
const SIZING = join(ROOT, 'scenarios', 'token-lifetime-sizing.yaml');
const TRAVEL = join(ROOT, 'scenarios', 'travel-booking.yaml');
const TIME = '/usr/bin/time';

interface Timed {
  wall_s: number;
  /** User + system CPU seconds of the process; undefined without /usr/bin/time. */
  cpu_s: number | undefined;
  stdout: string;
}

/** Runs `node ...args` to completion (with `env` when given); its wall time, CPU time and output. */
function timeNode(args: readonly string[], env?: NodeJS.ProcessEnv): Timed {
  const scratch = mkdtempSync(join(tmpdir(), 'missionbench-time-'));
  try {
    const report = join(scratch, 'time');
    const timed = existsSync(TIME);
    const started = nowNs();
    const stdout = timed
      ? execFileSync(TIME, ['-f', '%U %S', '-o', report, process.execPath, ...args], {
          env,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
          maxBuffer: 1 << 26,
        })
      : execFileSync(process.execPath, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
    const wall_s = (nowNs() - started) / 1e9;
    let cpu_s: number | undefined;
    if (timed) {
      const [user = NaN, system = NaN] = readFileSync(report, 'utf8').trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
      cpu_s = Number.isFinite(user + system) ? user + system : undefined;
    }
    return { wall_s, cpu_s, stdout };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A variant's node arguments, or its arguments and environment. */
type NodeCall = readonly string[] | { args: readonly string[]; env: NodeJS.ProcessEnv };

/** Runs each variant `rounds` times, interleaved; the median wall and CPU seconds of each. */
function interleave<K extends string>(rounds: number, variants: Record<K, () => NodeCall>): Record<K, { wall_s: number; cpu_s: number | undefined }> {
  const samples = Object.fromEntries(Object.keys(variants).map((key) => [key, [] as Timed[]])) as Record<K, Timed[]>;
  for (let round = 0; round < rounds; round++) {
    for (const key of Object.keys(variants) as K[]) {
      const call = variants[key]();
      samples[key].push('args' in call ? timeNode(call.args, call.env) : timeNode(call));
    }
  }
  const summary = {} as Record<K, { wall_s: number; cpu_s: number | undefined }>;
  for (const key of Object.keys(variants) as K[]) {
    const cpu = samples[key].map((sample) => sample.cpu_s);
    summary[key] = {
      wall_s: round3(median(samples[key].map((sample) => sample.wall_s))),
      cpu_s: cpu.every((value) => value !== undefined) ? round3(median(cpu as number[])) : undefined,
    };
  }
  return summary;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || b === 0 ? undefined : Math.round((a / b) * 100) / 100;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'missionbench-bench-'));
}

/** DIR/analysis/analysis.duckdb by inode and modification time: an ingest builds a new one and renames it in; a query only reads it. */
function databaseIdentity(dir: string): string {
  const stat = statSync(join(dir, ANALYSIS_FOLDER, DATABASE_FILE), { bigint: true });
  return `${stat.ino}:${stat.mtimeNs}`;
}

/**
 * The statements `Analysis.open` (analysis/database.ts) runs, then the
 * named query's: what a plain DuckDB user would type to ask the same
 * question of the same files.
 */
function plainStatements(dir: string, query: string, parameters: Record<string, number>): { setup: string[]; query: string } {
  const folder = join(dir, ANALYSIS_FOLDER);
  const truth = join(folder, 'parquet', 'truth');
  const hasTruth = existsSync(truth);
  const sql = namedQueries().get(query)?.sql;
  if (sql === undefined) throw new Error(`no query ${query}`);
  return {
    setup: [
      `ATTACH ${sqlString(join(folder, DATABASE_FILE))} AS store (READ_ONLY)`,
      'CREATE VIEW runs AS SELECT * FROM store.main.runs',
      'CREATE VIEW run_params AS SELECT * FROM store.main.run_params',
      `CREATE VIEW events AS SELECT * FROM read_parquet(${sqlString(join(folder, 'parquet', 'events', '**', '*.parquet'))}, hive_partitioning = false)`,
      hasTruth ? `CREATE VIEW truth AS SELECT * FROM read_parquet(${sqlString(join(truth, '*.parquet'))})` : `CREATE VIEW truth AS ${emptyTruthSelect()}`,
      ...viewDefinitions().map((view) => view.sql),
      ...Object.entries(parameters).map(([name, value]) => `SET VARIABLE ${name} = ${value}::DOUBLE`),
    ],
    query: sql,
  };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'startup.version',
    description: '`missionbench --version` from dist/ (medians of 5 interleaved rounds), against the sources through tsx (before the build)',
    target: 'wall_s < 0.3',
    run(): BenchResult {
      const times = interleave(5, { dist: () => [BIN, '--version'], tsx: () => [...TSX_CLI, '--version'] });
      return {
        wall_s: times.dist.wall_s,
        cpu_s: times.dist.cpu_s,
        tsx_wall_s: times.tsx.wall_s,
        tsx_cpu_s: times.tsx.cpu_s,
        speedup: ratio(times.tsx.wall_s, times.dist.wall_s),
      };
    },
  },
  {
    name: 'startup.validate',
    description:
      '`missionbench validate` and `run` of a small scenario (travel-booking) from dist/ with the schema validators the build generated, against the same with them compiled at start (MISSIONBENCH_BUILT_VALIDATORS=off, as before 2026-12-06); medians of 5 interleaved rounds',
    run(): BenchResult {
      const dir = scratch();
      try {
        let n = 0;
        const compiledAtStart = { ...process.env, [BUILT_VALIDATORS_SWITCH]: 'off' };
        const validate = [BIN, 'validate', TRAVEL];
        const run = () => [BIN, 'run', TRAVEL, '--out', join(dir, `run-${n++}`)];
        const times = interleave(5, {
          validate: () => validate,
          validate_compiled: () => ({ args: validate, env: compiledAtStart }),
          run,
          run_compiled: () => ({ args: run(), env: compiledAtStart }),
        });
        return {
          validate_wall_s: times.validate.wall_s,
          validate_cpu_s: times.validate.cpu_s,
          validate_compiled_wall_s: times.validate_compiled.wall_s,
          validate_compiled_cpu_s: times.validate_compiled.cpu_s,
          run_wall_s: times.run.wall_s,
          run_cpu_s: times.run.cpu_s,
          run_compiled_wall_s: times.run_compiled.wall_s,
          run_compiled_cpu_s: times.run_compiled.cpu_s,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'startup.mm1',
    description:
      "mm1 for 1,000,000 customers without its log (RunOptions.log = 'count'): the run alone, built (dist/) against through tsx (before), 3 interleaved rounds, events per CPU-second; then the same with the log written, end to end through the CLI",
    target: 'speedup >= 1.3 (run without its log, CPU seconds)',
    run(): BenchResult {
      const dir = scratch();
      try {
        let n = 0;
        const out = () => join(dir, `run-${n++}`);
        const customers = '1000000';
        // The peer benchmark's child: it reports the CPU and wall seconds of the run alone.
        const runs: Record<'dist' | 'tsx', Array<{ events: number; cpu_s: number; wall_s: number }>> = { dist: [], tsx: [] };
        for (let round = 0; round < 3; round++) {
          runs.dist.push(JSON.parse(timeNode([PEER_MM1_DIST, customers, 'count', out()]).stdout));
          runs.tsx.push(JSON.parse(timeNode([...PEER_MM1_TSX, customers, 'count', out()]).stdout));
        }
        const cpu = (side: 'dist' | 'tsx') => round3(median(runs[side].map((run) => run.cpu_s)));
        const events = runs.dist[0]?.events ?? 0;
        const logged = interleave(3, {
          dist: () => [BIN, 'run', MM1, '--out', out()],
          tsx: () => [...TSX_CLI, 'run', MM1, '--out', out()],
        });
        return {
          events_per_s: Math.round(events / cpu('dist')),
          events,
          cpu_s: cpu('dist'),
          tsx_cpu_s: cpu('tsx'),
          speedup: ratio(cpu('tsx'), cpu('dist')),
          logged_wall_s: logged.dist.wall_s,
          logged_cpu_s: logged.dist.cpu_s,
          logged_tsx_wall_s: logged.tsx.wall_s,
          logged_tsx_cpu_s: logged.tsx.cpu_s,
          logged_speedup_cpu: ratio(logged.tsx.cpu_s, logged.dist.cpu_s),
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'startup.query',
    description:
      '`analyze --query architect` and `size` on an analysed 12-run sizing sweep (without --logs, as sweeps are by default), against plain Node opening DuckDB and running the same SQL (medians of 5 interleaved rounds); refused if any timed call rebuilt the analysis',
    target: 'analyze_ratio <= 2, size_ratio <= 2',
    run(): BenchResult {
      const dir = scratch();
      try {
        const sweep = join(dir, 'sweep');
        const grid = ['--grid', 'tokens.auth_ttl=5m,15m', '--grid', 'topology.resources[ledger].revocation.mode=none,push'];
        execFileSync(process.execPath, [BIN, 'sweep', SIZING, ...grid, '--seeds', '1..3', '--out', sweep], { stdio: 'ignore' });
        execFileSync(process.execPath, [BIN, 'analyze', sweep], { stdio: 'ignore' });
        const bounds = { max_p99_stop_s: 120, max_ps_rps: 0.2 };
        const statements = join(dir, 'statements.json');
        writeFileSync(statements, JSON.stringify(plainStatements(sweep, 'architect', bounds)));
        const analysed = databaseIdentity(sweep);
        const times = interleave(5, {
          plain: () => [PLAIN_DUCKDB, statements],
          analyze: () => [
            BIN,
            'analyze',
            sweep,
            '--query',
            'architect',
            '--param',
            `max_p99_stop_s=${bounds.max_p99_stop_s}`,
            '--param',
            `max_ps_rps=${bounds.max_ps_rps}`,
          ],
          size: () => [BIN, 'size', sweep, '--max-p99-stop', `${bounds.max_p99_stop_s}s`, '--max-ps-rps', String(bounds.max_ps_rps)],
        });
        // A figure is a query on the existing analysis only if no call rebuilt it (a rebuild renames a new database in).
        if (databaseIdentity(sweep) !== analysed) {
          throw new Error(
            `startup.query: a timed call ingested ${sweep} again instead of reusing its analysis; its times are not a query's, so none is reported`,
          );
        }
        return {
          plain_wall_s: times.plain.wall_s,
          plain_cpu_s: times.plain.cpu_s,
          analyze_wall_s: times.analyze.wall_s,
          analyze_cpu_s: times.analyze.cpu_s,
          size_wall_s: times.size.wall_s,
          size_cpu_s: times.size.cpu_s,
          analyze_ratio: ratio(times.analyze.wall_s, times.plain.wall_s),
          size_ratio: ratio(times.size.wall_s, times.plain.wall_s),
          analyze_cpu_ratio: ratio(times.analyze.cpu_s, times.plain.cpu_s),
          size_cpu_ratio: ratio(times.size.cpu_s, times.plain.cpu_s),
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  },
];
