import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../analysis/report/svg.ts';
import {
  axesOf,
  linearDurationTicks,
  containmentNote,
  containmentSpec,
  driftSummaryNote,
  driftSummarySpec,
  driftTimelineSpec,
  durationTicks,
  lifecycleCosts,
  lifecycleNote,
  lifecycleSpec,
  loadNote,
  loadSpec,
  shortLabel,
  stopCdfNote,
  stopCdfSpec,
  stopHeatmapNote,
  stopHeatmapSpec,
  tradeoffNote,
  tradeoffSpec,
} from '../../web/charts/specs.ts';
import { formatClock, formatDuration, formatRate, formatWallClock } from '../../web/format.ts';

// Fixed rows in the shape of the named queries (designs, revocation_cdf, architect).
const DESIGNS = [
  {
    design: 'tokens.auth_ttl=5m, mode=none',
    params: { tokens_auth_ttl: '5m', mode: 'none' },
    runs: 3,
    missions: 30,
    p99_stop_s: 280.5,
    ps_load_rps: 0.04,
    ps_token_rps: 0.04,
    meets: false,
    pareto: true,
  },
  {
    design: 'tokens.auth_ttl=5m, mode=push',
    params: { tokens_auth_ttl: '5m', mode: 'push' },
    runs: 3,
    missions: 30,
    p99_stop_s: 0.2,
    ps_load_rps: 0.041,
    ps_token_rps: 0.041,
    meets: true,
    pareto: true,
  },
  {
    design: 'tokens.auth_ttl=1h, mode=none',
    params: { tokens_auth_ttl: '1h', mode: 'none' },
    runs: 3,
    missions: 30,
    p99_stop_s: 3300,
    ps_load_rps: 0.006,
    ps_token_rps: 0.006,
    meets: false,
    pareto: true,
  },
  {
    design: 'tokens.auth_ttl=1h, mode=push',
    params: { tokens_auth_ttl: '1h', mode: 'push' },
    runs: 3,
    missions: 30,
    p99_stop_s: 0.1,
    ps_load_rps: 0.0065,
    ps_token_rps: 0.0065,
    meets: true,
    pareto: true,
  },
];
// Rows in the shape of the drift, drift_timeline and lifecycle queries.
const DRIFT = [
  {
    design: 'monitor.enabled=false',
    params: { monitor_enabled: 'false' },
    runs: 2,
    drifting_agents: 2,
    detection_delay_mean_s: null,
    unintended_before_detection: 10.5,
    irreversible_before_detection: 2,
    undetected_drifts: 2,
    false_alarms: 0,
  },
  {
    design: 'monitor.enabled=true',
    params: { monitor_enabled: 'true' },
    runs: 2,
    drifting_agents: 2,
    detection_delay_mean_s: 328.2,
    unintended_before_detection: 2.5,
    irreversible_before_detection: 0,
    undetected_drifts: 0,
    false_alarms: 0,
  },
];
const TIMELINE = DRIFT.flatMap((row, d) => [
  ...[0, 1, 2, 3].map((i) => ({
    design: row.design,
    run_id: `r${d}`,
    seed: 1,
    agent: 'analyst',
    kind: 'op',
    t_s: 100 * i,
    unintended_so_far: Math.max(0, i - 1) * (d + 1),
  })),
  ...(d === 1 ? [{ design: row.design, run_id: 'r1', seed: 1, agent: 'analyst', kind: 'alarm', t_s: 250, unintended_so_far: 2 }] : []),
]);
const LIFECYCLE = [
  {
    design: 'profile=aauth-r01',
    params: { profile: 'aauth-r01' },
    runs: 2,
    ops_during_pause: 0,
    work_lost: 0,
    re_approvals: 1,
    time_to_resume_s: 150,
    crash_resume_s: null,
    person_interactions: 2,
    refusals_during_pause: 1,
  },
  {
    design: 'profile=aauth-m0',
    params: { profile: 'aauth-m0' },
    runs: 2,
    ops_during_pause: 4,
    work_lost: 0,
    re_approvals: 0,
    time_to_resume_s: 4.8,
    crash_resume_s: null,
    person_interactions: 1,
    refusals_during_pause: 14450,
  },
  {
    design: 'profile=mission-authority',
    params: { profile: 'mission-authority' },
    runs: 2,
    ops_during_pause: 0,
    work_lost: 0,
    re_approvals: 0,
    time_to_resume_s: 5.4,
    crash_resume_s: null,
    person_interactions: 1,
    refusals_during_pause: 11050,
  },
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
    const timeline = driftTimelineSpec(TIMELINE, ['monitor.enabled=true']) as {
      params: Array<{ name: string; value: string[] }>;
      layer: Array<{ name: string }>;
    };
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

  it('lifecycle costs, one small chart per cost that differs between designs', async () => {
    const svg = await renderSvg(lifecycleSpec(LIFECYCLE));
    const { drawn, flat } = lifecycleCosts(LIFECYCLE);
    for (const [, title] of drawn) expect(svg).toContain(title.slice(0, 20));
    // Zero or absent for every profile: said in words, not drawn as empty panels.
    expect(flat).toEqual(['ops lost (recalled): 0 for every design', 'resume after crash (s): no value in these runs']);
    expect(svg).not.toContain('ops lost');
    expect(svg).not.toContain('0.000000');
    await expect(svg).toMatchFileSnapshot('__snapshots__/lifecycle.svg');
  });

  it('is the same SVG every time', async () => {
    expect(await renderSvg(stopHeatmapSpec(DESIGNS))).toBe(await renderSvg(stopHeatmapSpec(DESIGNS)));
  });
});

