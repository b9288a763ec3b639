/**
 * The dashboard's and the report's charts, as vega-lite specs built from the
 * rows of named queries (analysis/sql/queries). One definition per chart: the
 * browser embeds them with vega-embed, `missionbench report` renders the
 * same specs to SVG in Node. No imports, so both can load this file.
 */

type Row = Record<string, unknown>;
type Spec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const WIDTH = 420;

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
  return design.split(', ').map((part) => part.slice(part.indexOf('=') + 1)).join(' · ');
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
  const values = withAxes(designs);
  const x = axes[0] ? { field: `axis:${axes[0]}`, type: 'ordinal', sort: { field: 'order' }, title: axisTitle(axes[0]) } : { field: 'label', type: 'nominal', sort: { field: 'order' }, title: 'design' };
  const y = axes[1] ? { field: `axis:${axes[1]}`, type: 'ordinal', sort: { field: 'order' }, title: axisTitle(axes[1]) } : { value: 0 };
  return {
    $schema: SCHEMA,
    title: 'p99 runtime stop (s) by design',
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
          color: { field: 'p99_stop_s', type: 'quantitative', title: 'p99 stop (s)', scale: { type: 'symlog', scheme: 'orangered' } },
          opacity: { condition: { param: 'pick', empty: true, value: 1 }, value: 0.35 },
          tooltip: [
            { field: 'design', type: 'nominal' },
            { field: 'p99_stop_s', type: 'quantitative', format: '.3~f', title: 'p99 stop (s)' },
            { field: 'ps_load_rps', type: 'quantitative', format: '.4~f', title: 'PS req/s' },
            { field: 'runs', type: 'quantitative' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: { text: { field: 'p99_stop_s', type: 'quantitative', format: '.3~r' } },
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
  return {
    $schema: SCHEMA,
    title: 'runtime stop: fraction of missions stopped within t',
    width: WIDTH,
    height: 240,
    data: { values: cdf.map((row) => ({ ...row, label: shortLabel(String(row.design)) })) },
    params: [{ name: 'selected', value: [...selected] }],
    transform: [{ filter: 'length(selected) == 0 || indexof(selected, datum.design) >= 0' }],
    name: 'curves',
    mark: { type: 'line', interpolate: 'step-after', point: false },
    encoding: {
      x: { field: 'window_s', type: 'quantitative', title: 'termination to last executed operation (s)', scale: { type: 'symlog' } },
      y: { field: 'fraction', type: 'quantitative', title: 'fraction of missions', scale: { domain: [0, 1] } },
      // Legend in the query's design order, not alphabetical (sort: null).
      color: { field: 'label', type: 'nominal', sort: null, title: 'design', legend: { orient: 'right', labelLimit: 240 } },
      tooltip: [{ field: 'design' }, { field: 'window_s', format: '.3~f' }, { field: 'fraction', format: '.2f' }],
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
      x: { field: 'ps_load_rps', type: 'quantitative', title: 'PS requests per second' },
      opacity: { condition: { param: 'pick', empty: true, value: 1 }, value: 0.35 },
      tooltip: [{ field: 'design' }, { field: 'ps_load_rps', format: '.4~f' }, { field: 'ps_token_rps', format: '.4~f' }],
    },
  };
}

/**
 * The architect's trade-off: p99 stop against PS load per design, the
 * bounds as rules, designs meeting both in one colour, the Pareto curve
 * (no design better on both) as a line. Rows of the `architect` query.
 */
export function tradeoffSpec(rows: readonly Row[], bounds: { max_p99_stop_s: number; max_ps_rps: number }): Spec {
  return {
    $schema: SCHEMA,
    title: 'trade-off: runtime stop vs Person Server load',
    width: WIDTH,
    height: 260,
    layer: [
      {
        data: { values: rows.filter((row) => row.pareto === true) },
        mark: { type: 'line', strokeDash: [4, 3], color: '#888' },
        encoding: {
          x: { field: 'ps_load_rps', type: 'quantitative', sort: null },
          y: { field: 'p99_stop_s', type: 'quantitative' },
          order: { field: 'ps_load_rps' },
        },
      },
      {
        name: 'designs',
        data: { values: rows.map((row) => ({ ...row, verdict: row.meets ? 'meets both bounds' : 'misses a bound' })) },
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          x: { field: 'ps_load_rps', type: 'quantitative', title: 'PS requests per second' },
          y: { field: 'p99_stop_s', type: 'quantitative', title: 'p99 runtime stop (s)', scale: { type: 'symlog' } },
          color: { field: 'verdict', type: 'nominal', scale: { domain: ['meets both bounds', 'misses a bound'], range: ['#2a9d8f', '#e76f51'] }, title: null },
          tooltip: [{ field: 'design' }, { field: 'p99_stop_s', format: '.3~f' }, { field: 'ps_load_rps', format: '.4~f' }, { field: 'pareto' }],
        },
      },
      { data: { values: [{ v: bounds.max_p99_stop_s }] }, mark: { type: 'rule', color: '#e76f51', strokeDash: [2, 2] }, encoding: { y: { field: 'v', type: 'quantitative' } } },
      { data: { values: [{ v: bounds.max_ps_rps }] }, mark: { type: 'rule', color: '#e76f51', strokeDash: [2, 2] }, encoding: { x: { field: 'v', type: 'quantitative' } } },
    ],
  };
}

/**
 * Containment: executed operations outside the root intent by delegation
 * depth, per design (rows of the `containment` query), split into what the
 * audit log alone proves and what only the oracle sees.
 */
export function containmentSpec(rows: readonly Row[]): Spec {
  const values = rows.flatMap((row) => [
    { ...row, label: shortLabel(String(row.design)), visibility: 'provable from the log', count: row.outside_provable },
    { ...row, label: shortLabel(String(row.design)), visibility: 'oracle only', count: row.outside_oracle_only },
  ]);
  return {
    $schema: SCHEMA,
    title: 'executed operations outside the intent, by hop depth',
    data: { values },
    name: 'containment',
    mark: { type: 'bar' },
    encoding: {
      column: { field: 'label', type: 'nominal', title: 'design', sort: null },
      x: { field: 'depth', type: 'ordinal', title: 'hop depth' },
      y: { field: 'count', type: 'quantitative', title: 'operations outside the intent (all seeds)', stack: 'zero' },
      color: { field: 'visibility', type: 'nominal', scale: { domain: ['provable from the log', 'oracle only'], range: ['#457b9d', '#e63946'] }, title: null },
      tooltip: [{ field: 'design' }, { field: 'depth' }, { field: 'ops_executed' }, { field: 'outside_intent' }, { field: 'outside_provable' }, { field: 'outside_oracle_only' }],
    },
  };
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
    data: { values: withAxes(rows) },
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
        { field: 'detection_delay_mean_s', format: '.3~f', title: 'detection delay (s, mean)' },
        { field: 'unintended_before_detection', format: '.3~f' },
        { field: 'irreversible_before_detection', format: '.3~f' },
        { field: 'undetected_drifts' },
        { field: 'false_alarms' },
      ],
    },
  };
}

