import { describe, expect, it } from 'vitest';
import { atlasMetric } from '../../analysis/atlas-metrics.ts';
import { type AtlasDesign, atlasRow, pickBest } from '../../analysis/atlas-row.ts';
import { type MetricSummary, type RunValue, summarize } from '../../analysis/atlas-summary.ts';

const summary = (mean: number, low: number, high: number, unit = 's'): MetricSummary => ({
  metric: 'm',
  label: 'm',
  unit,
  n: 10,
  mean,
  ci95: { low, high },
  interval: 'bootstrap-bca',
});
const design = (name: string, failure: MetricSummary, cost: number): AtlasDesign => ({ design: name, name, failure, cost: summary(cost, cost, cost, 'req/s') });

describe('the best-alternative rule: the cheapest design whose failure interval clears the baseline', () => {
  const baseline = design('1h, no revocation', summary(3400, 3200, 3460), 0.0057);

  it("picks the cheapest qualifying design, not the one with the least failure (issue 20's 5m-push vs 1h-push)", () => {
    const fivePush = design('5m push', summary(0, 0, 0), 0.039);
    const oneHourPush = design('1h push', summary(0.07, 0, 0.24), 0.0063);
    expect(pickBest(baseline, [fivePush, oneHourPush], 'lower')?.design).toBe('1h push');
  });

  it('skips a cheaper design whose interval overlaps the baseline', () => {
    const cheapOverlapping = design('cheap', summary(3000, 2500, 3300), 0.001);
    const qualifying = design('qualifying', summary(200, 120, 300), 0.04);
    const dearer = design('dearer', summary(0, 0, 0), 0.4);
    expect(pickBest(baseline, [dearer, cheapOverlapping, qualifying], 'lower')?.design).toBe('qualifying');
  });

  it('names none when no interval clears the baseline', () => {
    expect(pickBest(baseline, [design('overlapping', summary(3300, 3100, 3500), 0.001)], 'lower')).toBeUndefined();
  });

  it('breaks a cost tie by the better failure, and reads "higher is better" for guarantees kept', () => {
    const a = design('a', summary(10, 9, 11), 1);
    const b = design('b', summary(3, 2, 4), 1);
    expect(pickBest(baseline, [a, b], 'lower')?.design).toBe('b');
    const kept = design('kept', summary(0, 0, 0), 1);
    expect(pickBest(kept, [design('six refused', summary(6, 6, 6), 2), design('one refused', summary(1, 0, 2), 1)], 'higher')?.design).toBe('six refused');
  });
});

describe('per-design summaries', () => {
  const runs = (design: string, metric: string, values: number[]): RunValue[] => values.map((value, i) => ({ design, seed: i + 1, metric, value }));

  it('a proportion gets a Wilson interval; a constant count gets none and says so; nothing random means n = 1', () => {
    const data = [...runs('d', 'runs_irreversible_after_termination', [1, 1, 1, 1, 1]), ...runs('d', 'outside_intent', [2, 2, 2, 2, 2])];
    const share = summarize(atlasMetric('runs_irreversible_after_termination'), 'd', data, []);
    expect(share).toMatchObject({ n: 5, mean: 1, interval: 'wilson' });
    expect(share.ci95?.high).toBe(1);
    expect(share.ci95?.low).toBeCloseTo(0.566, 2);
    const constant = summarize(atlasMetric('outside_intent'), 'd', data, []);
    expect(constant).toMatchObject({ n: 5, mean: 2, ci95: null, interval: null });
    expect(constant.note).toContain('the same in all 5 runs');
    expect(summarize(atlasMetric('outside_intent'), 'd', data, [], { deterministic: true })).toMatchObject({
      n: 1,
      ci95: null,
      note: 'the scenario has nothing random: one run is the answer',
    });
  });

  it('a count interval never goes below zero (the introspect case) and a checkpoint uses only its seeds', () => {
    const data = runs('d', 'outside_intent', [0, 0, 1, 0, 0, 0, 5, 5]);
    const all = summarize(atlasMetric('outside_intent'), 'd', data, []);
    expect(all.ci95?.low).toBeGreaterThanOrEqual(0);
    expect(all.interval).toBe('bootstrap-bca');
    expect(summarize(atlasMetric('outside_intent'), 'd', data, [], { maxSeed: 3 }).n).toBe(3);
  });

  it('a run without a row counts 0 only where the metric says why (no monitor: no gate decisions)', () => {
    const data = runs('off', 'outside_intent', [2, 2]);
    expect(summarize(atlasMetric('human_gate_load'), 'off', data, [])).toMatchObject({ n: 2, mean: 0 });
    expect(summarize(atlasMetric('crash_resume_s'), 'off', data, [])).toMatchObject({ n: 0, mean: null });
  });

  it('the pooled p99 runtime stop is one statistic over every mission of every run, distinct from the mean of per-run p99s', () => {
    const stops = [
      ...[10, 20, 30].map((s) => ({ design: 'd', seed: 1, revocation_window_s: s })),
      ...[100, 3000, 3500].map((s) => ({ design: 'd', seed: 2, revocation_window_s: s })),
    ];
    const data = runs('d', 'revocation_window_p99_s', [29.8, 3490]);
    const pooled = summarize(atlasMetric('stop_p99_pooled_s'), 'd', data, stops);
    expect(pooled.mean).toBeCloseTo(3500 - 0.05 * 500, 6);
    expect(pooled.interval).toBe('bootstrap-percentile');
    expect(summarize(atlasMetric('revocation_window_p99_s'), 'd', data, stops).mean).toBeCloseTo((29.8 + 3490) / 2, 6);
    expect(atlasMetric('stop_p99_pooled_s').label).not.toBe(atlasMetric('revocation_window_p99_s').label);
  });

  it('the gap row names the best by the rule and says it in words', () => {
    const data = [
      ...runs('base', 'runs_irreversible_after_termination', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
      ...runs('base', 'revocation_calls', [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]),
      ...runs('recall', 'runs_irreversible_after_termination', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      ...runs('recall', 'revocation_calls', [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]),
      ...runs('half', 'runs_irreversible_after_termination', [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]),
      ...runs('half', 'revocation_calls', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ];
    const row = atlasRow(
      {
        id: 'g',
        title: 't',
        seed: '000',
        scenario: 's',
        baseline: 'base',
        measure: 'runs_irreversible_after_termination',
        cost: 'revocation_calls',
        words: { recall: 'queued work recalled', base: 'AAuth r01' },
      },
      ['base', 'recall', 'half'],
      data,
      [],
    );
    // "half" is cheaper but its Wilson interval reaches the baseline's.
    expect(row.best?.design).toBe('recall');
    expect(row.finding).toContain(
      'With the baseline (AAuth r01), runs in which irreversible work executed after termination: 100% of runs [72.2%, 100%] (n = 10)',
    );
    expect(row.finding).toContain('the cheapest design that does better is queued work recalled: 0% of runs [0%, 27.8%] (n = 10)');
    expect(row.finding).not.toMatch(/irreversible_after_termination|revocation_calls/);
  });

  it('refuses a descriptive metric as a failure metric', () => {
    expect(() => atlasRow({ id: 'g', title: 't', seed: '', scenario: '', baseline: 'a', measure: 'cross_domain_disagreements' }, ['a'], [], [])).toThrow(
      /descriptive/,
    );
  });
});
