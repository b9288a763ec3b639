/**
 * The dashboard's and the report's charts, as vega-lite specs built from the
 * rows of named queries (analysis/sql/queries). One definition per chart: the
 * browser embeds them with vega-embed, `missionbench report` renders the
 * same specs to SVG in Node. Only import-free modules are imported, so both
 * can load this file.
 *
 * A chart whose data are absent, all zero or all equal would draw nothing
 * or a misleading axis (a "0.000000" tick, curves collapsed onto one line):
 * each chart has a `...Note` function that says so in words instead, and
 * the dashboard and report show the note in place of the chart.
 */
import { formatDuration, formatRate, significant } from '../format.ts';

type Row = Record<string, unknown>;
type Spec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 420;

/** Designs' colours: 10 strong hues, or 20 when there are more designs (category10 would repeat after 10). */
function designScheme(rows: readonly Row[]): string {
  return new Set(rows.map((row) => row.design)).size > 10 ? 'tableau20' : 'tableau10';
}

/** Axis labels for seconds as durations: 45 s, 2 min, 1.5 h (vega expression). */
export const DURATION_LABEL =
  "datum.value == 0 ? '0' : abs(datum.value) < 90 ? format(datum.value, '~r') + ' s' : abs(datum.value) < 3600 ? format(datum.value / 60, '.2~r') + ' min' : format(datum.value / 3600, '.2~r') + ' h'";

/**
 * Tick values for a duration axis from 0 to at least `max` seconds on a
 * symlog scale: round durations (1 s, 10 s, 60 s, 10 min, 1 h…), not
 * 0/500/1000, ending at the first one at or above `max`, so the axis can
 * end there too (domain [0, last tick]).
 */
export function durationTicks(max: number): number[] {
  const candidates = [0, ...(max < 10 ? [0.1] : []), 1, 10, 60, 600, 3600, 6 * 3600, 86_400, 7 * 86_400];
  const end = candidates.findIndex((value) => value >= max);
  return candidates.slice(0, end < 0 ? candidates.length : Math.max(end + 1, 2));
}

/** Tick values for a linear duration axis from 0 to `max` seconds: a round step (10 s, 1 min, 5 min, 1 h…), at most 7 ticks. */
export function linearDurationTicks(max: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 4 * 3600, 6 * 3600, 12 * 3600, 86_400, 7 * 86_400];
  const step = steps.find((candidate) => max / candidate <= 6) ?? Math.ceil(max / 6);
  const ticks: number[] = [];
  for (let value = 0; value <= max + 1e-9; value += step) ticks.push(value);
  return ticks;
}

/** The end of a duration axis: its last round tick. */
function durationEnd(max: number): number {
  return durationTicks(max).at(-1) as number;
}

/**
 * In words, why a chart of `values` would mislead, or null if it can be
 * drawn: no values, every value zero, or every value equal.
 */
