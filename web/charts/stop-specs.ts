/**
 * The runtime stop (termination to the last executed operation): the p99
 * per design as a heatmap on the sweep's grid, and the distribution of
 * every terminated mission's stop as curves, each with its note.
 */
import { formatDuration } from '../format.ts';
import { axesOf, axisTitle, designColor, shortLabel, withAxes } from './design-encoding.ts';
import { DURATION_LABEL, durationEnd, durationTicks } from './duration-axis.ts';
import { flatNote } from './flat-note.ts';
import { type Row, SCHEMA, type Spec, WIDTH } from './spec-basics.ts';

/**
 * Runtime stop heatmap: p99 stop (termination to the last executed
 * operation) per design, on the first two grid axes (e.g. token lifetime x
 * revocation mode). Clicking a cell selects its design (param `pick`).
 */
export function stopHeatmapSpec(designs: readonly Row[]): Spec {
  const axes = axesOf(designs);
  const values = withAxes(designs).map((row) => ({ ...row, stop_text: formatDuration(row.p99_stop_s as number | null) }));
  const maxStop = Math.max(0, ...designs.map((row) => Number(row.p99_stop_s ?? 0)));
  const x = axes[0]
    ? { field: `axis:${axes[0]}`, type: 'ordinal', sort: { field: 'order' }, title: axisTitle(axes[0]) }
    : { field: 'label', type: 'nominal', sort: { field: 'order' }, title: 'design' };
  const y = axes[1] ? { field: `axis:${axes[1]}`, type: 'ordinal', sort: { field: 'order' }, title: axisTitle(axes[1]) } : { value: 0 };
  return {
    $schema: SCHEMA,
    title: 'p99 runtime stop by design',
    width: WIDTH,
    height: axes[1] ? 220 : 60,
    data: { values },
    encoding: { x, y },
    layer: [
      {
        // The selection lives on the cells' layer: a layered spec may not declare it at the top.
        name: 'cells',
        params: [{ name: 'pick', select: { type: 'point', fields: ['design'], toggle: 'true' } }],
        mark: { type: 'rect', stroke: 'white', cursor: 'pointer' },
        encoding: {
          color: {
            field: 'p99_stop_s',
            type: 'quantitative',
            title: 'p99 stop',
            scale: { type: 'symlog', scheme: 'orangered', domain: [0, durationEnd(maxStop)] },
            legend: { labelExpr: DURATION_LABEL, values: durationTicks(maxStop) },
          },
          opacity: { condition: { param: 'pick', empty: true, value: 1 }, value: 0.35 },
          tooltip: [
            { field: 'design', type: 'nominal' },
            { field: 'stop_text', type: 'nominal', title: 'p99 stop' },
            { field: 'ps_load_rps', type: 'quantitative', format: '.3~r', title: 'PS load (req/s)' },
            { field: 'runs', type: 'quantitative' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'stop_text', type: 'nominal' },
          // White on the dark cells (the upper part of the symlog colour scale), dark elsewhere.
          color: { condition: { test: `log(1 + datum.p99_stop_s) > 0.6 * log(1 + ${durationEnd(maxStop)})`, value: 'white' }, value: '#222' },
        },
      },
    ],
  };
}

/** Why the runtime-stop heatmap would mislead (null: draw it): one design is one cell, nothing to compare. */
export function stopHeatmapNote(designs: readonly Row[]): string | null {
  if (designs.length === 1)
    return `One design only: its p99 runtime stop is ${formatDuration((designs[0] as Row).p99_stop_s as number | null)} (the table below has its figures); the heatmap compares designs.`;
  return flatNote(
    designs.map((row) => row.p99_stop_s),
    'p99 runtime stop',
    formatDuration,
  );
}

/**
 * Runtime-stop distribution curves: the fraction of terminated missions
 * stopped within t seconds, one line per design. `selected` (a param the
 * dashboard sets from the heatmap) limits the lines to some designs.
 */
export function stopCdfSpec(cdf: readonly Row[], selected: readonly string[] = []): Spec {
  const max = Math.max(0, ...cdf.map((row) => Number(row.window_s ?? 0)));
  return {
    $schema: SCHEMA,
    title: 'runtime stop: fraction of missions stopped within t',
    width: WIDTH,
    height: 240,
    data: { values: cdf.map((row) => ({ ...row, label: shortLabel(String(row.design)) })) },
    params: [{ name: 'selected', value: [...selected] }],
    transform: [{ filter: 'length(selected) == 0 || indexof(selected, datum.design) >= 0' }],
    name: 'curves',
    // Points too: a design whose missions all stopped at one time is a single step, still visible.
    mark: { type: 'line', interpolate: 'step-after', point: { size: 30 } },
    encoding: {
      x: {
        field: 'window_s',
        type: 'quantitative',
        title: 'termination to last executed operation',
        scale: { type: 'symlog', domain: [0, durationEnd(max)] },
        axis: { values: durationTicks(max), labelExpr: DURATION_LABEL },
      },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of missions', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
      color: designColor(cdf),
      tooltip: [
        { field: 'design' },
        { field: 'window_s', format: '.3~r', title: 'stopped within (s)' },
        { field: 'fraction', format: '.0%', title: 'fraction of missions' },
      ],
    },
  };
}

/** Why the runtime-stop curves would mislead: every stop the same value collapses every curve onto one vertical line. */
export function stopCdfNote(cdf: readonly Row[]): string | null {
  const windows = cdf.map((row) => row.window_s);
  if (cdf.length === 1) return `One terminated mission, stopped after ${formatDuration((cdf[0] as Row).window_s as number)}: there is no distribution to draw.`;
  const note = flatNote(windows, 'Runtime stop of every terminated mission', formatDuration);
  return note && cdf.length > 0 ? note.replace(' for every design', ' for every mission of every design') : note;
}
