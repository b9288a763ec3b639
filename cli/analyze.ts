import type { Command } from 'commander';
import type { Row } from '../analysis/database.ts';
import { formatTable } from '../analysis/format-table.ts';
import { reportAndExit, UsageError } from './exit.ts';

interface AnalyzeOptions {
  json?: boolean;
  csv?: boolean;
  query?: string;
  param: string[];
  reingest?: boolean;
  memoryLimit?: string;
  list?: boolean;
  allowBroken?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The tables `analyze` prints by default, in order. */
const DEFAULT_QUERIES = ['revocation_window', 'load', 'replications'] as const;

function parseParams(texts: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const text of texts) {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--param expects name=value, found ${JSON.stringify(text)}`);
    params[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return params;
}

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('ingest a run, a sweep or a folder of runs into DuckDB + Parquet (DIR/analysis/) and print its metrics')
    .argument('<dir>', 'run folder, sweep folder, or a folder of runs')
    .option('--json', 'print the metric tables as one JSON object')
    .option('--query <name>', 'print one named query (see --list)')
    .option('--csv', 'with --query: print its rows as CSV (raw values; JSON columns as JSON text)')
    .option('--param <name=value>', 'a parameter of the named query (repeatable)', collect, [])
    .option('--list', 'list the named queries and their parameters')
    .option('--reingest', 'check and ingest again even if DIR/analysis is up to date')
    .option('--allow-broken', 'answer from logs that do not verify too, with a banner naming the first bad seq of each (default: refuse, exit 1)')
    .option('--memory-limit <size>', "DuckDB's memory limit while ingesting, e.g. 1GB (default 2GB); beyond it DuckDB spills to disk")
    .action(async (dir: string, options: AnalyzeOptions) => {
      try {
        await analyzeCommand(dir, options);
      } catch (error) {
        const { exitIfBroken } = await import('./analysis-session.ts');
        exitIfBroken(error);
        reportAndExit(error);
      }
    });
}

async function analyzeCommand(dir: string, options: AnalyzeOptions): Promise<void> {
  const params = parseParams(options.param);
  // DuckDB loads only for the commands that need it, not for every command.
  const { prepareAnalysis } = await import('./analysis-session.ts');
  const { analysis, ingest, input, checkLines } = await prepareAnalysis(dir, options);
  try {
    if (options.list) {
      for (const query of analysis.list()) {
        const parameters = query.parameters.map((parameter) => ` --param ${parameter.name}=<${parameter.type}>`).join('');
        process.stdout.write(`${query.name}${parameters}\n  ${query.description}\n`);
      }
      return;
    }
    const names = options.query ? [options.query] : [...DEFAULT_QUERIES];
    if (!options.query && Object.keys(params).length > 0) throw new UsageError('--param needs --query');
    if (options.csv && !options.query) throw new UsageError('--csv needs --query NAME (one table); see --list for the names');
    if (options.csv && options.json) throw new UsageError('--csv and --json are two formats: choose one');
    const results: Record<string, Row[]> = {};
    for (const name of names) results[name] = await analysis.query(name, options.query ? params : {});
    if (options.csv) {
      // The table alone on stdout (a file a spreadsheet opens); what was checked goes to stderr.
      for (const line of checkLines)
        process.stderr.write(`${line}
`);
      const { rowsCsv } = await import('../web/table-data.ts');
      process.stdout.write(rowsCsv(results[options.query as string] as Row[]));
      return;
    }
    const hashed = ingest.logs_hashed > 0 ? `, ${ingest.logs_hashed} logs hashed to check them` : '';
    const fromParquet = ingest.from_parquet > 0 ? `; ${ingest.from_parquet} of ${ingest.runs} runs from their Parquet files${hashed}` : '';
    // Runs whose Parquet file was refused are parsed from their logs: the summary says so, and why.
    const refused = ingest.check.parquet_not_as_written ?? [];
    const refusedRuns = new Set(refused.map(([run]) => run)).size;
    const why =
      refusedRuns === 0
        ? ''
        : refused.length === 1
          ? `; 1 parsed from its logs: ${refused[0]?.[0]}/${refused[0]?.[1]} is not the file the run wrote`
          : `; ${refusedRuns} parsed from ${refusedRuns === 1 ? 'its' : 'their'} logs: ${refused.length} Parquet files are not the files the runs wrote`;
    const ingested = ingest.ingested
      ? `ingested in ${ingest.seconds.toFixed(1)}s (${Math.round(ingest.events / Math.max(ingest.seconds, 1e-9)).toLocaleString('en-US')} events/s${fromParquet}${why})`
      : 'analysis up to date (no log changed since it was checked)';
    if (options.json) {
      // Only what the runs decide goes to stdout, so the same runs give the same bytes; timings go to stderr.
      process.stderr.write(`missionbench: ${dir}: ${ingested}\n`);
      const { check } = ingest;
      process.stdout.write(
        `${JSON.stringify({ dir, kind: input.kind, runs: input.runs.length, missing: input.missing.length, events: ingest.events, check, ...results }, null, 2)}\n`,
      );
      return;
    }
    process.stdout.write(`${dir}: ${input.kind}, ${input.runs.length} runs, ${ingest.events} events; ${ingested}\n`);
    for (const line of checkLines) process.stdout.write(`${line}\n`);
    for (const name of names) process.stdout.write(`\n${name}\n${formatTable(results[name] as Row[])}\n`);
  } finally {
    analysis.close();
  }
}
