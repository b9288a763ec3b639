import { join } from 'node:path';
import { atlasMetric } from '../analysis/atlas-metrics.ts';
import { type AtlasCurve, type AtlasRow, type CurvePoint, designName, formatValue, type Stopping, atlasRow } from '../analysis/atlas-row.ts';
import { type MissionStop, type RunValue, strictlyBetter, summarize, width } from '../analysis/atlas-summary.ts';
import type { AtlasCurveSpec, AtlasGap } from '../sim/atlas/atlas-spec.ts';
import { parseGridAxis, planSweep } from '../sim/sweep/plan.ts';
import { allFinished, type AtlasRunner, prepareSweepFolder, sameStory, sweepAndMeasure } from './atlas-runs.ts';

const range = (to: number) => Array.from({ length: to }, (_, i) => i + 1);

/** The seed counts at which the sequential procedure re-analyses: batch, 2 batch, ..., the cap. */
export function checkpoints(batch: number, cap: number): number[] {
  const points: number[] = [];
  for (let n = Math.min(batch, cap); n < cap; n += batch) points.push(n);
  points.push(cap);
  return points;
}

/**
 * Runs one gap's grid with sequential replications: seeds are added a
 * batch at a time until every design's 95% failure interval is at most the
 * gap's precision wide (after at least min_seeds: a metric that is the same
 * in 5 runs has only shown that a differing run has probability below 3/5),
 * or the cap is reached. A scenario whose first two
 * seeds tell the same story event for event draws nothing random: one run
 * answers it. Every checkpoint is analysed on exactly its seeds, so a
 * re-run reaches the same decision whatever is already on disk.
 */
export async function replicateGap(runner: AtlasRunner, gap: AtlasGap, dir: string, label: string): Promise<AtlasRow> {
  const axes = gap.grid ?? [];
  const plan = planSweep(axes, [1]);
  const designs = plan.map((run) => run.design);
  const definition = { ...gap, baseline: gap.baseline as string, measure: gap.measure as string };
  const rounds = gap.fixed_seeds ? [gap.seeds ?? [1]] : checkpoints(gap.batch, gap.max_seeds).map(range);
  let deterministic = false;
  // Finished runs are analysed once: the longest round already on disk, and earlier rounds read from it (their seeds only).
  let measured: { runs: RunValue[]; stops: MissionStop[]; upTo: number } | undefined;
  for (const [i, seeds] of rounds.entries()) {
    if (!measured || measured.upTo < seeds.length) {
      const onDisk = gap.fixed_seeds
        ? undefined
        : rounds
            .slice(i + 1)
            .reverse()
            .find((later) => allFinished(dir, gap.scenario, axes, [], later));
      const target = onDisk ?? seeds;
      process.stderr.write(`atlas: ${gap.id}: ${target.length} seeds\n`);
      measured = { ...(await sweepAndMeasure(runner, { scenarioFile: gap.scenario, axes, seeds: target, overrides: [], dir, label })), upTo: target.length };
    }
    const { runs, stops } = measured;
    if (i === 0 && !gap.fixed_seeds && seeds.length >= 2) {
      const planned = planSweep(axes, [1, 2]);
      deterministic = designs.every((design) => {
        const [a, b] = planned.filter((run) => run.design === design);
        return sameStory(join(dir, (a as { id: string }).id), join(dir, (b as { id: string }).id));
      });
    }
    const row = atlasRow(definition, designs, runs, stops, { deterministic, ...(gap.fixed_seeds ? {} : { maxSeed: seeds.length }) });
    const widest = Math.max(...[row.baseline, ...(row.alternatives ?? [])].map((design) => width((design as NonNullable<AtlasRow['baseline']>).failure)));
    const unit = atlasMetric(definition.measure).unit;
    const last = i === rounds.length - 1;
    let stopping: Stopping | undefined;
    if (gap.fixed_seeds) stopping = { seeds: seeds.length, reason: 'fixed', widest, words: `fixed seeds (${seeds.length}) from the atlas file` };
    else if (deterministic)
      stopping = { seeds: 1, reason: 'deterministic', words: 'the scenario draws nothing random (seeds 1 and 2 tell the same story): one run answers it' };
    else if (gap.precision !== undefined && widest <= gap.precision && seeds.length >= gap.min_seeds) {
      stopping = {
        seeds: seeds.length,
        reason: 'precision',
        target: gap.precision,
        widest,
        words: `every failure interval at most ${formatValue(gap.precision, unit)} wide after ${seeds.length} seeds (widest ${formatValue(widest, unit)})`,
      };
    } else if (last) {
      stopping = {
        seeds: seeds.length,
        reason: 'cap',
        widest,
        words: `the cap of ${seeds.length} seeds, before every failure interval was ${formatValue(gap.precision ?? 0, unit)} wide (widest ${Number.isFinite(widest) ? formatValue(widest, unit) : 'unmeasured'})`,
        ...(gap.precision !== undefined ? { target: gap.precision } : {}),
      };
    }
    if (stopping) {
      // The gap's folder lists exactly the seeds the answer is over (the dashboard and report then show the same runs).
      if (measured.upTo > seeds.length) prepareSweepFolder(dir, gap.scenario, axes, [], seeds);
      return { ...row, stopping };
    }
  }
  throw new Error(`atlas gap ${gap.id}: no round ran`);
}

