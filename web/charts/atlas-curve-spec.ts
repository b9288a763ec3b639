import type { AtlasCurve } from '../../analysis/atlas-row.ts';

/**
 * A verdict curve as a chart: the failure metric of the baseline and of the
 * alternative at each value of the assumption (dot: the estimate; bar: its
 * 95% interval, none when the metric was the same in every run), with the
 * verdict at each value as the x-axis label. Null when there is nothing a
 * chart would add: a pending curve, no point, or every value the same (the
 * caller says so in words instead of drawing a flat line).
 */
export function curveSpec(curve: AtlasCurve, metricLabel: string, unit: string): Record<string, unknown> | null {
  const points = curve.points ?? [];
  if (curve.status !== 'measured' || points.length === 0) return null;
  const values = points
    .flatMap((point, order) =>
      (['baseline', 'alternative'] as const).map((role) => {
        const summary = point[role];
        return {
          order,
          value: `${point.value} (${point.verdict})`,
          role,
          mean: summary.mean,
          low: summary.ci95?.low ?? summary.mean,
          high: summary.ci95?.high ?? summary.mean,
        };
      }),
    )
    .filter((row) => row.mean !== null);
  if (values.length === 0 || values.every((row) => row.low === values[0]?.low && row.high === values[0]?.high)) return null;
  const x = { field: 'value', type: 'ordinal', sort: { field: 'order' }, title: curve.assumption, axis: { labelAngle: 0, labelLimit: 180 } };
  const y = { field: 'mean', type: 'quantitative', title: `${metricLabel} (${unit})`, axis: { titleLimit: 320 } };
  const color = { field: 'role', type: 'nominal', scale: { domain: ['baseline', 'alternative'], range: ['#e76f51', '#2a9d8f'] }, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: `Verdict over ${curve.assumption}`, limit: 520 },
    width: 460,
    height: 220,
    data: { values },
    encoding: { x, xOffset: { field: 'role' }, color },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y: { field: 'low', type: 'quantitative', title: y.title }, y2: { field: 'high' } } },
      { mark: { type: 'point', filled: true, size: 70 }, encoding: { y } },
    ],
  };
}
