/**
 * Benchmark runner (`npm run bench`). Benchmarks live in `bench/<name>.bench.ts`
 * modules, each exporting `benchmarks: Benchmark[]`; this file imports a fixed
 * list of them (deterministic order, no filesystem discovery) and runs them
 * one after another in this process. It runs built, as dist/bench.js (`npm
 * run bench` builds dist/ first when a source changed), like the CLI.
 *
 *   npm run bench                        human table on stdout, progress on stderr
 *   npm run --silent bench -- --json     one JSON object keyed by benchmark name
 *   npm run bench -- --only hold.1k      only benchmarks whose name contains the text
 *   npm run bench -- --list              names, descriptions and targets
 *   npm run bench -- --only peer --full  the sizes the issues quote (slow)
 */
import { benchSettings, type Benchmark, type BenchResult } from './benchmark.ts';
import * as analysis from './analysis.bench.ts';
import * as authority from './authority.bench.ts';
import * as engine from './engine.bench.ts';
import { describeMachine, machineLine } from './machine.ts';
import * as peer from './peer.bench.ts';
import * as protocolScaling from './protocol-scaling.bench.ts';
import * as scenario from './scenario.bench.ts';
import * as startup from './startup.bench.ts';

// Add new benchmark modules here, in the order they should run.
const modules: ReadonlyArray<{ benchmarks: Benchmark[] }> = [engine, scenario, protocolScaling, authority, analysis, peer, startup];

interface Options {
  json: boolean;
  list: boolean;
  only: string[];
  full: boolean;
}

const USAGE = 'usage: npm run bench -- [--json] [--list] [--full] [--only <substring>]...';

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { json: false, list: false, only: [], full: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--json') options.json = true;
    else if (arg === '--list') options.list = true;
    else if (arg === '--full') options.full = true;
    else if (arg === '--only') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`--only needs a value\n${USAGE}`);
      options.only.push(value);
    } else if (arg.startsWith('--only=')) options.only.push(arg.slice('--only='.length));
    else if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  return options;
}

function selectBenchmarks(only: readonly string[]): Benchmark[] {
  const all = modules.flatMap((module) => module.benchmarks);
  const seen = new Set<string>();
  for (const benchmark of all) {
    if (seen.has(benchmark.name)) throw new Error(`duplicate benchmark name ${benchmark.name}`);
    seen.add(benchmark.name);
  }
  return only.length === 0 ? all : all.filter((b) => only.some((text) => b.name.includes(text)));
}

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '-';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

function formatTable(rows: ReadonlyArray<{ benchmark: Benchmark; result?: BenchResult; error?: string }>): string {
  const header = ['benchmark', 'events/s', 'details', 'target'];
  const lines = rows.map(({ benchmark, result, error }) => {
    const details = error
      ? `FAILED: ${error}`
      : Object.entries(result ?? {})
          .filter(([key, value]) => key !== 'events_per_s' && value !== undefined)
          .map(([key, value]) => `${key}=${formatNumber(value)}`)
          .join(' ');
    return [benchmark.name, formatNumber(result?.events_per_s), details, benchmark.target ?? ''];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => (line[column] as string).length)));
  const render = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 1 ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number)))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  benchSettings.full = options.full;
  const selected = selectBenchmarks(options.only);
  if (options.list) {
    for (const b of selected) process.stdout.write(`${b.name}\t${b.description}${b.target ? `\t(target ${b.target})` : ''}\n`);
    return;
  }
  if (selected.length === 0) throw new Error(`no benchmark matches --only ${options.only.join(', ')}`);

  const machine = describeMachine();
  process.stderr.write(`${machineLine(machine)}\n`);
  const rows: Array<{ benchmark: Benchmark; result?: BenchResult; error?: string }> = [];
  for (const [index, benchmark] of selected.entries()) {
    process.stderr.write(`[${index + 1}/${selected.length}] ${benchmark.name}: ${benchmark.description} ... `);
    try {
      const result = await benchmark.run();
      rows.push({ benchmark, result });
      process.stderr.write(`${formatNumber(result.events_per_s)} events/s\n`);
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      rows.push({ benchmark, error });
      process.stderr.write(`FAILED: ${error}\n`);
      process.exitCode = 1;
    }
  }

  if (options.json) {
    const report: Record<string, Record<string, number | string | null>> = { machine: { ...machine } };
    for (const { benchmark, result, error } of rows) {
      report[benchmark.name] = error === undefined ? { events_per_s: null, ...result } : { events_per_s: null, error };
    }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`${machineLine(machine)}\n\n${formatTable(rows)}\n`);
    for (const { benchmark, result } of rows) {
      const report = result === undefined ? undefined : benchmark.report?.();
      if (report !== undefined) process.stdout.write(`\n${report}\n`);
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
