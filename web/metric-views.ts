/**
 * The metric views: revocation window, containment, drift and lifecycle,
 * each filled from its named queries, or empty with what would fill it.
 */
import { query } from './api.ts';
import { drawChart } from './chart-frame.ts';
import {
  containmentNote,
  containmentSpec,
  driftSummaryNote,
  driftSummarySpec,
  driftTimelineSpec,
  LIFECYCLE_COLUMNS,
  lifecycleCosts,
  lifecycleNote,
  lifecycleSpec,
  stopCdfNote,
  stopCdfSpec,
  stopHeatmapNote,
  stopHeatmapSpec,
} from './charts/specs.ts';
import { dataTable } from './table.ts';
import { empty, linkDesignSelection, SHOWN, slots, type ViewOutcome } from './view.ts';

// --- Revocation window explorer: the heatmap's selection filters the curves ---

export async function showRevocation(body: HTMLElement): Promise<ViewOutcome> {
  const [designs, cdf, summary] = await Promise.all([query('designs'), query('revocation_cdf'), query('revocation_window')]);
  if (cdf.length === 0) {
    return empty(
      'No mission was terminated in these runs, so there is no runtime stop to measure. A sweep of a scenario with interventions (e.g. scenarios/token-lifetime-sizing.yaml) fills this view.',
    );
  }
  const withStops = designs.filter((row) => row.p99_stop_s !== null);
  const [heatmap, curves, table] = slots(body, 'chart-heatmap', 'chart-cdf', 'table-revocation') as [HTMLElement, HTMLElement, HTMLElement];
  const heat = await drawChart(heatmap, stopHeatmapSpec(withStops), 'runtime-stop-heatmap', stopHeatmapNote(withStops));
  const lines = await drawChart(curves, stopCdfSpec(cdf), 'runtime-stop-curves', stopCdfNote(cdf));
  linkDesignSelection(heat, lines, 'selectedDesigns');
  dataTable(table, summary, ['design', 'missions', 'p50_s', 'p95_s', 'p99_s', 'max_s', 'ops_after', 'irreversible_after', 'notified', 'control_plane_p50_s'], {
    name: 'revocation-window',
  });
  return SHOWN;
}

// --- Containment, drift and lifecycle: the authority, alignment and lifecycle metrics ---

export async function showContainment(body: HTMLElement): Promise<ViewOutcome> {
  const rows = await query('containment');
  if (rows.length === 0) {
    return empty(
      'No executed operation carries ground truth in these runs (truth.jsonl records of kind op). A sweep of an authority scenario (e.g. scenarios/vendor-onboarding-chain.yaml over topology.person_servers[0].authority=text,envelope) fills this view with operations outside the intent by hop depth.',
    );
  }
  const [chart, table] = slots(body, 'chart-containment', 'table-containment') as [HTMLElement, HTMLElement];
  await drawChart(chart, containmentSpec(rows), 'containment', containmentNote(rows));
  dataTable(table, rows, ['design', 'depth', 'ops_executed', 'outside_intent', 'outside_provable', 'outside_oracle_only'], { name: 'containment' });
  return SHOWN;
}

export async function showDrift(body: HTMLElement): Promise<ViewOutcome> {
  const [summary, timeline] = await Promise.all([query('drift'), query('drift_timeline')]);
  if (!summary.some((row) => (row.drifting_agents as number) > 0 || (row.false_alarms as number) > 0)) {
    return empty(
      "No agent in these runs executed an operation its person did not intend, and no monitor raised an alarm. A sweep of a drift scenario (e.g. scenarios/due-diligence-drift.yaml over monitor.enabled=false,true) fills this view with drift timelines and the monitor's alarms.",
    );
  }
  const [barsTarget, linesTarget, table] = slots(body, 'chart-drift-summary', 'chart-drift', 'table-drift') as [HTMLElement, HTMLElement, HTMLElement];
  const bars = await drawChart(barsTarget, driftSummarySpec(summary), 'drift-summary', driftSummaryNote(summary));
  const lines = await drawChart(linesTarget, driftTimelineSpec(timeline), 'drift-timelines');
  linkDesignSelection(bars, lines, 'driftSelected');
  dataTable(
    table,
    summary,
    [
      'design',
      'runs',
      'drifting_agents',
      'detection_delay_mean_s',
      'detection_delay_max_s',
      'unintended_before_detection',
      'irreversible_before_detection',
      'undetected_drifts',
      'false_alarms',
    ],
    { name: 'drift' },
  );
  return SHOWN;
}

export async function showLifecycle(body: HTMLElement): Promise<ViewOutcome> {
  const rows = await query('lifecycle');
  if (rows.length === 0) {
    return empty(
      'No lifecycle event beyond termination in these runs (no pause, cancellation, completion, time-out, re-proposal or runtime crash). A sweep of scenarios/compliance-pause.yaml over profile=aauth-r01,aauth-m0,mission-authority, or of scenarios/failover-resume.yaml over agents[reconciler].authority_binding=class,runtime, fills this view.',
    );
  }
  const [chart, table] = slots(body, 'chart-lifecycle', 'table-lifecycle') as [HTMLElement, HTMLElement];
  await drawChart(chart, lifecycleSpec(rows), 'lifecycle', lifecycleNote(rows));
  const { flat } = lifecycleCosts(rows);
  if (flat.length > 0 && lifecycleNote(rows) === null) {
    const line = document.createElement('p');
    line.className = 'help';
    line.textContent = `Not drawn, the same for every design: ${flat.join('; ')}.`;
    chart.append(line);
  }
  dataTable(table, rows, LIFECYCLE_COLUMNS, { name: 'lifecycle' });
  return SHOWN;
}
