import type { Command } from 'commander';
import type { Row } from '../analysis/database.ts';
import { formatTable } from '../analysis/format-table.ts';
import { parseDuration } from '../sim/engine/duration.ts';
import { formatDuration, formatRate, significant } from '../web/format.ts';
import { sizingAnswer } from '../web/sizing-answer.ts';
import { writeAnalysisCheck } from './analysis-summary.ts';
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
    .description(
      "the architect's question: which designs of a sweep (e.g. token lifetime x revocation mode) meet a p99 runtime-stop bound and a PS request budget, and the trade-off curve between them",
    )
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
  const prepared = await prepareAnalysis(dir, {});
  const { analysis } = prepared;
  let rows: Row[];
  try {
    rows = await analysis.query('architect', bounds);
  } finally {
    analysis.close();
  }
  const answer = sizingAnswer(rows, bounds);
  const curve = answer.designs.filter((design) => design.pareto).sort((a, b) => (a.p99_stop_s as number) - (b.p99_stop_s as number));
  if (options.json) {
    // As analyze --json: the summary (timings) on stderr, the check in the JSON.
    writeAnalysisCheck(dir, prepared, 'json');
    process.stdout.write(
      `${JSON.stringify(
        {
          bounds,
          answer: answer.sentence,
          uncertainty: answer.uncertainty,
          cheapest: answer.cheapest?.design ?? null,
          closest: answer.closest?.design ?? null,
          designs: rows,
          by_cost: answer.designs.map(({ design, ps_load_rps, ps_load_ci95, p99_stop_s, missions, meets, misses }) => ({
            design,
            ps_load_rps,
            ps_load_ci95,
            p99_stop_s,
            missions,
            meets,
            misses,
          })),
          meeting: answer.designs.filter((design) => design.meets).map((design) => design.design),
          tradeoff_curve: curve.map((design) => design.design),
          check: prepared.check,
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  const table = answer.designs.map((design, rank) => ({
    '#': rank + 1,
    design: design.design,
    'PS load': formatRate(design.ps_load_rps),
    '95% CI': design.ps_load_ci95 ? `${significant(design.ps_load_ci95[0])} to ${significant(design.ps_load_ci95[1])}` : '-',
    'p99 stop': formatDuration(design.p99_stop_s),
    missions: design.missions,
    runs: design.runs,
    verdict: design.meets ? 'meets both' : `misses ${design.misses.join('; ')}`,
  }));
  process.stdout.write(
    `bounds: p99 runtime stop <= ${formatDuration(bounds.max_p99_stop_s)}, PS requests (tokens + status checks) <= ${formatRate(bounds.max_ps_rps)}\n\n` +
      `${answer.sentence}\n` +
      `${answer.uncertainty}\n\n` +
      `every design, cheapest (lowest PS load) first:\n${formatTable(table)}\n` +
      `\ntrade-off curve (no design is better on both; by p99 stop):\n` +
      curve.map((design) => `  p99 stop ${formatDuration(design.p99_stop_s)} at ${formatRate(design.ps_load_rps)}  ${design.design}`).join('\n') +
      '\n\n',
  );
  // The answer first; then, as analyze prints them, what the answer rests on: what was verified, trusted, refused or regenerated.
  writeAnalysisCheck(dir, prepared, 'text');
}
