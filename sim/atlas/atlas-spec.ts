import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ScenarioError, type ScenarioProblem } from '../scenario/problems.ts';
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
  /** Whether a lower (default) or a higher measure is better: a failure count, or a guarantee kept. */
  better?: 'lower' | 'higher';
  cost?: string;
  /** Gaps not yet measurable: what they wait for. */
  waits_for?: string;
}

/** A gap can be run when its scenario exists and it names a grid, a baseline and a metric. */
export function isRunnable(gap: AtlasGap): boolean {
  return gap.grid !== undefined && gap.baseline !== undefined && gap.measure !== undefined && existsSync(gap.scenario);
}

/**
 * Reads scenarios/atlas/gaps.yaml. Problems are reported like scenario problems
 * (file:line:column: path: expected ..., found ...), all at once.
 */
export function loadAtlas(file: string): AtlasGap[] {
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines });
  const problems: ScenarioProblem[] = [];
  const at = (path: Array<string | number>) => {
    const node = doc.getIn(path, true) as { range?: [number, number] } | undefined;
    const position = node?.range ? lines.linePos(node.range[0]) : { line: 0, col: 0 };
    return { file, line: position.line, column: position.col, path: path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') };
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
    const gap: AtlasGap = { id, title: text('title') ?? '', seed: text('seed') ?? '', scenario: resolve(dirname(file), text('scenario') ?? '') };
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
      try {
        gap.seeds = parseSeeds(String(raw.seeds ?? '1..5'));
      } catch (error) {
        problems.push({ ...at(['gaps', i, 'seeds']), expected: 'seeds like 1..5', found: (error as Error).message });
      }
      gap.baseline = text('baseline');
      gap.measure = text('measure');
      gap.cost = text('cost', false);
      const better = raw.better ?? 'lower';
      if (better !== 'lower' && better !== 'higher') problems.push({ ...at(['gaps', i, 'better']), expected: 'lower or higher', found: JSON.stringify(better) });
      else gap.better = better;
    } else {
      gap.waits_for = text('waits_for');
    }
    gaps.push(gap);
  });
  if (problems.length > 0) throw new ScenarioError(problems);
  return gaps;
}
