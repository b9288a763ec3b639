import type { AtlasRow, TableRow } from '../atlas-row.ts';
import { alsoTable, curveTable, designRows } from '../atlas-text.ts';
import { curveSpec } from '../../web/charts/atlas-curve-spec.ts';
import { escapeHtml, htmlTable } from './html.ts';
import { renderSvg } from './svg.ts';

/** What the report needs of atlas.json. */
export interface AtlasAnswer {
  rule?: string | undefined;
  gaps: readonly AtlasRow[];
  seed_000_table?: readonly TableRow[] | undefined;
}

const e = (text: unknown) => escapeHtml(String(text ?? ''));

/** One gap's answer: metrics in words, every design with interval and n, the finding, the stopping rule and the curves. */
export async function gapAnswerHtml(row: AtlasRow): Promise<string> {
  if (row.status !== 'measured') return `<p class="meta">waits for ${e(row.waits_for)}</p>`;
  const parts: string[] = [];
  const failure = row.failure_metric;
  const cost = row.cost_metric_info;
  parts.push(`<p class="finding">${e(row.finding)}</p>`);
  parts.push(
    '<p class="help">' +
      (failure ? `Failure: ${e(failure.label)} (${e(failure.unit)}; ${e(failure.better)} is better; ${e(failure.interval)}). ` : '') +
      (cost ? `Cost: ${e(cost.label)} (${e(cost.unit)}; ${e(cost.interval)}). ` : '') +
      (row.stopping ? `Replications: ${e(row.stopping.words)}.` : '') +
      '</p>',
  );
  parts.push(htmlTable(designRows(row), ['role', 'design', 'failure', 'cost']));
  const also = alsoTable(row);
  if (also) parts.push(`<p class="help">Also (descriptive, never ranked): ${e(also.words)}.</p>`, htmlTable(also.rows, also.columns));
  for (const curve of row.curves ?? []) {
    if (curve.status === 'pending') {
      parts.push(`<p class="meta">Curve over ${e(curve.assumption)}: pending (${e(curve.pending)}).</p>`);
      continue;
    }
    parts.push(`<p class="help">Curve over ${e(curve.assumption)}: ${e(curve.summary)}</p>`);
    const spec = curveSpec(curve, row.failure_metric?.label ?? row.measure ?? '', row.failure_metric?.unit ?? '');
    parts.push(
      spec
        ? `<div class="charts">${await renderSvg(spec)}</div>`
        : '<p class="empty">Every point of this curve has the same value, so there is no chart: the table says it.</p>',
    );
    const points = curveTable(curve.points ?? []);
    parts.push(htmlTable(points.rows, points.columns));
  }
  return parts.join('\n');
}

/** Seed 000's table, measured: the seed's answer for the draft beside the measured answers. */
export function seed000TableHtml(rows: readonly TableRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row.answers)))];
  const body = rows.map((row) => ({
    question: row.question,
    'seed 000 (draft)': row.draft_answer,
    ...Object.fromEntries(columns.map((column) => [`measured: ${column}`, row.answers[column]?.words ?? '-'])),
    note: row.note ?? '',
  }));
  return `<h2 id="seed-000-table">Source document 000's table, measured: "Does the draft answer it?"</h2>
<p class="help">Each row answered from runs (yes when the metric is 0 in every run), under AAuth r01 and under mission-authority.</p>
${htmlTable(body, ['question', 'seed 000 (draft)', ...columns.map((column) => `measured: ${column}`), 'note'])}`;
}

/** The report's atlas section: the rule, every gap's answer, and seed 000's table. */
export function atlasSectionHtml(atlas: AtlasAnswer): string {
  const parts = [`<h2>Gap atlas</h2>`];
  if (atlas.rule) parts.push(`<p class="help">Best alternative: ${e(atlas.rule)}</p>`);
  parts.push(
    htmlTable(
      atlas.gaps.map((row) => ({ gap: row.gap, title: row.title, source: row.seed, finding: row.finding ?? `waits for ${row.waits_for ?? '?'}` })),
      ['gap', 'title', 'source', 'finding'],
    ),
  );
  if (atlas.seed_000_table && atlas.seed_000_table.length > 0) parts.push(seed000TableHtml(atlas.seed_000_table));
  return parts.join('\n');
}
