import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../analysis/report/svg.ts';
import { axesOf, loadSpec, shortLabel, stopCdfSpec, stopHeatmapSpec, tradeoffSpec } from '../../web/charts/specs.ts';

// Fixed rows in the shape of the named queries (designs, revocation_cdf, architect).
const DESIGNS = [
  { design: 'tokens.auth_ttl=5m, mode=none', params: { tokens_auth_ttl: '5m', mode: 'none' }, runs: 3, missions: 30, p99_stop_s: 280.5, ps_load_rps: 0.04, ps_token_rps: 0.04, meets: false, pareto: true },
  { design: 'tokens.auth_ttl=5m, mode=push', params: { tokens_auth_ttl: '5m', mode: 'push' }, runs: 3, missions: 30, p99_stop_s: 0.2, ps_load_rps: 0.041, ps_token_rps: 0.041, meets: true, pareto: true },
  { design: 'tokens.auth_ttl=1h, mode=none', params: { tokens_auth_ttl: '1h', mode: 'none' }, runs: 3, missions: 30, p99_stop_s: 3300, ps_load_rps: 0.006, ps_token_rps: 0.006, meets: false, pareto: true },
  { design: 'tokens.auth_ttl=1h, mode=push', params: { tokens_auth_ttl: '1h', mode: 'push' }, runs: 3, missions: 30, p99_stop_s: 0.1, ps_load_rps: 0.0065, ps_token_rps: 0.0065, meets: true, pareto: true },
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

  it('is the same SVG every time', async () => {
    expect(await renderSvg(stopHeatmapSpec(DESIGNS))).toBe(await renderSvg(stopHeatmapSpec(DESIGNS)));
  });
});
