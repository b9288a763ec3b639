/** Containment: executed operations outside the intent by hop depth, with its note. */
import { shortLabel } from './design-encoding.ts';
import { type Row, SCHEMA, type Spec } from './spec-basics.ts';

/**
 * Containment: executed operations outside the root intent by delegation
 * depth, per design (rows of the `containment` query), split into what the
 * audit log alone proves and what only the oracle sees.
 */
export function containmentSpec(rows: readonly Row[]): Spec {
  const order = new Map<string, number>();
  for (const row of rows) if (!order.has(String(row.design))) order.set(String(row.design), order.size);
  const values = rows.flatMap((row) => {
    const base = { ...row, label: shortLabel(String(row.design)), order: order.get(String(row.design)) };
    return [
      { ...base, visibility: 'provable from the log', count: row.outside_provable },
      { ...base, visibility: 'oracle only', count: row.outside_oracle_only },
    ];
  });
  return {
    $schema: SCHEMA,
    title: 'executed operations outside the intent, by hop depth',
    data: { values },
    name: 'containment',
    mark: { type: 'bar' },
    width: { step: 22 },
    encoding: {
      // Designs in the query's order, each grid value on its own header line so neighbours never overlap.
      column: {
        field: 'label',
        type: 'nominal',
        title: 'design',
        sort: { field: 'order' },
        header: { labelExpr: "split(datum.label, ' · ')", labelLimit: 0, labelFontSize: 10 },
      },
      x: { field: 'depth', type: 'ordinal', title: 'hop depth' },
      y: { field: 'count', type: 'quantitative', title: 'operations outside the intent (all seeds)', stack: 'zero', axis: { format: 'd', tickMinStep: 1 } },
      color: {
        field: 'visibility',
        type: 'nominal',
        scale: { domain: ['provable from the log', 'oracle only'], range: ['#457b9d', '#e63946'] },
        title: null,
        legend: { labelLimit: 200 },
      },
      tooltip: [
        { field: 'design' },
        { field: 'depth', title: 'hop depth' },
        { field: 'ops_executed', title: 'operations executed' },
        { field: 'outside_intent', title: 'outside the intent' },
        { field: 'outside_provable', title: 'provable from the log' },
        { field: 'outside_oracle_only', title: 'oracle only' },
      ],
    },
  };
}

/** Why the containment chart would mislead: nothing outside the intent draws only zero bars (and a "0.000000" tick). */
export function containmentNote(rows: readonly Row[]): string | null {
  if (rows.length === 0) return 'No executed operation carries ground truth in these runs: nothing to draw.';
  const executed = rows.reduce((sum, row) => sum + Number(row.ops_executed ?? 0), 0);
  if (rows.every((row) => Number(row.outside_intent ?? 0) === 0)) {
    return `None of the ${executed.toLocaleString('en-US')} executed operations fell outside the person's intent, at any hop depth, in any design: nothing to draw.`;
  }
  return null;
}
