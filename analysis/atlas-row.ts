import { type AtlasMetric, atlasMetric, INTERVAL_WORDS, intervalMethod } from './atlas-metrics.ts';
import { type MetricSummary, type MissionStop, type RunValue, strictlyBetter, summarize, type SummaryOptions } from './atlas-summary.ts';

/** One design of a gap: its name in words, its failure metric and its cost, each with interval and n. */
export interface AtlasDesign {
  /** The grid point, e.g. `topology.resources[export-service].recall=none`. */
  design: string;
  /** The same in words (gaps.yaml `words`). */
  name: string;
  failure: MetricSummary;
  cost: MetricSummary | null;
  /** The gap's `also` metrics (descriptive: who refused, what the log shows), in its order. */
  also?: MetricSummary[];
}

/** A metric as the atlas describes it to a reader. */
export interface MetricInfo {
  name: string;
  label: string;
  unit: string;
  better: 'lower' | 'higher' | 'none';
  why: string;
  interval: string;
}

/** Which rule stopped the replications of a gap. */
export interface Stopping {
  seeds: number;
  reason: 'precision' | 'cap' | 'deterministic' | 'fixed';
  /** The target width of the failure metric's 95% interval (gaps.yaml `precision`), in its unit. */
  target?: number;
  /** The widest failure interval over the designs when it stopped. */
  widest?: number;
  words: string;
}

/** One point of a verdict curve: the baseline and the best alternative at one value of the assumption. */
export interface CurvePoint {
  value: string;
  baseline: MetricSummary;
  alternative: MetricSummary;
  verdict: 'alternative better' | 'baseline better' | 'indistinguishable';
  /** The gap's cost metric at this point, for each (absent when the gap names no cost). */
  baseline_cost?: MetricSummary;
  alternative_cost?: MetricSummary;
}

export interface AtlasCurve {
  /** The assumption in words, and the scenario path it sets. */
  assumption: string;
  path?: string;
  status: 'measured' | 'pending';
  /** Pending: what the simulator lacks for it. */
  pending?: string;
  alternative?: string;
  points?: CurvePoint[];
  /** Where the verdict changes between neighbouring values, in words. */
  swaps?: string[];
  summary?: string;
}

export interface AtlasRow {
  gap: string;
  title: string;
  seed: string;
  scenario: string;
  status: 'measured' | 'waiting';
  waits_for?: string;
  measure?: string;
  better?: 'lower' | 'higher';
  cost_metric?: string;
  failure_metric?: MetricInfo;
  cost_metric_info?: MetricInfo;
  /** The gap's `also` metrics, described (each design's values are in its `also`). */
  also_metrics?: MetricInfo[];
  baseline?: AtlasDesign;
  alternatives?: AtlasDesign[];
  /** The alternative the rule picks (BEST_RULE), or null when none qualifies. */
  best?: AtlasDesign | null;
  rule?: string;
  /** One sentence a reader can act on. */
  finding?: string;
  stopping?: Stopping;
  /** The verdicts across the assumptions that decide them. */
  curves?: AtlasCurve[];
}

export const BEST_RULE =
  "the cheapest alternative (lowest mean cost) whose failure interval lies entirely on the better side of the baseline's (below it for a failure, above it for a guarantee kept); ties go to the better failure mean. A constant or deterministic metric's interval is its value. When no alternative clears the baseline, none is named.";

export function metricInfo(metric: AtlasMetric): MetricInfo {
  return {
    name: metric.name,
    label: metric.label,
    unit: metric.unit,
    better: metric.better,
    why: metric.why,
    interval: INTERVAL_WORDS[intervalMethod(metric)],
  };
}

/** The design in words: each `path=value` part by gaps.yaml's `words`, else as written. */
export function designName(design: string, words: Readonly<Record<string, string>> = {}): string {
  if (design === '') return 'as written';
  return design
    .split(', ')
    .map((part) => words[part] ?? part)
    .join(', ');
}

/** Picks the best alternative by BEST_RULE; undefined when none clears the baseline. */
export function pickBest(baseline: AtlasDesign, alternatives: readonly AtlasDesign[], better: 'lower' | 'higher'): AtlasDesign | undefined {
  const qualifying = alternatives.filter((design) => strictlyBetter(design.failure, baseline.failure, better));
  const cost = (design: AtlasDesign) => design.cost?.mean ?? Infinity;
  const failure = (design: AtlasDesign) => (better === 'lower' ? 1 : -1) * (design.failure.mean ?? Infinity);
  return [...qualifying].sort((a, b) => cost(a) - cost(b) || failure(a) - failure(b))[0];
}

/** A number for a reader: a duration in s, min or h; a share as a percentage; else three significant digits. */
export function formatValue(value: number, unit: string): string {
  if (unit === 's') {
    if (Math.abs(value) >= 7200) return `${Number((value / 3600).toPrecision(3))} h`;
    if (Math.abs(value) >= 120) return `${Number((value / 60).toPrecision(3))} min`;
    return `${Number(value.toPrecision(3))} s`;
  }
  if (unit === 'share of runs') return `${Number((value * 100).toPrecision(3))}%`;
  return String(Number(value.toPrecision(3)));
}

