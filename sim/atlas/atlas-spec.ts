import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ScenarioError, type ScenarioProblem } from '../scenario/problems.ts';
import { isAtlasMetric } from '../../analysis/atlas-metrics.ts';
import { parseGridAxis, parseSeeds, type GridAxis } from '../sweep/plan.ts';

/** One governance gap of the atlas. */
export interface AtlasGap {
  id: string;
  title: string;
  seed: string;
  /** Scenario file, resolved against the atlas file's folder. */
  scenario: string;
  /** Runnable gaps: the grid of designs, seeds, baseline design and metrics. */
  grid?: GridAxis[];
  seeds?: number[];
  baseline?: string;
  measure?: string;
  cost?: string;
  /** Descriptive metrics shown beside failure and cost for every design (who refused, what the log shows), never ranked. */
  also?: string[];
  /** Sequential replications: stop once every design's failure interval is at most this wide (in the metric's unit). */
  precision?: number;
  /** Seeds added per round (default 5), the fewest before precision may stop it (default 10), and the cap (default 30). */
  batch: number;
  min_seeds: number;
  max_seeds: number;
  /** `seeds:` given: exactly these seeds, no sequential stopping. */
  fixed_seeds: boolean;
  /** Designs' grid points in words: `path=value` -> words. */
  words: Record<string, string>;
  /** The assumptions the verdict depends on, each a curve (or pending: what the simulator lacks). */
  curves: AtlasCurveSpec[];
  /** Gaps not yet measurable: what they wait for. */
  waits_for?: string;
}

/** A verdict curve: one assumption of the scenario, set to each value for the baseline and the best alternative. */
export interface AtlasCurveSpec {
  assumption: string;
  path?: string;
  values?: string[];
  seeds?: number[];
  pending?: string;
}

/** Seed 000's table "Does the draft answer it?": a row answered by measurement under two designs. */
export interface TableRowSpec {
  id: string;
  question: string;
  /** Seed 000's own answer for the draft (aauth-r01). */
  draft_answer: string;
  scenario: string;
  /** The metric whose value answers the row: "yes" when it is 0 in every run. */
  metric: string;
  /** Per column (aauth-r01, mission-authority): `--set` overrides. */
  designs: Record<string, string[]>;
  seeds: number[];
  /** What the metric needs to mean anything, e.g. downstream_ops > 0. */
  requires?: string;
  /** What a reader must know to read the answers (an assumption they rest on). */
  note?: string;
}

export const DEFAULT_BATCH = 5;
export const DEFAULT_MAX_SEEDS = 30;
export const DEFAULT_MIN_SEEDS = 10;
export const DEFAULT_CURVE_SEEDS = '1..5';

/** A gap can be run when its scenario exists and it names a grid, a baseline and a metric. */
export function isRunnable(gap: AtlasGap): boolean {
  return gap.grid !== undefined && gap.baseline !== undefined && gap.measure !== undefined && existsSync(gap.scenario);
}

/**
 * Reads scenarios/atlas/gaps.yaml. Problems are reported like scenario problems
 * (file:line:column: path: expected ..., found ...), all at once.
 */
export function loadAtlas(file: string): AtlasGap[] {
  return loadAtlasFile(file).gaps;
}

