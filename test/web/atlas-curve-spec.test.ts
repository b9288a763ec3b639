import { describe, expect, it } from 'vitest';
import type { AtlasCurve } from '../../analysis/atlas-row.ts';
import type { MetricSummary } from '../../analysis/atlas-summary.ts';
import { curveSpec } from '../../web/charts/atlas-curve-spec.ts';

const summary = (mean: number, ci?: [number, number]): MetricSummary => ({
  metric: 'm',
  label: 'm',
  unit: 's',
  n: 5,
  mean,
  ci95: ci ? { low: ci[0], high: ci[1] } : null,
  interval: ci ? 'bootstrap-bca' : null,
});

const curve = (points: AtlasCurve['points']): AtlasCurve => ({
  assumption: 'revocation delivery delay',
  path: 'p',
  status: 'measured',
  alternative: 'a',
  points,
  swaps: [],
  summary: '',
});

describe('the verdict curve chart', () => {
  it('draws the baseline and the alternative with their intervals at each value, the verdict in the axis label', () => {
    const spec = curveSpec(
      curve([
        { value: 'const(1s)', baseline: summary(3400, [3200, 3460]), alternative: summary(0.1, [0, 0.2]), verdict: 'alternative better' },
        { value: 'const(2h)', baseline: summary(3400, [3200, 3460]), alternative: summary(3400, [3200, 3460]), verdict: 'indistinguishable' },
      ]),
      'p99 runtime stop',
      's',
    );
    expect(spec).toMatchSnapshot();
    expect(JSON.stringify(spec)).toContain('const(2h) (indistinguishable)');
  });

  it('draws nothing when every point has the same value, or the curve is pending', () => {
    expect(
      curveSpec(
        curve([
          { value: '1', baseline: summary(0), alternative: summary(0), verdict: 'indistinguishable' },
          { value: '2', baseline: summary(0), alternative: summary(0), verdict: 'indistinguishable' },
        ]),
        'x',
        's',
      ),
    ).toBeNull();
    expect(curveSpec({ assumption: 'person error rate', status: 'pending', pending: 'not modelled' }, 'x', 's')).toBeNull();
  });
});