// 16 designs, as the architect's 4 x 4 sizing sweep has.
const MODES = ['none', 'push', 'introspect', 'cache'];
const SIXTEEN = ['1m', '5m', '15m', '1h'].flatMap((ttl, i) =>
  MODES.map((mode, j) => ({
    design: `tokens.auth_ttl=${ttl}, topology.resources[ledger].revocation.mode=${mode}`,
    params: { tokens_auth_ttl: ttl, mode },
    runs: 3,
    missions: 30,
    p99_stop_s:
      mode === 'none' ? ([55, 290, 880, 3300][i] as number) : mode === 'push' ? 0.2 : mode === 'introspect' ? 0.5 + i : ([30, 60, 120, 300][i] as number),
    ps_load_rps: ([0.16, 0.039, 0.013, 0.0057][i] as number) * (mode === 'introspect' ? 3 : 1) + j * 0.0003,
    pareto: false,
  })),
);

describe('charts that never mislead', () => {
  it('say in words when the data are absent, all zero or all equal', () => {
    const zeros = [
      { design: 'a', depth: 0, ops_executed: 40, outside_intent: 0, outside_provable: 0, outside_oracle_only: 0 },
      { design: 'a', depth: 1, ops_executed: 12, outside_intent: 0, outside_provable: 0, outside_oracle_only: 0 },
    ];
    expect(containmentNote(zeros)).toBe(
      "None of the 52 executed operations fell outside the person's intent, at any hop depth, in any design: nothing to draw.",
    );
    expect(containmentNote([])).toContain('nothing to draw');
    expect(containmentNote([{ ...zeros[0], outside_intent: 2, outside_provable: 1, outside_oracle_only: 1 }])).toBeNull();
    const sameStops = DESIGNS.map((row) => ({ design: row.design, window_s: 0, fraction: 1 }));
    expect(stopCdfNote(sameStops)).toBe('Runtime stop of every terminated mission: 0 for every mission of every design, so there is nothing to draw.');
    expect(stopCdfNote(CDF.map((row) => ({ ...row, window_s: 42 })))).toBe(
      'Runtime stop of every terminated mission: 42 s for every mission of every design, so there is nothing to compare.',
    );
    expect(stopCdfNote(CDF)).toBeNull();
    expect(stopHeatmapNote(DESIGNS.map((row) => ({ ...row, p99_stop_s: 120 })))).toBe(
      'p99 runtime stop: 2 min for every design, so there is nothing to compare.',
    );
    expect(loadNote(DESIGNS.map((row) => ({ ...row, ps_load_rps: 0 })))).toBe('Person Server load: 0 for every design, so there is nothing to draw.');
    expect(tradeoffNote(DESIGNS.map((row) => ({ ...row, p99_stop_s: null })))).toContain('No design has a terminated mission');
    expect(tradeoffNote(DESIGNS.map((row) => ({ ...row, p99_stop_s: 5, ps_load_rps: 0.01 })))).toBe(
      'Every design has the same p99 runtime stop (5 s) and Person Server load (0.01 req/s): there is no trade-off to draw.',
    );
    expect(driftSummaryNote(DRIFT.map((row) => ({ ...row, unintended_before_detection: 0 })))).toContain('0 for every design');
    expect(lifecycleNote(LIFECYCLE.map((row) => ({ ...row, re_approvals: 0, time_to_resume_s: 0, ops_during_pause: 0, person_interactions: 1 })))).toMatch(
      /^Every lifecycle cost is the same for every design \(.*person asked \(times\): 1 for every design\): nothing to compare\.$/,
    );
    expect(lifecycleNote(LIFECYCLE)).toBeNull();
  });

  it('format numbers with units: durations in s/min/h, rates per second, times as clock times', () => {
    expect([0.25, 42, 120, 3230, 5400].map(formatDuration)).toEqual(['0.25 s', '42 s', '2 min', '53.8 min', '1.5 h']);
    expect(formatRate(0.0391)).toBe('0.0391 req/s');
    expect(formatClock(192_450_123)).toBe('00:03:12.450');
    expect(formatWallClock('09:00', 192_450_123)).toBe('09:03:12.450');
    expect(durationTicks(3300)).toEqual([0, 1, 10, 60, 600, 3600]);
    expect(durationTicks(0.2)).toEqual([0, 0.1, 1]);
    expect(linearDurationTicks(300)).toEqual([0, 60, 120, 180, 240, 300]);
    expect(linearDurationTicks(2000)).toEqual([0, 600, 1200, 1800]);
    expect(durationTicks(540)).toEqual([0, 1, 10, 60, 600]);
  });

  it('trade-off with 16 designs: every point labelled by rank, the cheapest ringed, the bounds labelled, round duration ticks', async () => {
    const svg = await renderSvg(tradeoffSpec(SIXTEEN, { max_p99_stop_s: 120, max_ps_rps: 0.02 }));
    for (let rank = 1; rank <= 16; rank++) expect(svg).toContain(`>#${rank}<`);
    expect(svg).toContain('cheapest meeting both (#2)');
    expect(svg).toContain('p99 stop bound 2 min');
    expect(svg).toContain('PS budget 0.02 req/s');
    for (const tick of ['>1 s<', '>10 s<', '>60 s<', '>10 min<']) expect(svg).toContain(tick);
    // Meets and misses differ in shape, not colour alone.
    expect(svg).toContain('meets both bounds');
    expect(svg).toContain('misses a bound');
    await expect(svg).toMatchFileSnapshot('__snapshots__/tradeoff-16.svg');
  });

  it('containment: designs in query order, each grid value on its own header line, whole-number ticks', async () => {
    const designs = ['authority=text', 'authority=scopes', 'authority=envelope, narrowing=at-mint'];
    const rows = designs.flatMap((design, d) =>
      [0, 1].map((depth) => ({ design, depth, ops_executed: 20, outside_intent: d + depth, outside_provable: depth, outside_oracle_only: d })),
    );
    const svg = await renderSvg(containmentSpec(rows));
    const titles = [...svg.matchAll(/aria-label="Title text '([^']*)'/g)].map((m) => m[1]);
    expect(titles.slice(0, 4)).toEqual(['design', 'text', 'scopes', 'envelope at-mint']);
    // The two grid values of the last design are two lines (two tspans), not one long overlapping label.
    expect(svg).toMatch(/<tspan[^>]*>envelope<\/tspan><tspan[^>]*>at-mint<\/tspan>/);
    expect(svg).not.toMatch(/>0\.5</);
    await expect(svg).toMatchFileSnapshot('__snapshots__/containment.svg');
  });

  it('trade-off: designs at one point share one label instead of overprinting', async () => {
    const same = DESIGNS.map((row, i) => ({ ...row, ps_load_rps: 0.01, p99_stop_s: i < 3 ? 5 : 500 }));
    const svg = await renderSvg(tradeoffSpec(same, { max_p99_stop_s: 60, max_ps_rps: 0.02 }));
    expect(svg).toContain('>#1 #2 #3<');
    expect(svg).toContain('>#4<');
  });

  it('runtime-stop curves for 16 designs use 16 different colours', async () => {
    const cdf = SIXTEEN.flatMap((row) => [0.1, 0.5, 1].map((fraction, i) => ({ design: row.design, window_s: (row.p99_stop_s / 2) * i, fraction })));
    const svg = await renderSvg(stopCdfSpec(cdf));
    const strokes = new Set(
      [...svg.matchAll(/class="mark-line[^"]*"[^>]*>.*?<\/g>/gs)].flatMap((group) => [...group[0].matchAll(/stroke="(#[0-9a-f]{6})"/g)].map((m) => m[1])),
    );
    expect(strokes.size).toBe(16);
  });
});
