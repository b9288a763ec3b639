/**
 * Notebook (researcher): the gap atlas. Runs `missionbench atlas` over
 * scenarios/atlas/gaps.yaml, then reads every measured gap's analysis through
 * the named queries (analysis/database.ts) and charts it with the shared
 * specs (web/charts/specs.ts) plus one notebook-local chart.
 */
import { join } from 'node:path';
import { Analysis, type Row } from '../analysis/database.ts';
import { atlasTableRow, type AtlasDesign, type AtlasRow } from '../analysis/atlas-row.ts';
import { shortLabel, stopHeatmapSpec } from '../web/charts/specs.ts';
import { missionbench, Notebook, shown } from './lib/notebook.ts';

/** Baseline and alternatives of one gap: the failure metric's mean and 95% interval over seeds. */
function gapSpec(row: AtlasRow): Record<string, unknown> {
  const designs: AtlasDesign[] = [row.baseline as AtlasDesign, ...(row.alternatives ?? [])];
  const values = designs.map((design, order) => ({
    order,
    label: shortLabel(design.name),
    design: design.design,
    role: order === 0 ? "baseline (the seeds' AAuth)" : design.design === row.best?.design ? 'best alternative' : 'alternative',
    mean: design.failure.mean,
    low: design.failure.ci95?.low ?? design.failure.mean,
    high: design.failure.ci95?.high ?? design.failure.mean,
    cost: design.cost?.mean ?? null,
  }));
  const y = { field: 'label', type: 'nominal', sort: { field: 'order' }, title: 'design', axis: { labelLimit: 260 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${row.failure_metric?.label ?? row.measure} by design (95% interval over runs)`,
    width: 380,
    data: { values },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative', title: `${row.failure_metric?.label ?? row.measure} (${row.failure_metric?.unit ?? ''})` },
          x2: { field: 'high' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          y,
          x: { field: 'mean', type: 'quantitative' },
          color: {
            field: 'role',
            type: 'nominal',
            scale: { domain: ["baseline (the seeds' AAuth)", 'best alternative', 'alternative'], range: ['#e76f51', '#2a9d8f', '#8d99ae'] },
            title: null,
          },
        },
      },
    ],
  };
}

export async function build(work: string): Promise<Notebook> {
  const nb = new Notebook('researcher-gap-atlas', 'Researcher: the gap atlas');
  const out = join(work, 'atlas');
  nb.md(`
The seeds name governance gaps in mission-scoped authorization: places where
the drafts' AAuth, as written, lets something happen that the person who
approved the mission would not expect. The **gap atlas** turns each gap into
an experiment: a scenario that shows it, a grid of designs (the seeds' AAuth
first, as the *baseline*), several seeds per design, one metric that measures
the failure and one that measures what an alternative costs. The gaps are
listed in \`scenarios/atlas/gaps.yaml\`; this notebook runs them all, exactly as
a reader would:
`);
  nb.command(`npx missionbench atlas --out ${shown(out)} --workers 2 --json`);
  const atlas = JSON.parse(missionbench(['atlas', '--out', out, '--workers', '2', '--json'])) as { gaps: AtlasRow[] };
  const measured = atlas.gaps.filter((row) => row.status === 'measured');
  const waiting = atlas.gaps.filter((row) => row.status === 'waiting');
  nb.md(`
## The atlas at a glance

${atlas.gaps.length} gaps are defined; ${measured.length} have a scenario and were measured, ${waiting.length} wait for
scenarios still to be built. Each finding compares the baseline's failure metric with the best alternative's
(the cheapest design whose failure interval clears the baseline's).
`);
  nb.table(
    atlas.gaps.map((row) => atlasTableRow(row) as Row),
    Object.keys(atlasTableRow(atlas.gaps[0] as AtlasRow)),
  );

  for (const row of measured) {
    nb.md(`
## ${row.title}

Gap \`${row.gap}\`, from seed ${row.seed}; scenario \`${row.scenario}\`. The failure is ${row.failure_metric?.label}
(${row.failure_metric?.unit}; ${row.failure_metric?.interval}) and the cost ${row.cost_metric_info?.label ?? 'not measured'}
(${row.cost_metric_info?.unit ?? '-'}). Replications: ${row.stopping?.words ?? '?'}. The best alternative is ${row.rule ?? ''}
`);
    nb.finding(`finding-${row.gap}`, row.finding ?? '');
    await nb.chart(
      gapSpec(row),
      "Each design of the gap's grid: the dot is the mean over seeds, the bar its 95% confidence interval (no bar: every seed gave the same value).",
    );
    // The gap's own sweep, through the same named queries as the dashboard.
    const analysis = await Analysis.open(join(out, row.gap));
    try {
      const designs = await analysis.query('designs');
      const withStops = designs.filter((design) => design.p99_stop_s !== null);
      if (withStops.length > 0) {
        await nb.chart(
          stopHeatmapSpec(withStops),
          "The gap's runtime stop (termination to the last operation that still executed), p99 over every terminated mission of every seed: the dashboard's heatmap, from the `designs` query.",
        );
      }
      nb.table(designs, ['design', 'runs', 'missions', 'p50_stop_s', 'p99_stop_s', 'ops_after', 'irreversible_after', 'ps_load_rps']);
    } finally {
      analysis.close();
    }
  }

  if (waiting.length > 0) {
    nb.md(`
## Gaps still waiting for their scenario

${waiting.map((row) => `- **${row.title}** (\`${row.gap}\`, seed ${row.seed}): waits for ${row.waits_for}.`).join('\n')}

They appear in this notebook by themselves once their scenario and grid are in \`scenarios/atlas/gaps.yaml\`.
`);
  }
  return nb;
}
