import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDuration } from '../sim/engine/duration.ts';
import { atlasTableRow } from '../analysis/atlas-row.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { resolveTarget } from './serve.ts';
import type { ReportPart } from '../analysis/report/build-report.ts';

interface ReportCommandOptions {
  out: string;
  maxP99Stop: string;
  maxPsRps: string;
  allowBroken?: boolean;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write one self-contained HTML report (SVG charts, tables) of a run, sweep or atlas folder')
    .argument('<dir>', 'run folder, sweep folder, folder of runs, or atlas folder')
    .requiredOption('--out <file>', 'the HTML file to write, e.g. report.html')
    .option('--max-p99-stop <duration>', 'bound on the p99 runtime stop for the sizing section', '2m')
    .option('--max-ps-rps <n>', 'PS request budget (per second) for the sizing section', '0.2')
    .option('--allow-broken', 'report on logs that do not verify too, with a banner naming the first bad seq of each (default: refuse, exit 1)')
    .action(async (dir: string, options: ReportCommandOptions) => {
      try {
        let maxStop: number;
        try {
          maxStop = parseDuration(options.maxP99Stop) / 1e6;
        } catch {
          throw new UsageError(`--max-p99-stop expects a duration such as 30s or 5m, found ${JSON.stringify(options.maxP99Stop)}`);
        }
        const maxRps = Number(options.maxPsRps);
        if (options.maxPsRps.trim() === '' || !Number.isFinite(maxRps) || maxRps < 0) {
          throw new UsageError(`--max-ps-rps expects a non-negative number, found ${JSON.stringify(options.maxPsRps)}`);
        }
        const [{ prepareAnalysis }, { buildReport }] = await Promise.all([import('./analysis-session.ts'), import('../analysis/report/build-report.ts')]);
        const { atlas, measuredGaps, folderOf } = resolveTarget(dir);
        const bounds = { max_p99_stop_s: maxStop, max_ps_rps: maxRps };
        // An atlas reports every measured gap's sweep; a run or sweep itself.
        const parts: ReportPart[] = [];
        let html: string;
        try {
          for (const gap of atlas ? measuredGaps : [null]) {
            const { analysis, input, checkLines } = await prepareAnalysis(folderOf(gap), { allowBroken: options.allowBroken });
            const row = atlas?.gaps.find((candidate) => candidate.gap === gap);
            parts.push({
              analysis,
              input,
              check: checkLines,
              gap: row ? { id: row.gap, title: row.title, finding: row.finding ?? '', answer: row } : undefined,
            });
          }
          html = await buildReport(`missionbench report: ${dir}`, parts, { bounds, atlas: atlas?.gaps.map(atlasTableRow), atlasAnswer: atlas });
        } finally {
          for (const part of parts) part.analysis.close();
        }
        // Written under a temporary name and renamed: never half a report.
        const temporary = `${options.out}.partial-${process.pid}`;
        try {
          writeFileSync(temporary, html);
          renameSync(temporary, options.out);
        } catch (error) {
          rmSync(temporary, { force: true });
          throw new UsageError(`cannot write ${options.out}: ${(error as Error).message}`);
        }
        process.stdout.write(`report of ${dir} -> ${options.out} (${Math.round(html.length / 1024)} KiB, self-contained)\n`);
      } catch (error) {
        const { exitIfBroken } = await import('./analysis-session.ts');
        exitIfBroken(error);
        reportAndExit(error);
      }
    });
}