/**
 * One verdict curve: the baseline and the best alternative (or, when none
 * clears the baseline, the alternative with the best failure mean) at every
 * value of the assumption, each point with its interval, and where the
 * verdict between the two changes.
 */
export async function runCurve(runner: AtlasRunner, gap: AtlasGap, row: AtlasRow, spec: AtlasCurveSpec, dir: string, label: string): Promise<AtlasCurve> {
  if (spec.pending !== undefined || !spec.path || !spec.values)
    return { assumption: spec.assumption, status: 'pending', pending: spec.pending ?? 'no path and values' };
  const better = row.better ?? 'lower';
  const contender =
    row.best ?? [...(row.alternatives ?? [])].sort((a, b) => (better === 'lower' ? 1 : -1) * ((a.failure.mean ?? Infinity) - (b.failure.mean ?? Infinity)))[0];
  if (!contender || !row.baseline) return { assumption: spec.assumption, status: 'pending', pending: 'the gap has no alternative to compare' };
  const axis = parseGridAxis(`${spec.path}=${spec.values.join(',')}`);
  const overridesOf = (design: string) => planSweep(gap.grid ?? [], [1]).find((run) => run.design === design)?.overrides ?? [];
  const metric = atlasMetric(row.measure as string);
  // Each point also carries the cost: a verdict on the failure alone hides what the alternative paid for it there.
  const cost = gap.cost ? atlasMetric(gap.cost) : undefined;
  const points = planSweep([axis], [1]);
  const measured = [];
  const costs: Array<ReturnType<typeof summarize>[] | undefined> = [];
  for (const [role, design] of [
    ['baseline', row.baseline.design],
    ['alternative', contender.design],
  ] as const) {
    process.stderr.write(`atlas: ${gap.id}: curve over ${spec.path} (${role})\n`);
    const { runs, stops } = await sweepAndMeasure(runner, {
      scenarioFile: gap.scenario,
      axes: [axis],
      seeds: spec.seeds ?? range(5),
      overrides: overridesOf(design),
      dir: join(dir, role),
      label: `${label}/${role}`,
    });
    measured.push(points.map((point) => summarize(metric, point.design, runs, stops)));
    costs.push(cost && points.map((point) => summarize(cost, point.design, runs, stops)));
  }
  const [base, alt] = measured as [ReturnType<typeof summarize>[], ReturnType<typeof summarize>[]];
  const curvePoints: CurvePoint[] = (spec.values ?? []).map((value, i) => {
    const b = base[i] as ReturnType<typeof summarize>;
    const a = alt[i] as ReturnType<typeof summarize>;
    const verdict =
      better !== 'lower' && better !== 'higher'
        ? 'indistinguishable'
        : strictlyBetter(a, b, better)
          ? 'alternative better'
          : strictlyBetter(b, a, better)
            ? 'baseline better'
            : 'indistinguishable';
    const [baseCost, altCost] = costs.map((list) => list?.[i]);
    return { value, baseline: b, alternative: a, verdict, ...(baseCost && altCost ? { baseline_cost: baseCost, alternative_cost: altCost } : {}) };
  });
  const swaps: string[] = [];
  for (let i = 1; i < curvePoints.length; i++) {
    const before = curvePoints[i - 1] as CurvePoint;
    const after = curvePoints[i] as CurvePoint;
    if (before.verdict !== after.verdict) swaps.push(`between ${before.value} and ${after.value}: ${before.verdict} -> ${after.verdict}`);
  }
  const name = designName(contender.design, gap.words);
  const seeds = (spec.seeds ?? range(5)).length;
  const summary =
    swaps.length === 0
      ? `${(curvePoints[0] as CurvePoint).verdict} at every ${spec.assumption} tested (${spec.values.join(', ')}; ${seeds} seeds per point): the verdict does not depend on it in this range.`
      : `the verdict between the baseline and ${name} (${seeds} seeds per point; "indistinguishable" means the 95% intervals overlap) changes ${swaps.join('; ')}.`;
  return { assumption: spec.assumption, path: spec.path, status: 'measured', alternative: contender.design, points: curvePoints, swaps, summary };
}
