import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../analysis/report/svg.ts';
import { axesOf, driftSummarySpec, driftTimelineSpec, lifecycleSpec, LIFECYCLE_COSTS, loadSpec, shortLabel, stopCdfSpec, stopHeatmapSpec, tradeoffSpec } from '../../web/charts/specs.ts';

// Fixed rows in the shape of the named queries (designs, revocation_cdf, architect).
const DESIGNS = [
  { design: 'tokens.auth_ttl=5m, mode=none', params: { tokens_auth_ttl: '5m', mode: 'none' }, runs: 3, missions: 30, p99_stop_s: 280.5, ps_load_rps: 0.04, ps_token_rps: 0.04, meets: false, pareto: true },
  { design: 'tokens.auth_ttl=5m, mode=push', params: { tokens_auth_ttl: '5m', mode: 'push' }, runs: 3, missions: 30, p99_stop_s: 0.2, ps_load_rps: 0.041, ps_token_rps: 0.041, meets: true, pareto: true },
  { design: 'tokens.auth_ttl=1h, mode=none', params: { tokens_auth_ttl: '1h', mode: 'none' }, runs: 3, missions: 30, p99_stop_s: 3300, ps_load_rps: 0.006, ps_token_rps: 0.006, meets: false, pareto: true },
  { design: 'tokens.auth_ttl=1h, mode=push', params: { tokens_auth_ttl: '1h', mode: 'push' }, runs: 3, missions: 30, p99_stop_s: 0.1, ps_load_rps: 0.0065, ps_token_rps: 0.0065, meets: true, pareto: true },
];
// Rows in the shape of the drift, drift_timeline and lifecycle queries.
const DRIFT = [
  { design: 'monitor.enabled=false', params: { monitor_enabled: 'false' }, runs: 2, drifting_agents: 2, detection_delay_mean_s: null, unintended_before_detection: 10.5, irreversible_before_detection: 2, undetected_drifts: 2, false_alarms: 0 },
  { design: 'monitor.enabled=true', params: { monitor_enabled: 'true' }, runs: 2, drifting_agents: 2, detection_delay_mean_s: 328.2, unintended_before_detection: 2.5, irreversible_before_detection: 0, undetected_drifts: 0, false_alarms: 0 },
];
const TIMELINE = DRIFT.flatMap((row, d) => [
  ...[0, 1, 2, 3].map((i) => ({ design: row.design, run_id: `r${d}`, seed: 1, agent: 'analyst', kind: 'op', t_s: 100 * i, unintended_so_far: Math.max(0, i - 1) * (d + 1) })),
  ...(d === 1 ? [{ design: row.design, run_id: 'r1', seed: 1, agent: 'analyst', kind: 'alarm', t_s: 250, unintended_so_far: 2 }] : []),
]);
const LIFECYCLE = [
  { design: 'profile=aauth-r01', params: { profile: 'aauth-r01' }, runs: 2, ops_during_pause: 0, work_lost: 0, re_approvals: 1, time_to_resume_s: 150, crash_resume_s: null, person_interactions: 2, refusals_during_pause: 1 },
  { design: 'profile=aauth-m0', params: { profile: 'aauth-m0' }, runs: 2, ops_during_pause: 4, work_lost: 0, re_approvals: 0, time_to_resume_s: 4.8, crash_resume_s: null, person_interactions: 1, refusals_during_pause: 14450 },
  { design: 'profile=mission-authority', params: { profile: 'mission-authority' }, runs: 2, ops_during_pause: 0, work_lost: 0, re_approvals: 0, time_to_resume_s: 5.4, crash_resume_s: null, person_interactions: 1, refusals_during_pause: 11050 },
];
const CDF = DESIGNS.flatMap((row) => [0.1, 0.5, 1].map((fraction, i) => ({ design: row.design, window_s: (row.p99_stop_s / 2) * i, fraction })));

