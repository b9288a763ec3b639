import type { Analysis, Row } from '../database.ts';
import type { AnalysisInput } from '../run-folders.ts';
import { containmentSpec, loadSpec, stopCdfSpec, stopHeatmapSpec, tradeoffSpec } from '../../web/charts/specs.ts';
import { escapeHtml, htmlTable, REPORT_CSS } from './html.ts';
import { renderSvg } from './svg.ts';

export interface ReportOptions {
  /** Bounds for the sizing section (the architect's question). */
  bounds: { max_p99_stop_s: number; max_ps_rps: number };
  /** Gap atlas rows, when the folder is an atlas. */
  atlas?: Array<Record<string, unknown>> | undefined;
}

/**
 * One self-contained HTML page: the atlas (if any), the revocation window,
 * sizing and load sections, with SVG charts rendered here from the same
 * specs and named queries the dashboard uses. Nothing to fetch, nothing to
 * run: it can be mailed.
 */
export async function buildReport(analysis: Analysis, input: AnalysisInput, options: ReportOptions): Promise<string> {
  const [designs, cdf, revocation, load, architect, containment] = await Promise.all([
    analysis.query('designs'),
    analysis.query('revocation_cdf'),
    analysis.query('revocation_window'),
    analysis.query('load'),
    analysis.query('architect', options.bounds),
    analysis.query('containment'),
  ]);
  const sections: string[] = [];
  if (options.atlas && options.atlas.length > 0) {
    sections.push(`<h2>Gap atlas</h2>${htmlTable(options.atlas as Row[], Object.keys(options.atlas[0] as Row))}`);
  }
  if (cdf.length === 0) {
    sections.push('<h2>Revocation window</h2><p class="empty">No mission was terminated in these runs, so there is no runtime stop to measure.</p>');
  } else {
    const withStops = designs.filter((row) => row.p99_stop_s !== null);
    sections.push(
      `<h2>Revocation window</h2><p class="help">Runtime stop: time from a mission's termination to the last of its operations that still executed, over every terminated mission of every seed.</p>` +
        `<div class="charts">${await renderSvg(stopHeatmapSpec(withStops))}${await renderSvg(stopCdfSpec(cdf))}</div>` +
        htmlTable(revocation, ['design', 'missions', 'p50_s', 'p95_s', 'p99_s', 'max_s', 'ops_after', 'irreversible_after', 'notified', 'control_plane_p50_s']),
    );
  }
  if (containment.length > 0) {
    sections.push(
      `<h2>Containment</h2><p class="help">Executed operations outside the person's intent (the oracle, truth.jsonl), by delegation depth; in red those the audit log alone cannot show.</p>` +
        `<div class="charts">${await renderSvg(containmentSpec(containment))}</div>` +
        htmlTable(containment, ['design', 'depth', 'ops_executed', 'outside_intent', 'outside_provable', 'outside_oracle_only']),
    );
  }
  const sized = architect.filter((row) => row.p99_stop_s !== null);
  sections.push(
    `<h2>Sizing: runtime stop against Person Server load</h2><p class="help">Bounds: p99 runtime stop at most ${options.bounds.max_p99_stop_s} s, PS requests (tokens + status checks) at most ${options.bounds.max_ps_rps} per second. Pareto: no other design is better on both.</p>` +
      `<div class="charts">${sized.length > 0 ? await renderSvg(tradeoffSpec(sized, options.bounds)) : ''}${await renderSvg(loadSpec(designs))}</div>` +
      htmlTable(architect, ['design', 'runs', 'missions', 'p99_stop_s', 'ps_load_rps', 'meets', 'pareto']),
    `<h2>Load</h2>` + htmlTable(load, ['design', 'runs', 'ps_token_rps', 'ps_peak_rps', 'ps_load_rps', 'as_token_rps', 'revocation_calls', 'status_checks', 'approvals', 'person_interactions']),
  );
  const title = `missionbench report: ${input.dir}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(input.kind)}, ${input.runs.length} runs${input.missing.length > 0 ? ` (${input.missing.length} planned runs not finished)` : ''}${input.axes.length > 0 ? `; grid: ${escapeHtml(input.axes.join(' x '))}` : ''}; missionbench ${escapeHtml(input.runs[0]?.version ?? '')}</p>
${sections.join('\n')}
</body></html>
`;
}
