import { join, relative } from 'node:path';
import { atlasMetric } from '../analysis/atlas-metrics.ts';
import { describeSummary, metricInfo, type TableAnswer, type TableRow } from '../analysis/atlas-row.ts';
import { type MetricSummary, summarize } from '../analysis/atlas-summary.ts';
import type { TableRowSpec } from '../sim/atlas/atlas-spec.ts';
import { type AtlasRunner, sweepAndMeasure } from './atlas-runs.ts';

/** "yes" when the metric is 0 in every run and what the row requires happened; "no" when it is above 0. */
export function answerOf(measured: MetricSummary, requires: MetricSummary | undefined): TableAnswer['answer'] {
  if (measured.mean === null) return 'not measured';
  if (requires && !((requires.mean ?? 0) > 0)) return 'not measured';
  return measured.mean === 0 ? 'yes' : 'no';
}

export async function measureTable(runner: AtlasRunner, rows: readonly TableRowSpec[], outDir: string, label: string): Promise<TableRow[]> {
  const measured: TableRow[] = [];
  for (const row of rows) {
    const metric = atlasMetric(row.metric);
    const required = row.requires ? atlasMetric(row.requires) : undefined;
    const answers: Record<string, TableAnswer> = {};
    for (const [column, overrides] of Object.entries(row.designs)) {
      process.stderr.write(`atlas: seed 000's table: ${row.id} under ${column}\n`);
      const dir = join(outDir, 'seed-000', row.id, column);
      const { runs, stops } = await sweepAndMeasure(runner, {
        scenarioFile: row.scenario,
        axes: [],
        seeds: row.seeds,
        overrides,
        dir,
        label: `${label}/seed-000/${row.id}/${column}`,
      });
      const summary = summarize(metric, '(base)', runs, stops);
      const requires = required ? summarize(required, '(base)', runs, stops) : undefined;
      const answer = answerOf(summary, requires);
      const because =
        answer === 'not measured' && required
          ? `no ${required.label} in these runs, so the row is not measured`
          : `${metric.label}: ${describeSummary(summary)}`;
      answers[column] = { answer, overrides, measured: summary, ...(requires ? { requires } : {}), words: `${answer}: ${because}` };
    }
    const draft = answers['aauth-r01'];
    measured.push({
      id: row.id,
      question: row.question,
      scenario: relative(process.cwd(), row.scenario),
      draft_answer: row.draft_answer,
      metric: metricInfo(metric),
      answers,
      agrees_with_seed: draft && draft.answer !== 'not measured' ? draft.answer === row.draft_answer.toLowerCase() : null,
      ...(row.note ? { note: row.note } : {}),
    });
  }
  return measured;
}
