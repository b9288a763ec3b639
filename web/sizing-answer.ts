/**
 * The architect's answer, from the rows of the `architect` query: the
 * cheapest design (lowest Person Server load) that meets both bounds, or
 * that none does and which design comes closest; and every design sorted by
 * cost with the bound it misses. One definition for `missionbench size`,
 * the dashboard's sizing view and the report (no imports but format.ts).
 */
import { formatDuration, formatRate } from './format.ts';

type Row = Record<string, unknown>;

export interface Bounds {
  max_p99_stop_s: number;
  max_ps_rps: number;
}

/** One design, judged against the bounds. */
export interface SizedDesign {
  design: string;
  runs: number;
  missions: number;
  p99_stop_s: number | null;
  ps_load_rps: number;
  /** The load's 95% confidence interval over the design's runs (null with one run). */
  ps_load_ci95: [number, number] | null;
  pareto: boolean;
  /** What it misses, in words ("p99 stop bound (280 s > 2 min)"); empty when it meets both. */
  misses: string[];
  meets: boolean;
  /** How far past its worst bound (1.4 = 40% over); 0 when it meets both; Infinity when unmeasured or over a zero bound. */
  excess: number;
}

export interface SizingAnswer {
  bounds: Bounds;
  /** Every design, cheapest (lowest PS load) first; ties by p99 stop. */
  designs: SizedDesign[];
  /** The cheapest design meeting both bounds, if any. */
  cheapest: SizedDesign | null;
  /** With none meeting both: the design whose worst miss is smallest. */
  closest: SizedDesign | null;
  /** The answer in one or two sentences. */
  sentence: string;
  /** How far to trust it: the uncertainty of the figures the answer rests on. */
  uncertainty: string;
}

/** Missions a distribution-free 95% upper bound on a p99 needs: the smallest n with 1 - 0.99^n >= 0.95. */
export const MISSIONS_FOR_P99_INTERVAL = 299;

function uncertaintyOf(designs: readonly SizedDesign[], named: SizedDesign | null, bounds: Bounds): string {
  const parts: string[] = [];
  const fewest = Math.min(...designs.map((design) => design.missions));
  parts.push(
    fewest >= MISSIONS_FOR_P99_INTERVAL
      ? `Each p99 stop is pooled over at least ${fewest} terminated missions.`
      : `Each p99 stop is pooled over as few as ${fewest} terminated missions, fewer than the ${MISSIONS_FOR_P99_INTERVAL} a distribution-free 95% interval for a p99 needs, so it has no interval: a design near the stop bound may fall on either side of it.`,
  );
  const interval = named?.ps_load_ci95;
  if (named && interval) {
    const straddles = interval[0] <= bounds.max_ps_rps && interval[1] > bounds.max_ps_rps;
    parts.push(
      `Its PS load has a 95% interval of ${formatRate(interval[0])} to ${formatRate(interval[1])} over ${named.runs} runs${straddles ? ', which reaches past the budget' : ''}.`,
    );
  } else if (named) {
    parts.push(`Its PS load comes from ${named.runs} run${named.runs === 1 ? '' : 's'}, too few for an interval.`);
  }
  return parts.join(' ');
}

/** How many times the bound a value is (1 = exactly on it); a zero bound makes any positive value infinitely over. */
function ratio(value: number, bound: number): number {
  if (value <= bound) return 0;
  return bound > 0 ? value / bound : Infinity;
}

function times(excess: number): string {
  if (!Number.isFinite(excess)) return 'the bound is 0';
  return excess < 10 ? `${excess.toPrecision(2)}× the bound` : `${Math.round(excess)}× the bound`;
}