/** `1.2 [0.8, 1.6] operations per run (n = 10)`, or why there is no interval. */
export function describeSummary(summary: MetricSummary): string {
  if (summary.mean === null) return `not measured (${summary.note ?? 'no data'})`;
  const unit = summary.unit === 's' ? '' : summary.unit === 'share of runs' ? ' of runs' : ` ${summary.unit}`;
  const value = formatValue(summary.mean, summary.unit);
  if (summary.ci95 === null) {
    if (summary.note?.startsWith('the same in all')) return `${value}${unit} in every one of ${summary.n} runs`;
    if (summary.note?.startsWith('the scenario has nothing random')) return `${value}${unit} (nothing random: one run)`;
    return `${value}${unit} (n = ${summary.n}; ${summary.note ?? 'no interval'})`;
  }
  return `${value}${unit} [${formatValue(summary.ci95.low, summary.unit)}, ${formatValue(summary.ci95.high, summary.unit)}] (n = ${summary.n})`;
}

export interface GapDefinition {
  id: string;
  title: string;
  seed: string;
  scenario: string;
  baseline: string;
  measure: string;
  cost?: string | undefined;
  also?: readonly string[] | undefined;
  words?: Readonly<Record<string, string>> | undefined;
}

/**
 * One gap's answer from its runs: every design's failure and cost metric
 * with interval and n, the best alternative by BEST_RULE, and a sentence.
 */
export function atlasRow(
  gap: GapDefinition,
  designs: readonly string[],
  runs: readonly RunValue[],
  stops: readonly MissionStop[],
  options: SummaryOptions = {},
): AtlasRow {
  const failureMetric = atlasMetric(gap.measure);
  const costMetric = gap.cost ? atlasMetric(gap.cost) : undefined;
  if (failureMetric.better === 'none')
    throw new Error(`atlas gap ${gap.id}: ${gap.measure} is descriptive (${failureMetric.why}); it cannot be a gap's failure metric`);
  const better = failureMetric.better;
  if (!designs.includes(gap.baseline)) {
    throw new Error(`atlas gap ${gap.id}: the baseline design ${JSON.stringify(gap.baseline)} is not one of its sweep's designs (${designs.join('; ')})`);
  }
  const alsoMetrics = (gap.also ?? []).map(atlasMetric);
  const describe = (design: string): AtlasDesign => ({
    design,
    name: designName(design, gap.words),
    failure: summarize(failureMetric, design, runs, stops, options),
    cost: costMetric ? summarize(costMetric, design, runs, stops, options) : null,
    ...(alsoMetrics.length > 0 ? { also: alsoMetrics.map((metric) => summarize(metric, design, runs, stops, options)) } : {}),
  });
  const baseline = describe(gap.baseline);
  const alternatives = designs.filter((design) => design !== gap.baseline).map(describe);
  const best = pickBest(baseline, alternatives, better) ?? null;
  return {
    gap: gap.id,
    title: gap.title,
    seed: gap.seed,
    scenario: gap.scenario,
    status: 'measured',
    measure: gap.measure,
    better,
    cost_metric: gap.cost,
    failure_metric: metricInfo(failureMetric),
    ...(costMetric ? { cost_metric_info: metricInfo(costMetric) } : {}),
    ...(alsoMetrics.length > 0 ? { also_metrics: alsoMetrics.map(metricInfo) } : {}),
    baseline,
    alternatives,
    best,
    rule: BEST_RULE,
    finding: finding(failureMetric, costMetric, baseline, best, better),
  };
}

function finding(failure: AtlasMetric, cost: AtlasMetric | undefined, baseline: AtlasDesign, best: AtlasDesign | null, better: 'lower' | 'higher'): string {
  const base = `With the baseline (${baseline.name}), ${failure.label}: ${describeSummary(baseline.failure)}`;
  if (!best) {
    return `${base}; no alternative's interval lies ${better === 'lower' ? 'below' : 'above'} the baseline's, so the atlas names none.`;
  }
  const costText =
    cost && best.cost && baseline.cost ? `, at ${cost.label} ${describeSummary(best.cost)} against ${describeSummary(baseline.cost)} for the baseline` : '';
  return `${base}; the cheapest design that does ${better === 'lower' ? 'better' : 'more'} is ${best.name}: ${describeSummary(best.failure)}${costText}.`;
}

/** An atlas entry as one flat table row (report, dashboard): the measured finding, or what the gap waits for. */
export function atlasTableRow(row: AtlasRow): Record<string, unknown> {
  return {
    gap: row.gap,
    title: row.title,
    seed: row.seed,
    scenario: row.scenario,
    status: row.status,
    finding: row.finding ?? `waits for ${row.waits_for ?? '?'}`,
  };
}

/** One design's measured answer to a row of seed 000's table. */
export interface TableAnswer {
  answer: 'yes' | 'no' | 'not measured';
  overrides: string[];
  measured: MetricSummary;
  requires?: MetricSummary;
  /** The answer and the measurement in words. */
  words: string;
}

/** A row of source document 000's table "Does the draft answer it?", measured. */
export interface TableRow {
  id: string;
  question: string;
  scenario: string;
  /** What seed 000 says the draft answers. */
  draft_answer: string;
  metric: MetricInfo;
  answers: Record<string, TableAnswer>;
  /** Whether the measurement under aauth-r01 agrees with seed 000's own answer. */
  agrees_with_seed: boolean | null;
  /** An assumption the answers rest on. */
  note?: string;
}
