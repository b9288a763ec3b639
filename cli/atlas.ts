import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { type AtlasRow, BEST_RULE } from '../analysis/atlas-row.ts';
import { atlasText, seed000Text } from '../analysis/atlas-text.ts';
import { isRunnable, loadAtlasFile } from '../sim/atlas/atlas-spec.ts';
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
    .description(
      "answer every gap of the gap atlas (scenarios/atlas/gaps.yaml): run its designs with seeds added until each failure interval is as narrow as the gap asks (at most 30), its verdict curves and source document 000's table; print the answer in words and write DIR/atlas.json (docs/atlas.md)",
    )
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
  const started = performance.now();
  const { gaps, table } = loadAtlasFile(options.atlas);
  const workers = parseWorkers(options.workers);
  const outDir = resolve(options.out);
  if (existsSync(outDir) && readdirSync(outDir).length > 0 && !existsSync(join(outDir, MARKER))) {
    throw new UsageError(`${options.out} exists and is not an atlas folder; refusing to write into it`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, MARKER), 'made by missionbench atlas; its sweeps may be replaced when the atlas changes\n');

  const [{ replicateGap, runCurve }, { measureTable }] = await Promise.all([import('./atlas-gap.ts'), import('./atlas-table.ts')]);
  const runner = { workers, label: options.out };
  const rows: AtlasRow[] = [];
  for (const gap of gaps) {
    const scenario = relative(process.cwd(), gap.scenario);
    if (!isRunnable(gap)) {
      rows.push({
        gap: gap.id,
        title: gap.title,
        seed: gap.seed,
        scenario,
        status: 'waiting',
        waits_for: gap.waits_for ?? (existsSync(gap.scenario) ? 'a grid, baseline and metric in the atlas' : `its scenario ${scenario}`),
      });
      continue;
    }
    const row = { ...(await replicateGap(runner, gap, join(outDir, gap.id), join(options.out, gap.id))), scenario };
    const curves = [];
    for (const [i, curve] of gap.curves.entries()) {
      curves.push(await runCurve(runner, gap, row, curve, join(outDir, 'curves', gap.id, String(i)), join(options.out, 'curves', gap.id, String(i))));
    }
    rows.push({ ...row, curves });
  }
  const seed000 = await measureTable(runner, table, outDir, options.out);
  const atlas: AtlasFile = {
    missionbench_version: MISSIONBENCH_VERSION,
    atlas: relative(process.cwd(), resolve(options.atlas)),
    rule: BEST_RULE,
    gaps: rows,
    seed_000_table: seed000,
  };
  const temporary = join(outDir, `.atlas.json.partial-${process.pid}`);
  writeFileSync(temporary, `${JSON.stringify(atlas, null, 2)}\n`);
  renameSync(temporary, join(outDir, 'atlas.json'));
  process.stderr.write(`atlas: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(atlas, null, 2)}\n`);
    return;
  }
  process.stdout.write(`gap atlas -> ${options.out}/atlas.json\n\nbest alternative: ${BEST_RULE}\n\n`);
  process.stdout.write(atlasText(rows));
  if (seed000.length > 0) process.stdout.write(`\n${seed000Text(seed000)}\n`);
  process.stdout.write(`\nexplore it: missionbench serve ${options.out}   share it: missionbench report ${options.out} --out atlas.html\n`);
}