/**
 * Drift timelines: per run and agent, the running count of executed
 * operations the person did not intend (the oracle's view) over simulated
 * time, coloured by design, with the monitor's alarms as red marks (rows of
 * the `drift_timeline` query). `selected` limits the lines to some designs.
 */
export function driftTimelineSpec(rows: readonly Row[], selected: readonly string[] = []): Spec {
  const values = rows.map((row) => ({ ...row, label: shortLabel(String(row.design)), line: `${String(row.run_id)} ${String(row.agent)}` }));
  const x = { field: 't_s', type: 'quantitative', title: 'simulated time (s)' };
  const y = { field: 'unintended_so_far', type: 'quantitative', title: 'unintended operations executed so far' };
  return {
    $schema: SCHEMA,
    title: 'drift over time, with the monitor\'s alarms',
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
          color: { field: 'label', type: 'nominal', sort: null, title: 'design', legend: { orient: 'right', labelLimit: 240 } },
          tooltip: [{ field: 'design' }, { field: 'seed' }, { field: 'agent' }, { field: 't_s', format: '.1f' }, { field: 'unintended_so_far' }],
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
  'design', 'runs', 'paused_s', 'ops_during_pause', 'irreversible_during_pause', 'ops_executed', 'work_lost', 'workflows_abandoned',
  're_approvals', 'time_to_resume_s', 'crash_resume_s', 'rolled_back', 'not_rollbackable', 'refusals_during_pause', 'person_interactions',
];

/**
 * Lifecycle costs per design (rows of the `lifecycle` query): what ran
 * while paused (stopping too little), what was lost or had to be approved
 * again (stopping too much), how long work took to resume after a pause or
 * a crash, and how often the person was asked; one small chart per cost,
 * each on its own scale (a cost that does not apply draws no bar).
 */
export function lifecycleSpec(rows: readonly Row[]): Spec {
  const values = withAxes(rows).flatMap((row) =>
    LIFECYCLE_COSTS.map(([field, title]) => ({ design: row.design, label: row.label, order: row.order, cost: title, value: row[field] ?? null })),
  );
  return {
    $schema: SCHEMA,
    title: 'what the lifecycle costs (mean per run)',
    data: { values },
    facet: { column: { field: 'cost', type: 'nominal', title: null, sort: LIFECYCLE_COSTS.map(([, title]) => title), header: { labelLimit: 200 } } },
    spec: {
      name: 'costs',
      width: 150,
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'label', type: 'nominal', sort: { field: 'order' }, axis: { labelLimit: 200 }, title: 'design' },
        // '~r': a cost that is zero for every design reads 0, not 0.000000, and 60 not 6e+1.
        x: { field: 'value', type: 'quantitative', title: null, axis: { format: ',~r', tickCount: 4 } },
        color: { field: 'label', type: 'nominal', sort: null, legend: null },
        tooltip: [{ field: 'design' }, { field: 'cost' }, { field: 'value', format: '.4~f' }],
      },
    },
    resolve: { scale: { x: 'independent' } },
  };
}
