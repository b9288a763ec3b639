import type { Command } from 'commander';
import type { Row } from '../analysis/database.ts';
import { formatTable } from '../analysis/format-table.ts';
import { parseDuration } from '../sim/engine/duration.ts';
import { reportAndExit, UsageError } from './exit.ts';

interface SizeOptions {
  maxP99Stop: string;
  maxPsRps: string;
  json?: boolean;
}

function parseStop(text: string): number {
  try {
    return parseDuration(text) / 1e6;
  } catch {
    throw new UsageError(`--max-p99-stop expects a duration such as 30s or 5m, found ${JSON.stringify(text)}`);
  }
}

function parseRate(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`--max-ps-rps expects a non-negative number of requests per second, found ${JSON.stringify(text)}`);
  }
  return value;
}

export function registerSize(program: Command): void {
  program
    .command('size')
    .description("the architect's question: which designs of a sweep (e.g. token lifetime x revocation mode) meet a p99 runtime-stop bound and a PS request budget, and the trade-off curve between them")
    .argument('<sweep-dir>', 'a sweep folder (or any folder analyze accepts)')
    .requiredOption('--max-p99-stop <duration>', 'bound on the p99 runtime stop (termination to the last executed operation), e.g. 30s')
    .requiredOption('--max-ps-rps <n>', 'budget of Person Server requests per second (token requests plus token status checks)')
    .option('--json', 'print every design with its figures as JSON')
    .action(async (dir: string, options: SizeOptions) => {
      try {
        await sizeCommand(dir, options);
      } catch (error) {
        (await import('./analysis-session.ts')).exitIfBroken(error);
        reportAndExit(error);
      }
    });
}

async function sizeCommand(dir: string, options: SizeOptions): Promise<void> {
  const bounds = { max_p99_stop_s: parseStop(options.maxP99Stop), max_ps_rps: parseRate(options.maxPsRps) };
  const { prepareAnalysis } = await import('./analysis-session.ts');
  const { analysis } = await prepareAnalysis(dir, {});
  let rows: Row[];
  try {
    rows = await analysis.query('architect', bounds);
  } finally {
    analysis.close();
  }
  const meeting = rows.filter((row) => row.meets === true);
  const curve = rows
    .filter((row) => row.pareto === true)
    .sort((a, b) => (a.p99_stop_s as number) - (b.p99_stop_s as number));
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ bounds, designs: rows, meeting: meeting.map((row) => row.design), tradeoff_curve: curve.map((row) => row.design) }, null, 2)}\n`);
    return;
  }
  const columns = ['design', 'runs', 'missions', 'p99_stop_s', 'ps_load_rps', 'meets', 'pareto'];
  process.stdout.write(
    `bounds: p99 runtime stop <= ${bounds.max_p99_stop_s}s, PS requests (tokens + status checks) <= ${bounds.max_ps_rps}/s\n\n` +
      `${formatTable(rows, columns)}\n\n` +
      (meeting.length > 0
        ? `${meeting.length} of ${rows.length} designs meet both:\n${meeting.map((row) => `  ${row.design}`).join('\n')}\n`
        : `no design meets both bounds; the trade-off curve shows what each bound costs the other\n`) +
      `\ntrade-off curve (no design is better on both; by p99 stop):\n` +
      curve.map((row) => `  p99 stop ${formatNumber(row.p99_stop_s)}s at ${formatNumber(row.ps_load_rps)} PS req/s  ${row.design}`).join('\n') +
      '\n',
  );
}

function formatNumber(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(4))) : '-';
}