export function flatNote(values: ReadonlyArray<unknown>, what: string, format: (value: number) => string = (value) => significant(value)): string | null {
  const numbers = values.filter((value): value is number => typeof value === 'number' && Number.isFinite(value));
  if (numbers.length === 0) return `${what}: no value in these runs, so there is nothing to draw.`;
  const first = numbers[0] as number;
  if (numbers.every((value) => value === 0)) return `${what}: 0 for every design, so there is nothing to draw.`;
  if (numbers.length > 1 && numbers.every((value) => value === first)) return `${what}: ${format(first)} for every design, so there is nothing to compare.`;
  return null;
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

/** Why the runtime-stop curves would mislead: every stop the same value collapses every curve onto one vertical line. */
export function stopCdfNote(cdf: readonly Row[]): string | null {
  const windows = cdf.map((row) => row.window_s);
  if (cdf.length === 1) return `One terminated mission, stopped after ${formatDuration((cdf[0] as Row).window_s as number)}: there is no distribution to draw.`;
  const note = flatNote(windows, 'Runtime stop of every terminated mission', formatDuration);
  return note && cdf.length > 0 ? note.replace(' for every design', ' for every mission of every design') : note;
}

/** Why the load bars would mislead. */
export function loadNote(designs: readonly Row[]): string | null {
  if (designs.length === 1) return null;
  return flatNote(
    designs.map((row) => row.ps_load_rps),
    'Person Server load',
    (value) => formatRate(value),
  );
}

/** The grid axes of a sweep, from the first design's params (none outside a sweep). */
export function axesOf(designs: readonly Row[]): string[] {
  const params = designs[0]?.params;
  return params && typeof params === 'object' ? Object.keys(params as Record<string, unknown>) : [];
}

/** Rows with each grid value as its own field (`axis:<key>`), so charts can encode them. */
function withAxes(designs: readonly Row[]): Row[] {
  return designs.map((row, order) => {
    const flat: Row = { ...row, order, label: shortLabel(String(row.design)) };
    for (const [key, value] of Object.entries((row.params ?? {}) as Record<string, unknown>)) flat[`axis:${key}`] = value;
    return flat;
  });
}

/**
 * A design's grid values without their paths ("5m · push" for
 * "tokens.auth_ttl=5m, topology.resources[ledger].revocation.mode=push"):
 * legends and axes stay readable; tooltips keep the full design.
 */
export function shortLabel(design: string): string {
  if (!design.includes('=')) return design;
  return design
    .split(', ')
    .map((part) => part.slice(part.indexOf('=') + 1))
    .join(' · ');
}

function axisTitle(key: string): string {
  return key.replace(/_/g, '.');
}

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
      // Legend in the query's design order, not alphabetical (sort: null).
      color: {
        field: 'label',
        type: 'nominal',
        sort: null,
        title: 'design',
        scale: { scheme: designScheme(cdf) },
        legend: { orient: 'right', labelLimit: 240 },
      },
      tooltip: [
        { field: 'design' },
        { field: 'window_s', format: '.3~r', title: 'stopped within (s)' },
        { field: 'fraction', format: '.0%', title: 'fraction of missions' },
      ],
    },
  };
}

/** Control-plane and human load per design: mean PS requests per second (tokens + status checks). */
export function loadSpec(designs: readonly Row[]): Spec {
  return {
    $schema: SCHEMA,
    title: 'Person Server load (requests/s: tokens + status checks)',
    width: WIDTH,
    data: { values: withAxes(designs) },
    name: 'bars',
    params: [{ name: 'pick', select: { type: 'point', fields: ['design'], toggle: 'true' } }],
    mark: { type: 'bar', cursor: 'pointer' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: { field: 'order' }, axis: { labelLimit: 240 }, title: 'design' },
      x: { field: 'ps_load_rps', type: 'quantitative', title: 'PS requests per second (req/s)', axis: { format: '~r', tickCount: 5 } },
      opacity: { condition: { param: 'pick', empty: true, value: 1 }, value: 0.35 },
      tooltip: [
        { field: 'design' },
        { field: 'ps_load_rps', format: '.3~r', title: 'PS load (req/s)' },
        { field: 'ps_token_rps', format: '.3~r', title: 'of which tokens (req/s)' },
      ],
    },
  };
}

/**
 * The architect's trade-off: p99 stop against PS load per design (rows of
 * the `architect` query). Every point is labelled with its rank by cost
 * (#1 = lowest PS load, the rank in the sizing table beside it), meets and
 * misses differ in shape as well as colour, the cheapest design meeting both
 * bounds is ringed and named, the bounds are labelled lines, and the Pareto
 * curve (no design better on both) is dashed. Ticks are round durations on
 * the stop axis; the load axis is logarithmic when loads span 4x or more.
 */