describe('chart specs', () => {
  it('read the grid axes from the designs and label designs by their values', () => {
    expect(axesOf(DESIGNS)).toEqual(['tokens_auth_ttl', 'mode']);
    expect(shortLabel('tokens.auth_ttl=5m, topology.resources[ledger].revocation.mode=push')).toBe('5m · push');
    expect(shortLabel('(single run)')).toBe('(single run)');
  });

  it('put the heatmap selection on the cells and let the curves be filtered', () => {
    const heatmap = stopHeatmapSpec(DESIGNS) as { layer: Array<{ params?: Array<{ name: string }> }> };
    expect(heatmap.layer[0]?.params?.[0]?.name).toBe('pick');
    const cdf = stopCdfSpec(CDF, ['tokens.auth_ttl=5m, mode=push']) as { params: Array<{ name: string; value: string[] }> };
    expect(cdf.params[0]).toEqual({ name: 'selected', value: ['tokens.auth_ttl=5m, mode=push'] });
  });

  it('let the drift bars select designs and the drift timelines be filtered by them', () => {
    const bars = driftSummarySpec(DRIFT) as { params: Array<{ name: string }> };
    expect(bars.params[0]?.name).toBe('pick');
    const timeline = driftTimelineSpec(TIMELINE, ['monitor.enabled=true']) as { params: Array<{ name: string; value: string[] }>; layer: Array<{ name: string }> };
    expect(timeline.params[0]).toEqual({ name: 'selected', value: ['monitor.enabled=true'] });
    expect(timeline.layer.map((layer) => layer.name)).toEqual(['lines', 'alarms']);
  });
});

// Snapshot tests: the SVG the report embeds, rendered in Node. A change in a
// chart's look shows up here as a diff to review (vitest -u accepts it).
describe('charts rendered to SVG', () => {
  it('heatmap', async () => {
    const svg = await renderSvg(stopHeatmapSpec(DESIGNS));
    expect(svg).toContain('3300');
    await expect(svg).toMatchFileSnapshot('__snapshots__/heatmap.svg');
  });

  it('runtime-stop curves', async () => {
    const svg = await renderSvg(stopCdfSpec(CDF));
    expect(svg).toContain('1h · push');
    await expect(svg).toMatchFileSnapshot('__snapshots__/stop-cdf.svg');
  });

  it('trade-off', async () => {
    const svg = await renderSvg(tradeoffSpec(DESIGNS, { max_p99_stop_s: 60, max_ps_rps: 0.02 }));
    expect(svg).toContain('meets both bounds');
    await expect(svg).toMatchFileSnapshot('__snapshots__/tradeoff.svg');
  });

  it('load', async () => {
    const svg = await renderSvg(loadSpec(DESIGNS));
    expect(svg).toContain('5m · none');
    await expect(svg).toMatchFileSnapshot('__snapshots__/load.svg');
  });

  it('drift summary and timeline', async () => {
    const summary = await renderSvg(driftSummarySpec(DRIFT));
    expect(summary).toContain('unintended operations executed before the first alarm');
    await expect(summary).toMatchFileSnapshot('__snapshots__/drift-summary.svg');
    const timeline = await renderSvg(driftTimelineSpec(TIMELINE));
    // One line group per run and agent (two runs), one alarm layer.
    expect(timeline.match(/role-mark lines_marks/g)).toHaveLength(2);
    expect(timeline.match(/role-mark alarms_marks/g)).toHaveLength(1);
    await expect(timeline).toMatchFileSnapshot('__snapshots__/drift-timeline.svg');
  });

  it('lifecycle costs, one small chart per cost', async () => {
    const svg = await renderSvg(lifecycleSpec(LIFECYCLE));
    for (const [, title] of LIFECYCLE_COSTS) expect(svg).toContain(title.slice(0, 20));
    expect(svg).not.toContain('0.000000');
    await expect(svg).toMatchFileSnapshot('__snapshots__/lifecycle.svg');
  });

  it('is the same SVG every time', async () => {
    expect(await renderSvg(stopHeatmapSpec(DESIGNS))).toBe(await renderSvg(stopHeatmapSpec(DESIGNS)));
  });
});
