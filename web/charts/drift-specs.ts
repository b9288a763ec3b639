/**
 * Drift: what the monitor let through per design (bars, with their note)
 * and, per run and agent, unintended operations over time with the alarms.
 */
import { formatDuration } from '../format.ts';
import { designColor, shortLabel, withAxes } from './design-encoding.ts';
import { DURATION_LABEL, linearDurationTicks } from './duration-axis.ts';
import { flatNote } from './flat-note.ts';
import { type Row, SCHEMA, type Spec, WIDTH } from './spec-basics.ts';

/**
 * Drift summary: mean operations the person did not intend that executed
 * before the monitor noticed, per design (rows of the `drift` query).
 * Clicking a bar selects its design (param `pick`), which filters the
 * timeline.
 */
export function driftSummarySpec(rows: readonly Row[]): Spec {
  return {
    $schema: SCHEMA,
    title: 'unintended operations before detection (mean per run)',
    width: WIDTH,
    data: {
      values: withAxes(rows).map((row) => ({
        ...row,
        delay_text: row.detection_delay_mean_s === null ? 'no alarm' : formatDuration(row.detection_delay_mean_s as number),
      })),
    },
    name: 'bars',
    params: [{ name: 'pick', select: { type: 'point', fields: ['design'], toggle: 'true' } }],
    mark: { type: 'bar', cursor: 'pointer' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'order' }, axis: { labelLimit: 240 }, title: 'design' },
      x: { field: 'unintended_before_detection', type: 'quantitative', title: 'unintended operations executed before the first alarm' },
      color: { field: 'irreversible_before_detection', type: 'quantitative', title: 'irreversible', scale: { scheme: 'orangered' } },
      opacity: { condition: { param: 'pick', empty: true, value: 1 }, value: 0.35 },
      tooltip: [
        { field: 'design' },
        { field: 'delay_text', title: 'detection delay (mean)' },
        { field: 'unintended_before_detection', format: '.3~r', title: 'unintended before detection' },
        { field: 'irreversible_before_detection', format: '.3~r', title: 'irreversible before detection' },
        { field: 'undetected_drifts', title: 'undetected drifts' },
        { field: 'false_alarms', title: 'false alarms' },
      ],
    },
  };
}

/** Why the drift bars would mislead: every design let the same number through. */
export function driftSummaryNote(rows: readonly Row[]): string | null {
  if (rows.length === 1) return null;
  return flatNote(
    rows.map((row) => row.unintended_before_detection),
    'Unintended operations before detection (mean per run)',
  );
}

/**
 * Drift timelines: per run and agent, the running count of executed
 * operations the person did not intend (the oracle's view) over simulated
 * time, coloured by design, with the monitor's alarms as red marks (rows of
 * the `drift_timeline` query). `selected` limits the lines to some designs.
 */
export function driftTimelineSpec(rows: readonly Row[], selected: readonly string[] = []): Spec {
  const values = rows.map((row) => ({ ...row, label: shortLabel(String(row.design)), line: `${String(row.run_id)} ${String(row.agent)}` }));
  const maxT = Math.max(0, ...rows.map((row) => Number(row.t_s ?? 0)));
  const x = {
    field: 't_s',
    type: 'quantitative',
    title: 'simulated time since the run started',
    axis: { labelExpr: DURATION_LABEL, values: linearDurationTicks(maxT) },
  };
  const y = { field: 'unintended_so_far', type: 'quantitative', title: 'unintended operations executed so far' };
  return {
    $schema: SCHEMA,
    title: "drift over time, with the monitor's alarms",
    width: WIDTH,
    height: 240,
    data: { values },
    params: [{ name: 'selected', value: [...selected] }],
    transform: [{ filter: 'length(selected) == 0 || indexof(selected, datum.design) >= 0' }],
    layer: [
      {
        name: 'lines',
        transform: [{ filter: "datum.kind === 'op'" }],
        mark: { type: 'line', interpolate: 'step-after', opacity: 0.7 },
        encoding: {
          x,
          y,
          detail: { field: 'line', type: 'nominal' },
          color: designColor(rows),
          tooltip: [
            { field: 'design' },
            { field: 'seed' },
            { field: 'agent' },
            { field: 't_s', format: '.1f', title: 'simulated time (s)' },
            { field: 'unintended_so_far' },
          ],
        },
      },
      {
        name: 'alarms',
        transform: [{ filter: "datum.kind === 'alarm'" }],
        mark: { type: 'point', shape: 'triangle-down', filled: true, size: 90, color: '#d62828' },
        encoding: { x, y, tooltip: [{ field: 'design' }, { field: 'seed' }, { field: 'agent' }, { field: 't_s', format: '.1f', title: 'alarm at (s)' }] },
      },
    ],
  };
}