export function tradeoffSpec(rows: readonly Row[], bounds: { max_p99_stop_s: number; max_ps_rps: number }): Spec {
  const ranked = [...rows]
    .filter((row) => typeof row.p99_stop_s === 'number')
    .sort(
      (a, b) =>
        Number(a.ps_load_rps) - Number(b.ps_load_rps) || Number(a.p99_stop_s) - Number(b.p99_stop_s) || String(a.design).localeCompare(String(b.design)),
    )
    .map((row, i): Row => {
      const meets = Number(row.p99_stop_s) <= bounds.max_p99_stop_s && Number(row.ps_load_rps) <= bounds.max_ps_rps;
      return {
        ...row,
        rank: `#${i + 1}`,
        label: shortLabel(String(row.design)),
        verdict: meets ? 'meets both bounds' : 'misses a bound',
        stop_text: formatDuration(row.p99_stop_s as number),
        load_text: formatRate(row.ps_load_rps as number),
      };
    });
  // Designs at the same point share one label ("#2 #3 #4") instead of overprinting each other.
  const atPoint = new Map<string, string[]>();
  for (const row of ranked) {
    const key = `${String(row.ps_load_rps)}|${String(row.p99_stop_s)}`;
    atPoint.set(key, [...(atPoint.get(key) ?? []), String(row.rank)]);
  }
  for (const row of ranked) {
    const key = `${String(row.ps_load_rps)}|${String(row.p99_stop_s)}`;
    const ranks = atPoint.get(key) as string[];
    row.point_label = ranks[0] === row.rank ? ranks.join(' ') : '';
  }
  const cheapest = ranked.find((row) => row.verdict === 'meets both bounds');
  const loads = ranked.map((row) => Number(row.ps_load_rps));
  const minLoad = Math.min(...loads, bounds.max_ps_rps > 0 ? bounds.max_ps_rps : Infinity);
  const maxLoad = Math.max(...loads, bounds.max_ps_rps);
  const logLoad = minLoad > 0 && maxLoad / minLoad >= 4;
  const maxStop = Math.max(0, ...ranked.map((row) => Number(row.p99_stop_s)), bounds.max_p99_stop_s);
  const x = {
    field: 'ps_load_rps',
    type: 'quantitative',
    title: 'Person Server load (req/s: tokens + status checks)',
    scale: logLoad ? { type: 'log', nice: false, padding: 12 } : { zero: true },
    axis: { format: '~r', tickCount: 6, labelOverlap: 'greedy' },
  };
  const y = {
    field: 'p99_stop_s',
    type: 'quantitative',
    title: 'p99 runtime stop',
    scale: { type: 'symlog', domain: [0, durationEnd(maxStop)] },
    axis: { values: durationTicks(maxStop), labelExpr: DURATION_LABEL },
  };
  const layers: Spec[] = [
    {
      data: { values: ranked.filter((row) => row.pareto === true) },
      mark: { type: 'line', strokeDash: [4, 3], color: '#888' },
      encoding: { x, y, order: { field: 'ps_load_rps' } },
    },
    {
      name: 'designs',
      data: { values: ranked },
      mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
      encoding: {
        x,
        y,
        color: {
          field: 'verdict',
          type: 'nominal',
          scale: { domain: ['meets both bounds', 'misses a bound'], range: ['#2a9d8f', '#c44536'] },
          title: null,
          legend: { orient: 'bottom' },
        },
        shape: { field: 'verdict', type: 'nominal', scale: { domain: ['meets both bounds', 'misses a bound'], range: ['circle', 'cross'] }, title: null },
        tooltip: [
          { field: 'rank', title: 'rank by cost' },
          { field: 'design' },
          { field: 'stop_text', title: 'p99 stop' },
          { field: 'load_text', title: 'PS load' },
          { field: 'verdict' },
          { field: 'pareto' },
        ],
      },
    },
    {
      name: 'labels',
      data: { values: ranked },
      mark: { type: 'text', align: 'left', dx: 7, dy: -7, fontSize: 10, color: '#333' },
      encoding: { x, y, text: { field: 'point_label' } },
    },
  ];
  if (cheapest) {
    layers.push({
      name: 'cheapest',
      data: { values: [cheapest] },
      layer: [
        { mark: { type: 'point', size: 360, stroke: '#111', strokeWidth: 1.5, filled: false }, encoding: { x, y } },
        {
          mark: { type: 'text', align: 'left', dx: 12, dy: -14, fontSize: 11, fontWeight: 'bold', color: '#111' },
          encoding: { x, y, text: { value: `cheapest meeting both (${String(cheapest.rank)})` } },
        },
      ],
    });
  }
  const bound = (text: string) => ({ type: 'text', fontSize: 10, color: '#8a1c1c', text });
  layers.push(
    {
      name: 'stop_bound',
      data: { values: [{ v: bounds.max_p99_stop_s }] },
      layer: [
        { mark: { type: 'rule', color: '#8a1c1c', strokeDash: [2, 2] }, encoding: { y: { ...y, field: 'v' } } },
        {
          mark: { ...bound(`p99 stop bound ${formatDuration(bounds.max_p99_stop_s)}`), align: 'right', baseline: 'bottom', dy: -2, x: 'width' },
          encoding: { y: { ...y, field: 'v' } },
        },
      ],
    },
    {
      name: 'load_bound',
      data: { values: [{ v: bounds.max_ps_rps }] },
      layer: [
        { mark: { type: 'rule', color: '#8a1c1c', strokeDash: [2, 2] }, encoding: { x: { ...x, field: 'v' } } },
        {
          mark: { ...bound(`PS budget ${formatRate(bounds.max_ps_rps)}`), align: 'left', baseline: 'top', dx: 3, y: 0 },
          encoding: { x: { ...x, field: 'v' } },
        },
      ],
    },
  );
  return {
    $schema: SCHEMA,
    title: { text: 'trade-off: runtime stop vs Person Server load', subtitle: '#n = rank by cost (lowest PS load first), as in the table' },
    width: WIDTH,
    height: 280,
    layer: layers,
  };
}