/** The whole atlas file: its gaps and seed 000's table. */
export function loadAtlasFile(file: string): { gaps: AtlasGap[]; table: TableRowSpec[] } {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines });
  const problems: ScenarioProblem[] = [];
  const at = (path: Array<string | number>) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    const position = node?.range ? lines.linePos(node.range[0]) : { line: 0, col: 0 };
    return {
      file,
      line: position.line,
      column: position.col,
      path: path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
        .join('')
        .replace(/^\./, ''),
    };
  };
  const data = doc.toJS() as { gaps?: unknown };
  if (!Array.isArray(data?.gaps)) throw new ScenarioError([{ ...at(['gaps']), expected: 'a list of gaps', found: JSON.stringify(data?.gaps ?? null) }]);
  const gaps: AtlasGap[] = [];
  const ids = new Set<string>();
  data.gaps.forEach((raw: Record<string, unknown>, i: number) => {
    const text = (key: string, required = true): string | undefined => {
      const value = raw?.[key];
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || value === '') {
        problems.push({ ...at(['gaps', i, key]), expected: `a ${key} (text)`, found: JSON.stringify(value ?? null) });
        return undefined;
      }
      return value;
    };
    const id = text('id') ?? `#${i}`;
    if (ids.has(id)) problems.push({ ...at(['gaps', i, 'id']), expected: 'a unique id', found: JSON.stringify(id) });
    ids.add(id);
    const gap: AtlasGap = {
      id,
      title: text('title') ?? '',
      seed: text('seed') ?? '',
      scenario: resolve(dirname(file), text('scenario') ?? ''),
      batch: DEFAULT_BATCH,
      min_seeds: DEFAULT_MIN_SEEDS,
      max_seeds: DEFAULT_MAX_SEEDS,
      fixed_seeds: false,
      words: {},
      curves: [],
    };
    const positive = (key: string, integer: boolean): number | undefined => {
      const value = raw?.[key];
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value))) {
        problems.push({
          ...at(['gaps', i, key]),
          expected: integer ? `a positive whole number (${key})` : `a positive number (${key})`,
          found: JSON.stringify(value),
        });
        return undefined;
      }
      return value;
    };
    if (raw?.grid !== undefined) {
      if (!Array.isArray(raw.grid)) problems.push({ ...at(['gaps', i, 'grid']), expected: 'a list of path=v1,v2,...', found: JSON.stringify(raw.grid) });
      else {
        gap.grid = [];
        raw.grid.forEach((axis: unknown, j: number) => {
          try {
            gap.grid?.push(parseGridAxis(String(axis)));
          } catch (error) {
            problems.push({ ...at(['gaps', i, 'grid', j]), expected: 'path=v1,v2,...', found: (error as Error).message });
          }
        });
      }
      if (raw.seeds !== undefined) {
        try {
          gap.seeds = parseSeeds(String(raw.seeds));
          gap.fixed_seeds = true;
        } catch (error) {
          problems.push({ ...at(['gaps', i, 'seeds']), expected: 'seeds like 1..5', found: (error as Error).message });
        }
      }
      gap.precision = positive('precision', false);
      gap.batch = positive('batch', true) ?? DEFAULT_BATCH;
      gap.max_seeds = positive('max_seeds', true) ?? DEFAULT_MAX_SEEDS;
      gap.min_seeds = Math.min(positive('min_seeds', true) ?? DEFAULT_MIN_SEEDS, gap.max_seeds);
      if (!gap.fixed_seeds && gap.precision === undefined)
        problems.push({ ...at(['gaps', i]), expected: 'a precision (target width of the failure interval) or fixed seeds', found: 'neither' });
      gap.baseline = text('baseline');
      gap.measure = text('measure');
      gap.cost = text('cost', false);
      if (raw.also !== undefined) {
        if (!Array.isArray(raw.also) || raw.also.some((name) => typeof name !== 'string' || !isAtlasMetric(name)))
          problems.push({
            ...at(['gaps', i, 'also']),
            expected: 'a list of metrics of the atlas catalogue (analysis/atlas-metrics.ts)',
            found: JSON.stringify(raw.also),
          });
        else gap.also = raw.also as string[];
      }
      for (const key of ['measure', 'cost'] as const) {
        const name = gap[key];
        if (name !== undefined && !isAtlasMetric(name))
          problems.push({ ...at(['gaps', i, key]), expected: 'a metric of the atlas catalogue (analysis/atlas-metrics.ts)', found: JSON.stringify(name) });
      }
      if (raw.better !== undefined)
        problems.push({
          ...at(['gaps', i, 'better']),
          expected: "no better: (each metric's direction is in analysis/atlas-metrics.ts)",
          found: JSON.stringify(raw.better),
        });
      if (raw.words !== undefined) {
        if (typeof raw.words !== 'object' || raw.words === null || Array.isArray(raw.words) || Object.values(raw.words).some((v) => typeof v !== 'string')) {
          problems.push({ ...at(['gaps', i, 'words']), expected: 'a map of path=value to words', found: JSON.stringify(raw.words) });
        } else gap.words = raw.words as Record<string, string>;
      }
      if (raw.curves !== undefined) {
        if (!Array.isArray(raw.curves)) problems.push({ ...at(['gaps', i, 'curves']), expected: 'a list of curves', found: JSON.stringify(raw.curves) });
        else
          raw.curves.forEach((curve: Record<string, unknown>, j: number) => {
            const where = ['gaps', i, 'curves', j];
            if (typeof curve?.assumption !== 'string') {
              problems.push({ ...at([...where, 'assumption']), expected: 'the assumption in words', found: JSON.stringify(curve?.assumption ?? null) });
              return;
            }
            if (typeof curve.pending === 'string') {
              gap.curves.push({ assumption: curve.assumption, pending: curve.pending });
              return;
            }
            if (typeof curve.path !== 'string' || !Array.isArray(curve.values) || curve.values.length < 2) {
              problems.push({ ...at(where), expected: 'path and at least two values, or pending: what the simulator lacks', found: JSON.stringify(curve) });
              return;
            }
            try {
              const axis = parseGridAxis(`${curve.path}=${curve.values.map(String).join(',')}`);
              gap.curves.push({
                assumption: curve.assumption,
                path: axis.path,
                values: axis.values,
                seeds: parseSeeds(String(curve.seeds ?? DEFAULT_CURVE_SEEDS)),
              });
            } catch (error) {
              problems.push({ ...at(where), expected: 'path=v1,v2,... and seeds like 1..8', found: (error as Error).message });
            }
          });
      }
    } else {
      gap.waits_for = text('waits_for');
    }
    gaps.push(gap);
  });
  const table: TableRowSpec[] = [];
  const rawTable = (data as { seed_000_table?: unknown }).seed_000_table;
  if (rawTable !== undefined) {
    if (!Array.isArray(rawTable)) problems.push({ ...at(['seed_000_table']), expected: 'a list of rows', found: JSON.stringify(rawTable) });
    else
      rawTable.forEach((row: Record<string, unknown>, i: number) => {
        const where = ['seed_000_table', i];
        const fields = ['id', 'question', 'draft_answer', 'scenario', 'metric'] as const;
        const missing = fields.filter((key) => typeof row?.[key] !== 'string');
        if (missing.length > 0) {
          problems.push({ ...at(where), expected: `text fields ${fields.join(', ')}`, found: `missing ${missing.join(', ')}` });
          return;
        }
        if (!isAtlasMetric(String(row.metric)))
          problems.push({ ...at([...where, 'metric']), expected: 'a metric of the atlas catalogue', found: JSON.stringify(row.metric) });
        const designs = row.designs as Record<string, unknown> | undefined;
        if (
          !designs ||
          typeof designs !== 'object' ||
          Object.values(designs).some((list) => !Array.isArray(list) || list.some((item) => typeof item !== 'string'))
        ) {
          problems.push({ ...at([...where, 'designs']), expected: 'a map of column -> list of --set overrides', found: JSON.stringify(designs ?? null) });
          return;
        }
        let seeds: number[] = [1];
        try {
          seeds = parseSeeds(String(row.seeds ?? '1..5'));
        } catch (error) {
          problems.push({ ...at([...where, 'seeds']), expected: 'seeds like 1..10', found: (error as Error).message });
        }
        table.push({
          id: String(row.id),
          question: String(row.question),
          draft_answer: String(row.draft_answer),
          scenario: resolve(dirname(file), String(row.scenario)),
          metric: String(row.metric),
          designs: designs as Record<string, string[]>,
          seeds,
          ...(typeof row.requires === 'string' ? { requires: row.requires } : {}),
          ...(typeof row.note === 'string' ? { note: row.note } : {}),
        });
      });
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return { gaps, table };
}
