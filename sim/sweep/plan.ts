import { parseOverride } from '../scenario/overrides.ts';

/** One axis of a sweep grid: a scenario path and the values it takes. */
export interface GridAxis {
  /** The path as given, e.g. `tokens.auth_ttl` or `topology.resources[records].revocation.mode`. */
  path: string;
  /** A column- and folder-safe name for the axis, e.g. `tokens_auth_ttl`. */
  key: string;
  values: string[];
}

/** One run of a sweep: a point of the grid and a seed. */
export interface PlannedRun {
  /** Position in the sweep's canonical order (grid points in order, seeds innermost). */
  index: number;
  /** Folder relative to the sweep folder, e.g. `runs/tokens_auth_ttl=5m/seed=3`. */
  id: string;
  /** The grid point without the seed, e.g. `tokens.auth_ttl=5m`: runs of one design differ only in seed. */
  design: string;
  params: Record<string, string>;
  seed: number;
  overrides: string[];
}

export class SweepSpecError extends Error {
  override name = 'SweepSpecError';
}

/**
 * Splits `v1,v2,...` on commas outside parentheses, so distribution
 * expressions such as `uniform(1s, 5s)` stay whole.
 */
export function splitValues(text: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) {
      values.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  values.push(current.trim());
  return values;
}

/** The column name of an axis: the path with every run of other characters turned into `_`. */
export function axisKey(path: string): string {
  return path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** Parses `--grid path=v1,v2,...`. */
export function parseGridAxis(text: string): GridAxis {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SweepSpecError(`--grid expects path=v1,v2,..., found ${JSON.stringify(text)}`);
  const path = text.slice(0, eq).trim();
  try {
    parseOverride(`${path}=x`);
  } catch (cause) {
    throw new SweepSpecError(`--grid ${(cause as Error).message.replace(/^--set /, '')}`);
  }
  const values = splitValues(text.slice(eq + 1));
  if (values.some((value) => value === '')) {
    throw new SweepSpecError(`--grid ${path}: empty value in ${JSON.stringify(text.slice(eq + 1))}`);
  }
  if (new Set(values).size !== values.length) throw new SweepSpecError(`--grid ${path}: a value is listed twice`);
  return { path, key: axisKey(path), values };
}

/** Parses `--seeds 1..30`, `--seeds 7` or `--seeds 1,5,9`. */
export function parseSeeds(text: string): number[] {
  const range = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  let seeds: number[];
  if (range) {
    const from = Number(range[1]);
    const to = Number(range[2]);
    if (to < from) throw new SweepSpecError(`--seeds ${text}: the range is empty (${to} < ${from})`);
    if (to - from >= 1_000_000) throw new SweepSpecError(`--seeds ${text}: more than a million seeds`);
    seeds = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  } else if (/^\d+(,\d+)*$/.test(text.trim())) {
    seeds = text.trim().split(',').map(Number);
  } else {
    throw new SweepSpecError(`--seeds expects a range like 1..30 or a list like 1,2,5, found ${JSON.stringify(text)}`);
  }
  if (seeds.some((seed) => !Number.isSafeInteger(seed))) throw new SweepSpecError(`--seeds ${text}: a seed is too large`);
  if (new Set(seeds).size !== seeds.length) throw new SweepSpecError(`--seeds ${text}: a seed is listed twice`);
  return seeds;
}

/** Parses `--shard i/n` (1-based: shard 1/4 .. 4/4). */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new SweepSpecError(`--shard expects i/n with 1 <= i <= n (e.g. 2/4), found ${JSON.stringify(text)}`);
  }
  return { index, count };
}

// Folder names hold values such as `exp(2m)`; only characters that would
// change the path's meaning are escaped.
function folderSafe(value: string): string {
  return value.replace(/[%/\\=\0]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Every run of a sweep in its canonical order: the grid's cartesian product
 * (first axis outermost) times the seeds (innermost). The order, and so each
 * run's index and folder, depends only on the grid and the seeds.
 */
export function planSweep(axes: readonly GridAxis[], seeds: readonly number[], baseOverrides: readonly string[] = []): PlannedRun[] {
  const keys = new Set<string>();
  for (const axis of axes) {
    if (keys.has(axis.key)) throw new SweepSpecError(`--grid ${axis.path}: the same path (or column name ${axis.key}) is gridded twice`);
    keys.add(axis.key);
  }
  let points: Array<Array<{ axis: GridAxis; value: string }>> = [[]];
  for (const axis of axes) {
    points = points.flatMap((point) => axis.values.map((value) => [...point, { axis, value }]));
  }
  const runs: PlannedRun[] = [];
  for (const point of points) {
    const params: Record<string, string> = {};
    for (const { axis, value } of point) params[axis.key] = value;
    const design = point.length === 0 ? '(base)' : point.map(({ axis, value }) => `${axis.path}=${value}`).join(', ');
    const folder = ['runs', ...point.map(({ axis, value }) => `${axis.key}=${folderSafe(value)}`)];
    for (const seed of seeds) {
      runs.push({
        index: runs.length,
        id: [...folder, `seed=${seed}`].join('/'),
        design,
        params,
        seed,
        overrides: [...baseOverrides, ...point.map(({ axis, value }) => `${axis.path}=${value}`)],
      });
    }
  }
  return runs;
}

/** The runs shard i of n takes: every n-th run of the canonical order, starting at i - 1. */
export function shardOf(runs: readonly PlannedRun[], shard: { index: number; count: number }): PlannedRun[] {
  return runs.filter((run) => run.index % shard.count === shard.index - 1);
}