export function judgeDesign(row: Row, bounds: Bounds): SizedDesign {
  const stop = typeof row.p99_stop_s === 'number' ? row.p99_stop_s : null;
  const load = Number(row.ps_load_rps ?? 0);
  const misses: string[] = [];
  let excess = 0;
  if (stop === null) {
    misses.push('p99 stop bound (no terminated mission, so no stop time was measured)');
    excess = Infinity;
  } else if (stop > bounds.max_p99_stop_s) {
    const over = ratio(stop, bounds.max_p99_stop_s);
    misses.push(`p99 stop bound (${formatDuration(stop)} > ${formatDuration(bounds.max_p99_stop_s)}, ${times(over)})`);
    excess = Math.max(excess, over);
  }
  if (load > bounds.max_ps_rps) {
    const over = ratio(load, bounds.max_ps_rps);
    misses.push(`PS load budget (${formatRate(load)} > ${formatRate(bounds.max_ps_rps)}, ${times(over)})`);
    excess = Math.max(excess, over);
  }
  return {
    design: String(row.design),
    runs: Number(row.runs ?? 0),
    missions: Number(row.missions ?? 0),
    p99_stop_s: stop,
    ps_load_rps: load,
    ps_load_ci95: typeof row.ps_load_ci95_low === 'number' && typeof row.ps_load_ci95_high === 'number' ? [row.ps_load_ci95_low, row.ps_load_ci95_high] : null,
    pareto: row.pareto === true,
    misses,
    meets: misses.length === 0,
    excess,
  };
}

/** Cheapest first: PS load, then p99 stop (unmeasured last), then the design's name. */
function byCost(a: SizedDesign, b: SizedDesign): number {
  return a.ps_load_rps - b.ps_load_rps || (a.p99_stop_s ?? Infinity) - (b.p99_stop_s ?? Infinity) || a.design.localeCompare(b.design);
}

function figures(design: SizedDesign): string {
  return `p99 runtime stop ${formatDuration(design.p99_stop_s)} over ${design.missions} terminated missions in ${design.runs} runs, Person Server load ${formatRate(design.ps_load_rps)}`;
}

export function sizingAnswer(rows: readonly Row[], bounds: Bounds): SizingAnswer {
  const designs = rows.map((row) => judgeDesign(row, bounds)).sort(byCost);
  const cheapest = designs.find((design) => design.meets) ?? null;
  const meeting = designs.filter((design) => design.meets).length;
  const boundsText = `p99 runtime stop ≤ ${formatDuration(bounds.max_p99_stop_s)} and Person Server load ≤ ${formatRate(bounds.max_ps_rps)}`;
  if (designs.length === 0) {
    return { bounds, designs, cheapest: null, closest: null, sentence: 'No design to size: the analysis has no runs with load figures.', uncertainty: '' };
  }
  if (cheapest) {
    return {
      bounds,
      designs,
      cheapest,
      closest: null,
      uncertainty: uncertaintyOf(designs, cheapest, bounds),
      sentence: `Cheapest design meeting both bounds (${boundsText}): ${cheapest.design} — ${figures(cheapest)}. ${meeting} of ${designs.length} designs meet both.`,
    };
  }
  // Closest: the smallest worst overshoot, then the fewest bounds missed (over a zero bound every overshoot is infinite), then the cheapest.
  const closest = [...designs].sort(
    (a, b) => (a.excess === b.excess ? 0 : a.excess - b.excess) || a.misses.length - b.misses.length || byCost(a, b),
  )[0] as SizedDesign;
  const stopOnly = designs.filter((design) => design.p99_stop_s !== null && design.p99_stop_s <= bounds.max_p99_stop_s).length;
  const loadOnly = designs.filter((design) => design.ps_load_rps <= bounds.max_ps_rps).length;
  const measured = designs.some((design) => design.p99_stop_s !== null);
  const closestText = measured
    ? `The closest is ${closest.design}, which misses the ${closest.misses.join(' and the ')}.`
    : 'No design has a measured stop time (no mission was terminated), so none can meet the stop bound.';
  return {
    bounds,
    designs,
    cheapest: null,
    closest: measured ? closest : null,
    uncertainty: uncertaintyOf(designs, measured ? closest : null, bounds),
    sentence: `No design meets both bounds (${boundsText}): ${stopOnly} of ${designs.length} meet the stop bound alone, ${loadOnly} the load budget alone. ${closestText}`,
  };
}

/** The designs as table rows, cheapest first, with the bound each misses in words. */
export function sizingRows(answer: SizingAnswer): Row[] {
  return answer.designs.map((design, rank) => ({
    rank: rank + 1,
    design: design.design,
    ps_load_rps: design.ps_load_rps,
    ps_load_ci95: design.ps_load_ci95 ? `${formatRate(design.ps_load_ci95[0])} to ${formatRate(design.ps_load_ci95[1])}` : '–',
    p99_stop_s: design.p99_stop_s,
    missions: design.missions,
    runs: design.runs,
    verdict: design.meets ? '✓ meets both' : `✗ misses ${design.misses.join('; ')}`,
    pareto: design.pareto,
  }));
}
