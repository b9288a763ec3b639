import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatTable } from '../analysis/format-table.ts';
import type { AtlasRow } from '../analysis/atlas-row.ts';
import { isRunnable, loadAtlas } from '../sim/atlas/atlas-spec.ts';
import { readSweepFile } from '../sim/sweep/sweep-file.ts';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import type { AtlasFile } from './atlas-file.ts';
import { reportAndExit, UsageError } from './exit.ts';
import { parseWorkers } from './sweep.ts';

const DEFAULT_ATLAS = new URL('../scenarios/atlas/gaps.yaml', import.meta.url).pathname;
/** Marks a folder as an atlas folder, so re-running the atlas may replace what is inside. */
const MARKER = 'ATLAS';

export function registerAtlas(program: Command): void {
  program
    .command('atlas')
    .description('run every gap of the gap atlas (scenarios/atlas/gaps.yaml) as a sweep with replications, analyse each, and write DIR/atlas.json')
    .option('--out <dir>', 'atlas folder', 'runs/atlas')
    .option('--atlas <file>', 'atlas definition', DEFAULT_ATLAS)
    .option('--workers <n>', 'worker threads (default: the number of cores)')
    .option('--json', 'print atlas.json')
    .option('--serve', 'then serve the dashboard (skipped when the CI environment variable is set)')
    .action(async (options: { out: string; atlas: string; workers?: string; json?: boolean; serve?: boolean }) => {
      try {
        await atlasCommand(options);
        if (!options.serve) return;
        if (process.env.CI) {
          process.stderr.write(`atlas: CI is set, so not serving; run missionbench serve ${options.out} to explore it\n`);
          return;
        }
        const { serveFolder } = await import('./serve.ts');
        await serveFolder(options.out, undefined);
      } catch (error) {
        reportAndExit(error);
      }
    });
}

async function atlasCommand(options: { out: string; atlas: string; workers?: string; json?: boolean }): Promise<void> {
  const gaps = loadAtlas(options.atlas);
  const workers = parseWorkers(options.workers);
  const outDir = resolve(options.out);
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, MARKER))) {
    throw new UsageError(`${options.out} exists and is not an atlas folder; refusing to write into it`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, MARKER), 'made by missionbench atlas; its sweeps may be replaced when the atlas changes\n');

  const [{ runSweep }, { prepareAnalysis }, { atlasRow }] = await Promise.all([
    import('./sweep/run-sweep.ts'),
    import('./analysis-session.ts'),
    import('../analysis/atlas-row.ts'),
  ]);
  const rows: AtlasRow[] = [];
  for (const gap of gaps) {
    const scenario = relative(process.cwd(), gap.scenario);
    if (!isRunnable(gap)) {
      rows.push({
        gap: gap.id, title: gap.title, seed: gap.seed, scenario, status: 'waiting',
        waits_for: gap.waits_for ?? (existsSync(gap.scenario) ? 'a grid, baseline and metric in the atlas' : `its scenario ${scenario}`),
      });
      continue;
    }
    const gapDir = join(outDir, gap.id);
    // The atlas owns its folders: a gap whose definition changed is run afresh.
    const previous = readSweepFile(gapDir);
    if (previous && (JSON.stringify([previous.grid, previous.seeds]) !== JSON.stringify([gap.grid, gap.seeds]) || previous.missionbench_version !== MISSIONBENCH_VERSION)) {
      rmSync(gapDir, { recursive: true, force: true });
    }
    process.stderr.write(`atlas: ${gap.id}\n`);
    await runSweep({ scenarioFile: gap.scenario, axes: gap.grid ?? [], seeds: gap.seeds ?? [1], overrides: [], outDir: gapDir, workers, resume: true, label: join(options.out, gap.id) });
    const { analysis } = await prepareAnalysis(gapDir, {});
    try {
      rows.push({ ...(await atlasRow(analysis, { ...gap, baseline: gap.baseline as string, measure: gap.measure as string })), scenario });
    } finally {
      analysis.close();
    }
  }
  const atlas: AtlasFile = { missionbench_version: MISSIONBENCH_VERSION, atlas: relative(process.cwd(), resolve(options.atlas)), gaps: rows };
  const temporary = join(outDir, `.atlas.json.partial-${process.pid}`);
  writeFileSync(temporary, `${JSON.stringify(atlas, null, 2)}\n`);
  renameSync(temporary, join(outDir, 'atlas.json'));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(atlas, null, 2)}\n`);
    return;
  }
  process.stdout.write(`gap atlas -> ${options.out}/atlas.json\n\n`);
  process.stdout.write(`${formatTable(rows.map((row) => ({ gap: row.gap, status: row.status, finding: row.finding ?? `waits for ${row.waits_for}` })))}\n`);
  process.stdout.write(`\nexplore it: missionbench serve ${options.out}   share it: missionbench report ${options.out} --out atlas.html\n`);
}
