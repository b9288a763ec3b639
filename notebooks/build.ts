/**
 * Builds the notebooks headless: each notebook module computes its data
 * (running missionbench commands and the analysis named queries) and writes
 * one self-contained HTML page. `npm run notebooks [-- --out DIR] [name...]`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MISSIONBENCH_VERSION } from '../sim/version.ts';
import { escapeHtml, REPORT_CSS } from '../analysis/report/html.ts';
import type { Notebook } from './lib/notebook.ts';
import { REPO } from './lib/notebook.ts';

export const NOTEBOOKS: Record<string, { title: string; load: () => Promise<{ build: (work: string) => Promise<Notebook> }> }> = {
  'researcher-gap-atlas': { title: 'Researcher: the gap atlas', load: () => import('./researcher-gap-atlas.ts') },
  'architect-token-lifetime': { title: 'Architect: sizing token lifetime and revocation', load: () => import('./architect-token-lifetime.ts') },
  'regulator-incident-replay': { title: 'Regulator: replaying an incident', load: () => import('./regulator-incident-replay.ts') },
  'regulator-real-log': { title: "Regulator: replaying a real deployment's call log (aauth.call)", load: () => import('./regulator-real-log.ts') },
};

export async function buildNotebooks(outDir: string, names: readonly string[] = Object.keys(NOTEBOOKS)): Promise<string[]> {
  for (const name of names) if (!NOTEBOOKS[name]) throw new Error(`no notebook named ${name} (known: ${Object.keys(NOTEBOOKS).join(', ')})`);
  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const name of names) {
    const started = performance.now();
    // Each build starts from nothing: the data is made here, never carried over.
    const work = join(outDir, 'work', name);
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const notebook = await (await (NOTEBOOKS[name] as (typeof NOTEBOOKS)[string]).load()).build(work);
    const file = join(outDir, `${name}.html`);
    writeFileSync(
      file,
      notebook.html(
        `missionbench ${MISSIONBENCH_VERSION} notebook, built headless by npm run notebooks; data computed at build time in ${relative(REPO, work)}`,
      ),
    );
    process.stderr.write(`notebooks: ${name} -> ${relative(process.cwd(), file)} (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
    written.push(file);
  }
  const index = Object.entries(NOTEBOOKS)
    .map(([name, { title }]) => `<li><a href="${name}.html">${escapeHtml(title)}</a></li>`)
    .join('\n');
  writeFileSync(
    join(outDir, 'index.html'),
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>missionbench notebooks</title><style>${REPORT_CSS}</style></head>\n<body><h1>missionbench notebooks</h1><ul>\n${index}\n</ul></body></html>\n`,
  );
  return written;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('notebooks/build.ts')) {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string', default: join(REPO, 'notebooks', 'dist') } }, allowPositionals: true });
  try {
    await buildNotebooks(resolve(values.out as string), positionals.length > 0 ? positionals : undefined);
  } catch (error) {
    process.stderr.write(`notebooks: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
