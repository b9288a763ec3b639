import type { Command } from 'commander';
import type { Row } from '../analysis/database.ts';
import { formatTable } from '../analysis/format-table.ts';
import { writeAnalysisCheck } from './analysis-summary.ts';
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
  const prepared = await prepareAnalysis(dir, options);
  const { analysis, ingest, input } = prepared;
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
      writeAnalysisCheck(dir, prepared, 'csv');
      const { rowsCsv } = await import('../web/table-data.ts');
      process.stdout.write(rowsCsv(results[options.query as string] as Row[]));
      return;
    }
    if (options.json) {
      // Only what the runs decide goes to stdout, so the same runs give the same bytes; timings go to stderr.
      writeAnalysisCheck(dir, prepared, 'json');
      const { check } = ingest;
      process.stdout.write(
        `${JSON.stringify({ dir, kind: input.kind, runs: input.runs.length, missing: input.missing.length, events: ingest.events, check, ...results }, null, 2)}\n`,
      );
      return;
    }
    writeAnalysisCheck(dir, prepared, 'text');
    for (const name of names) process.stdout.write(`\n${name}\n${formatTable(results[name] as Row[])}\n`);
  } finally {
    analysis.close();
  }
}