/** Why the trade-off chart would mislead: no design with a stop time, or every design at one point. */
export function tradeoffNote(rows: readonly Row[]): string | null {
  const sized = rows.filter((row) => typeof row.p99_stop_s === 'number');
  if (sized.length === 0) return 'No design has a terminated mission, so runtime stop cannot be weighed against load: nothing to draw.';
  const first = sized[0] as Row;
  if (sized.length > 1 && sized.every((row) => row.p99_stop_s === first.p99_stop_s && row.ps_load_rps === first.ps_load_rps)) {
    return `Every design has the same p99 runtime stop (${formatDuration(first.p99_stop_s as number)}) and Person Server load (${formatRate(first.ps_load_rps as number)}): there is no trade-off to draw.`;
  }
  return null;
}

/**
 * Containment: executed operations outside the root intent by delegation
 * depth, per design (rows of the `containment` query), split into what the
 * audit log alone proves and what only the oracle sees.
 */
export function containmentSpec(rows: readonly Row[]): Spec {
  const order = new Map<string, number>();
  for (const row of rows) if (!order.has(String(row.design))) order.set(String(row.design), order.size);
  const values = rows.flatMap((row) => {
    const base = { ...row, label: shortLabel(String(row.design)), order: order.get(String(row.design)) };
    return [
      { ...base, visibility: 'provable from the log', count: row.outside_provable },
      { ...base, visibility: 'oracle only', count: row.outside_oracle_only },
    ];
  });
  return {
    $schema: SCHEMA,
    title: 'executed operations outside the intent, by hop depth',
    data: { values },
    name: 'containment',
    mark: { type: 'bar' },
    width: { step: 22 },
    encoding: {
      // Designs in the query's order, each grid value on its own header line so neighbours never overlap.
      column: {
        field: 'label',
        type: 'nominal',
        title: 'design',
        sort: { field: 'order' },
        header: { labelExpr: "split(datum.label, ' · ')", labelLimit: 0, labelFontSize: 10 },
      },
      x: { field: 'depth', type: 'ordinal', title: 'hop depth' },
      y: { field: 'count', type: 'quantitative', title: 'operations outside the intent (all seeds)', stack: 'zero', axis: { format: 'd', tickMinStep: 1 } },
      color: {
        field: 'visibility',
        type: 'nominal',
        scale: { domain: ['provable from the log', 'oracle only'], range: ['#457b9d', '#e63946'] },
        title: null,
        legend: { labelLimit: 200 },
      },
      tooltip: [
        { field: 'design' },
        { field: 'depth', title: 'hop depth' },
        { field: 'ops_executed', title: 'operations executed' },
        { field: 'outside_intent', title: 'outside the intent' },
        { field: 'outside_provable', title: 'provable from the log' },
        { field: 'outside_oracle_only', title: 'oracle only' },
      ],
    },
  };
}

/** Why the containment chart would mislead: nothing outside the intent draws only zero bars (and a "0.000000" tick). */
export function containmentNote(rows: readonly Row[]): string | null {
  if (rows.length === 0) return 'No executed operation carries ground truth in these runs: nothing to draw.';
  const executed = rows.reduce((sum, row) => sum + Number(row.ops_executed ?? 0), 0);
  if (rows.every((row) => Number(row.outside_intent ?? 0) === 0)) {
    return `None of the ${executed.toLocaleString('en-US')} executed operations fell outside the person's intent, at any hop depth, in any design: nothing to draw.`;
  }
  return null;
}

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
          color: {
            field: 'label',
            type: 'nominal',
            sort: null,
            title: 'design',
            scale: { scheme: designScheme(rows) },
            legend: { orient: 'right', labelLimit: 240 },
          },
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

