import type { AtlasRow, CurvePoint } from './atlas-row.ts';
import { formatValue } from './atlas-row.ts';
import type { MetricSummary } from './atlas-summary.ts';
import { formatTable } from './format-table.ts';

/** A table cell: `100% [72%, 100%] n=10`, `2 (same in all 10 runs)`, `1 (n=1, nothing random)` or `- (why)`. */
export function summaryCell(summary: MetricSummary | null | undefined): string {
  if (!summary) return '-';
  if (summary.mean === null) return `- (${summary.note ?? 'not measured'})`;
  const value = formatValue(summary.mean, summary.unit);
  if (summary.ci95) return `${value} [${formatValue(summary.ci95.low, summary.unit)}, ${formatValue(summary.ci95.high, summary.unit)}] n=${summary.n}`;
  if (summary.note?.startsWith('the same in all')) return `${value} (same in all ${summary.n} runs)`;
  if (summary.note?.startsWith('the scenario has nothing random')) return `${value} (n=1, nothing random)`;
  return `${value} (n=${summary.n}, no interval)`;
}

/** One gap's designs as table rows: role, design in words, failure and cost. */
export function designRows(row: AtlasRow): Array<Record<string, string>> {
  const designs = [row.baseline, ...(row.alternatives ?? [])].filter((design) => design !== undefined);
  return designs.map((design) => ({
    role: design === row.baseline ? 'baseline' : design.design === row.best?.design ? 'best' : 'alternative',
    design: design.name,
    failure: summaryCell(design.failure),
    cost: summaryCell(design.cost),
  }));
}

/**
 * The gap's `also` metrics (who refused, what the log shows) as a second
 * table, one row per design; undefined when the gap lists none. The
 * printed answer, the dashboard and the report show the same table.
 */
export function alsoTable(row: AtlasRow): { rows: Array<Record<string, string>>; columns: string[]; words: string } | undefined {
  const metrics = row.also_metrics ?? [];
  if (metrics.length === 0) return undefined;
  const designs = [row.baseline, ...(row.alternatives ?? [])].filter((design) => design !== undefined);
  const rows = designs.map((design) => ({
    design: design.name,
    ...Object.fromEntries(metrics.map((metric, i) => [metric.name, summaryCell(design.also?.[i])])),
  }));
  return { rows, columns: ['design', ...metrics.map((metric) => metric.name)], words: metrics.map((metric) => `${metric.name} = ${metric.label}`).join('; ') };
}

/** A verdict curve's points as table rows (the dashboard's and the report's): the cost columns when the points carry the cost. */
export function curveTable(points: readonly CurvePoint[]): { rows: Array<Record<string, string>>; columns: string[] } {
  const withCost = points.length > 0 && points.every((point) => point.baseline_cost && point.alternative_cost);
  const rows = points.map((point) => ({
    value: point.value,
    baseline: summaryCell(point.baseline),
    alternative: summaryCell(point.alternative),
    verdict: point.verdict,
    ...(withCost ? { 'baseline cost': summaryCell(point.baseline_cost), 'alternative cost': summaryCell(point.alternative_cost) } : {}),
  }));
  return { rows, columns: ['value', 'baseline', 'alternative', 'verdict', ...(withCost ? ['baseline cost', 'alternative cost'] : [])] };
}

/** The atlas as a reader's answer, gap by gap: what `missionbench atlas` prints. */
export function atlasText(gaps: readonly AtlasRow[]): string {
  const out: string[] = [];
  for (const row of gaps) {
    out.push(`${row.gap}: ${row.title}`, `  source: ${row.seed}; scenario ${row.scenario}`);
    if (row.status !== 'measured') {
      out.push(`  waits for ${row.waits_for ?? '?'}`, '');
      continue;
    }
    const failure = row.failure_metric;
    const cost = row.cost_metric_info;
    if (failure) out.push(`  failure: ${failure.label} (${failure.unit}, ${failure.better} is better; ${failure.interval})`);
    if (cost) out.push(`  cost: ${cost.label} (${cost.unit}; ${cost.interval})`);
    out.push(formatTable(designRows(row), ['role', 'design', 'failure', 'cost']).replace(/^/gm, '  '));
    const also = alsoTable(row);
    if (also) {
      out.push(`  also (descriptive, never ranked): ${also.words}`);
      out.push(formatTable(also.rows, also.columns).replace(/^/gm, '  '));
    }
    out.push(`  finding: ${row.finding ?? ''}`);
    if (row.stopping) out.push(`  replications: ${row.stopping.reason}: ${row.stopping.words}`);
    for (const curve of row.curves ?? []) {
      out.push(
        curve.status === 'pending' ? `  curve over ${curve.assumption}: pending: ${curve.pending}` : `  curve over ${curve.assumption}: ${curve.summary}`,
      );
      if (curve.status === 'measured') {
        for (const point of curve.points ?? [])
          out.push(
            `    ${point.value}: baseline ${summaryCell(point.baseline)}; alternative ${summaryCell(point.alternative)}: ${point.verdict}${
              point.baseline_cost && point.alternative_cost
                ? ` (cost: baseline ${summaryCell(point.baseline_cost)}; alternative ${summaryCell(point.alternative_cost)})`
                : ''
            }`,
          );
      }
    }
    out.push('');
  }
  return out.join('\n');
}

/** Seed 000's table, measured: each row's question, the seed's answer for the draft and the measured answers. */
export function seed000Text(
  rows: ReadonlyArray<{
    question: string;
    draft_answer: string;
    answers: Record<string, { answer: string; words: string }>;
    agrees_with_seed: boolean | null;
    note?: string;
  }>,
): string {
  const out = ['Source document 000\'s table "Does the draft answer it?", measured:'];
  for (const row of rows) {
    out.push(
      `  ${row.question}`,
      `    seed 000 says (draft): ${row.draft_answer}${row.agrees_with_seed === null ? '' : row.agrees_with_seed ? ' (the measurement agrees)' : ' (the measurement DISAGREES)'}`,
    );
    for (const [column, answer] of Object.entries(row.answers)) out.push(`    measured under ${column}: ${answer.words}`);
    if (row.note) out.push(`    note: ${row.note}`);
  }
  return out.join('\n');
}
