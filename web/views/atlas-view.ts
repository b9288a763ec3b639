/**
 * The dashboard's atlas answer: for the gap on screen, the failure and cost
 * metrics in words, every design with its 95% interval and n, the best
 * alternative by the atlas's rule, the finding, which rule stopped the
 * replications, the verdict curves; and source document 000's table,
 * measured. Everything is rebuilt on every call, so switching gaps never
 * leaves the previous gap's rows behind.
 */
import type { AtlasRow, TableRow } from '../../analysis/atlas-row.ts';
import embed from 'vega-embed';
import { alsoTable, curveTable, designRows } from '../../analysis/atlas-text.ts';
import { curveSpec } from '../charts/atlas-curve-spec.ts';

export interface AtlasAnswerData {
  rule?: string;
  gaps?: AtlasRow[];
  seed_000_table?: TableRow[];
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function textTable(rows: ReadonlyArray<Record<string, string>>, columns: readonly string[], testid: string): HTMLTableElement {
  const table = element('table');
  table.dataset.testid = testid;
  const head = table.createTHead().insertRow();
  for (const column of columns) head.append(element('th', column));
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    if (row.role) tr.dataset.role = row.role;
    for (const column of columns) tr.insertCell().textContent = row[column] ?? '-';
  }
  return table;
}

/** Renders the answer for `gapId` (and seed 000's table) into `target`, replacing what was there. */
export function showAtlasAnswer(target: HTMLElement, atlas: AtlasAnswerData, gapId: string | null): void {
  target.replaceChildren(element('h2', 'The atlas answer'));
  const row = atlas.gaps?.find((gap) => gap.gap === gapId);
  if (!row) {
    target.append(element('p', 'Pick a measured gap to see its answer.', 'help'));
  } else {
    target.append(element('h3', `${row.title} (${row.gap})`));
    target.append(element('p', row.finding ?? '', 'finding'));
    const failure = row.failure_metric;
    const cost = row.cost_metric_info;
    if (failure) target.append(element('p', `Failure: ${failure.label} (${failure.unit}; ${failure.better} is better; ${failure.interval}).`, 'help'));
    if (cost) target.append(element('p', `Cost: ${cost.label} (${cost.unit}; ${cost.interval}).`, 'help'));
    target.append(textTable(designRows(row), ['role', 'design', 'failure', 'cost'], 'atlas-designs'));
    const also = alsoTable(row);
    if (also) {
      target.append(element('p', `Also (descriptive, never ranked): ${also.words}.`, 'help'));
      target.append(textTable(also.rows, also.columns, 'atlas-also'));
    }
    if (atlas.rule) target.append(element('p', `Best alternative: ${atlas.rule}`, 'help'));
    if (row.stopping) target.append(element('p', `Replications: ${row.stopping.words}.`, 'help'));
    for (const curve of row.curves ?? []) {
      if (curve.status === 'pending') {
        target.append(element('p', `Curve over ${curve.assumption}: pending (${curve.pending ?? ''}).`, 'help'));
        continue;
      }
      target.append(element('p', `Curve over ${curve.assumption}: ${curve.summary ?? ''}`, 'help'));
      const spec = curveSpec(curve, row.failure_metric?.label ?? row.measure ?? '', row.failure_metric?.unit ?? '');
      if (spec) {
        const box = element('div', undefined, 'chart');
        box.dataset.testid = 'atlas-curve-chart';
        target.append(box);
        void embed(box, spec as never, { actions: false, renderer: 'svg' });
      } else target.append(element('p', 'Every point of this curve has the same value, so there is no chart: the table says it.', 'empty'));
      const points = curveTable(curve.points ?? []);
      target.append(textTable(points.rows, points.columns, 'atlas-curve'));
    }
  }
  const table = atlas.seed_000_table ?? [];
  if (table.length > 0) {
    target.append(element('h3', 'Source document 000\'s table, measured: "Does the draft answer it?"'));
    const columns = [...new Set(table.flatMap((entry) => Object.keys(entry.answers)))];
    target.append(
      textTable(
        table.map((entry) => ({
          question: entry.question,
          'seed 000 (draft)': entry.draft_answer,
          ...Object.fromEntries(columns.map((column) => [`measured: ${column}`, entry.answers[column]?.words ?? '-'])),
          note: entry.note ?? '',
        })),
        ['question', 'seed 000 (draft)', ...columns.map((column) => `measured: ${column}`), 'note'],
        'seed-000-table',
      ),
    );
  }
}
