import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml, htmlTable, REPORT_CSS } from '../../analysis/report/html.ts';
import { renderSvg } from '../../analysis/report/svg.ts';
import type { Row } from '../../analysis/database.ts';
import { prepareAnalysis } from '../../cli/analysis-session.ts';

/** The repository root, from this file's place in it. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs a missionbench command exactly as a reader would type it
 * (`npx missionbench ...`), from the repository root; returns its stdout.
 * Throws with its stderr if it fails, so a notebook never renders on
 * missing data.
 */
export function missionbench(args: readonly string[]): string {
  const result = spawnSync(process.execPath, [`${REPO}bin/missionbench.mjs`, ...args], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(`missionbench ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  }
  return result.stdout;
}

/** Inline markdown: `code`, **bold**, *emphasis*, [text](url). Input is escaped first. */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\*([^*]+)\*/g, '<em>$1</em>')
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '<a href="$2">$1</a>');
}

/** A small markdown subset: #/##/### headings, paragraphs, "- " lists, ``` fenced code. */
export function markdown(source: string): string {
  const lines = source
    .replace(/^\n+|\s+$/g, '')
    .split('\n')
    .map((line) => line.trim());
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: string[] = [];
  let code: string[] | undefined;
  const flush = (): void => {
    if (paragraph.length > 0) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    if (list.length > 0) out.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    paragraph = [];
    list = [];
  };
  for (const line of lines) {
    if (code !== undefined) {
      if (line.startsWith('```')) {
        out.push(`<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`);
        code = undefined;
      } else code.push(line);
      continue;
    }
    if (line.startsWith('```')) {
      flush();
      code = [];
    } else if (/^#{1,3} /.test(line)) {
      flush();
      const level = line.indexOf(' ');
      out.push(`<h${level + 1}>${inline(line.slice(level + 1))}</h${level + 1}>`);
    } else if (line.startsWith('- ')) {
      if (paragraph.length > 0) flush();
      list.push(line.slice(2));
    } else if (line === '') {
      flush();
    } else if (list.length > 0) {
      list[list.length - 1] += ` ${line}`;
    } else paragraph.push(line);
  }
  flush();
  return out.join('\n');
}

/**
 * A notebook page being written: prose, computed figures, tables and charts
 * (vega-lite specs rendered to SVG in Node, as `missionbench report` does),
 * in reading order. `html()` gives one self-contained page: no scripts,
 * nothing fetched.
 */
export class Notebook {
  private readonly cells: string[] = [];

  constructor(
    readonly name: string,
    readonly title: string,
  ) {}

  /** Prose (markdown subset); `${}` values interpolated by the caller are escaped. */
  md(source: string): this {
    this.cells.push(`<section class="md">${markdown(source)}</section>`);
    return this;
  }

  /** A computed finding, marked up so tests and readers can find it. */
  finding(id: string, source: string): this {
    this.cells.push(`<div class="finding" id="${escapeHtml(id)}">${markdown(source)}</div>`);
    return this;
  }

  /** The shell command a reader would run to get the same data. */
  command(text: string): this {
    this.cells.push(`<pre class="command"><code>$ ${escapeHtml(text)}</code></pre>`);
    return this;
  }

  /** Raw output (fixed width). */
  output(text: string, id?: string): this {
    this.cells.push(`<pre class="output"${id ? ` id="${escapeHtml(id)}"` : ''}><code>${escapeHtml(text.replace(/\s+$/, ''))}</code></pre>`);
    return this;
  }

  table(rows: readonly Row[], columns: readonly string[]): this {
    this.cells.push(htmlTable(rows, columns));
    return this;
  }

  async chart(spec: Record<string, unknown>, caption?: string): Promise<this> {
    const svg = await renderSvg(spec);
    this.cells.push(`<figure class="chart">${svg}${caption ? `<figcaption>${inline(caption)}</figcaption>` : ''}</figure>`);
    return this;
  }

  html(meta: string): string {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(this.title)}</title><style>${REPORT_CSS}${NOTEBOOK_CSS}</style></head>
<body>
<h1>${escapeHtml(this.title)}</h1>
<p class="meta">${escapeHtml(meta)}</p>
${this.cells.join('\n')}
</body></html>
`;
  }
}

const NOTEBOOK_CSS = `
section.md p, section.md li { max-width: 55rem; line-height: 1.45; }
pre { background: #f6f6f6; padding: 0.5rem 0.8rem; overflow-x: auto; font-size: 0.82rem; }
pre.command { background: #1f2430; color: #e6e6e6; white-space: pre-wrap; word-break: break-all; }
.finding { border-left: 4px solid #2a9d8f; background: #f1faf8; padding: 0.2rem 1rem; margin: 1rem 0; max-width: 60rem; }
figure.chart { margin: 1rem 0; } figcaption { color: #555; font-size: 0.85rem; max-width: 50rem; }
`;

/** A number for prose: 3 significant digits, no trailing zeros. */
export function num(value: unknown): string {
  if (value === null || value === undefined) return '–';
  const n = Number(value);
  return Number.isFinite(n) ? String(Number(n.toPrecision(3))) : String(value);
}

/** A path as a reader types it: relative to the repository root. */
export function shown(path: string): string {
  return relative(REPO, path) || '.';
}

/** One named query's rows for a run folder, analysed first if need be (as `missionbench analyze DIR --query NAME`). */
export async function queryRows(dir: string, name: string): Promise<Row[]> {
  const { analysis } = await prepareAnalysis(dir, {});
  try {
    return await analysis.query(name);
  } finally {
    analysis.close();
  }
}
