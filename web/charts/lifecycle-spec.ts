/** Lifecycle costs: which costs the dashboard and report compare, their chart, and the costs stated in words instead. */
import { formatDuration, significant } from '../format.ts';
import { designScheme, withAxes } from './design-encoding.ts';
import { flatNote } from './flat-note.ts';
import { type Row, SCHEMA, type Spec } from './spec-basics.ts';

/** The lifecycle costs the dashboard compares, in the order shown (fields of the `lifecycle` query). */
export const LIFECYCLE_COSTS: ReadonlyArray<[field: string, title: string]> = [
  ['ops_during_pause', 'ops run while paused'],
  ['work_lost', 'ops lost (recalled)'],
  ['re_approvals', 're-approvals'],
  ['time_to_resume_s', 'resume after pause (s)'],
  ['crash_resume_s', 'resume after crash (s)'],
  ['person_interactions', 'person asked (times)'],
];

/** The lifecycle table's columns (fields of the `lifecycle` query), for the dashboard and the report. */
export const LIFECYCLE_COLUMNS: readonly string[] = [
  'design',
  'runs',
  'paused_s',
  'ops_during_pause',
  'irreversible_during_pause',
  'ops_executed',
  'work_lost',
  'workflows_abandoned',
  're_approvals',
  'time_to_resume_s',
  'crash_resume_s',
  'rolled_back',
  'not_rollbackable',
  'refusals_during_pause',
  'person_interactions',
];

/**
 * Lifecycle costs per design (rows of the `lifecycle` query): what ran
 * while paused (stopping too little), what was lost or had to be approved
 * again (stopping too much), how long work took to resume after a pause or
 * a crash, and how often the person was asked; one small chart per cost,
 * each on its own scale (a cost that does not apply draws no bar).
 */
export function lifecycleSpec(rows: readonly Row[]): Spec {
  const drawn = lifecycleCosts(rows).drawn;
  const values = withAxes(rows).flatMap((row) =>
    drawn.map(([field, title]) => ({ design: row.design, label: row.label, order: row.order, cost: title, value: row[field] ?? null })),
  );
  return {
    $schema: SCHEMA,
    title: 'what the lifecycle costs (mean per run)',
    data: { values },
    facet: { column: { field: 'cost', type: 'nominal', title: null, sort: drawn.map(([, title]) => title), header: { labelLimit: 0, labelFontSize: 11 } } },
    spec: {
      name: 'costs',
      width: 160,
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: { field: 'order' }, axis: { labelLimit: 200 }, title: 'design' },
        // '~r': a cost that is zero for every design reads 0, not 0.000000, and 60 not 6e+1.
        x: { field: 'value', type: 'quantitative', title: null, axis: { format: ',~r', tickCount: 4 } },
        color: { field: 'label', type: 'nominal', sort: null, legend: null, scale: { scheme: designScheme(rows) } },
        tooltip: [{ field: 'design' }, { field: 'cost' }, { field: 'value', format: '.4~f' }],
      },
    },
    resolve: { scale: { x: 'independent' } },
  };
}

/**
 * The lifecycle costs worth a chart (some design's value differs from the
 * others) and those that are zero, absent or equal for every design, which
 * the dashboard and report state in words instead of drawing.
 */
export function lifecycleCosts(rows: readonly Row[]): { drawn: Array<[string, string]>; flat: string[] } {
  const drawn: Array<[string, string]> = [];
  const flat: string[] = [];
  for (const [field, title] of LIFECYCLE_COSTS) {
    const note = flatNote(
      rows.map((row) => row[field]),
      title,
      field.endsWith('_s') ? formatDuration : (value) => significant(value),
    );
    if (note === null) drawn.push([field, title]);
    else flat.push(note.replace(/, so there is nothing to (draw|compare)\.$/, ''));
  }
  return { drawn, flat };
}

/** Why the lifecycle chart would mislead: every cost flat. Otherwise null (the flat ones are listed by lifecycleCosts). */
export function lifecycleNote(rows: readonly Row[]): string | null {
  const { drawn, flat } = lifecycleCosts(rows);
  return drawn.length === 0 ? `Every lifecycle cost is the same for every design (${flat.join('; ')}): nothing to compare.` : null;
}
