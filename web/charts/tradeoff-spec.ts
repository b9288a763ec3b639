/** The architect's trade-off between runtime stop and Person Server load, with its note. */
import { formatDuration, formatRate } from '../format.ts';
import { shortLabel } from './design-encoding.ts';
import { DURATION_LABEL, durationEnd, durationTicks } from './duration-axis.ts';
import { type Row, SCHEMA, type Spec, WIDTH } from './spec-basics.ts';

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