/** The lifecycle costs the dashboard compares, in the order shown (fields of the `lifecycle` query). */
export const LIFECYCLE_COSTS: ReadonlyArray<[field: string, title: string]> = [
  ['ops_during_pause', 'ops run while paused'],
  ['work_lost', 'ops lost (recalled)'],
  ['re_approvals', 're-approvals'],
  ['time_to_resume_s', 'resume after pause (s)'],
  ['crash_resume_s', 'resume after crash (s)'],
  ['person_interactions', 'person asked (times)'],
];

/** The lifecycle table's columns (fields of the `lifecycle` query), for the dashboard and the report. */
export const LIFECYCLE_COLUMNS: readonly string[] = [
  'design',
  'runs',
  'paused_s',
  'ops_during_pause',
  'irreversible_during_pause',
  'ops_executed',
  'work_lost',
  'workflows_abandoned',
  're_approvals',
  'time_to_resume_s',
  'crash_resume_s',
  'rolled_back',
  'not_rollbackable',
  'refusals_during_pause',
  'person_interactions',
];

/**
 * Lifecycle costs per design (rows of the `lifecycle` query): what ran
 * while paused (stopping too little), what was lost or had to be approved
 * again (stopping too much), how long work took to resume after a pause or
 * a crash, and how often the person was asked; one small chart per cost,
 * each on its own scale (a cost that does not apply draws no bar).
 */
export function lifecycleSpec(rows: readonly Row[]): Spec {
  const drawn = lifecycleCosts(rows).drawn;
  const values = withAxes(rows).flatMap((row) =>
    drawn.map(([field, title]) => ({ design: row.design, label: row.label, order: row.order, cost: title, value: row[field] ?? null })),
  );
  return {
    $schema: SCHEMA,
    title: 'what the lifecycle costs (mean per run)',
    data: { values },
    facet: { column: { field: 'cost', type: 'nominal', title: null, sort: drawn.map(([, title]) => title), header: { labelLimit: 0, labelFontSize: 11 } } },
    spec: {
      name: 'costs',
      width: 160,
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: { field: 'order' }, axis: { labelLimit: 200 }, title: 'design' },
        // '~r': a cost that is zero for every design reads 0, not 0.000000, and 60 not 6e+1.
        x: { field: 'value', type: 'quantitative', title: null, axis: { format: ',~r', tickCount: 4 } },
        color: { field: 'label', type: 'nominal', sort: null, legend: null, scale: { scheme: designScheme(rows) } },
        tooltip: [{ field: 'design' }, { field: 'cost' }, { field: 'value', format: '.4~f' }],
      },
    },
    resolve: { scale: { x: 'independent' } },
  };
}

/**
 * The lifecycle costs worth a chart (some design's value differs from the
 * others) and those that are zero, absent or equal for every design, which
 * the dashboard and report state in words instead of drawing.
 */
export function lifecycleCosts(rows: readonly Row[]): { drawn: Array<[string, string]>; flat: string[] } {
  const drawn: Array<[string, string]> = [];
  const flat: string[] = [];
  for (const [field, title] of LIFECYCLE_COSTS) {
    const note = flatNote(
      rows.map((row) => row[field]),
      title,
      field.endsWith('_s') ? formatDuration : (value) => significant(value),
    );
    if (note === null) drawn.push([field, title]);
    else flat.push(note.replace(/, so there is nothing to (draw|compare)\.$/, ''));
  }
  return { drawn, flat };
}

/** Why the lifecycle chart would mislead: every cost flat. Otherwise null (the flat ones are listed by lifecycleCosts). */
export function lifecycleNote(rows: readonly Row[]): string | null {
  const { drawn, flat } = lifecycleCosts(rows);
  return drawn.length === 0 ? `Every lifecycle cost is the same for every design (${flat.join('; ')}): nothing to compare.` : null;
}
