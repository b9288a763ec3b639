import type { Analysis, Row } from './database.ts';

/** What the atlas says about one design of a gap: the failure metric and the cost, mean and 95% CI over seeds. */
export interface AtlasDesign {
  design: string;
  measure: { mean: number | null; ci95_low: number | null; ci95_high: number | null; n: number };
  cost: { mean: number | null } | null;
}

export interface AtlasRow {
  gap: string;
  title: string;
  seed: string;
  scenario: string;
  status: 'measured' | 'waiting';
  waits_for?: string;
  measure?: string;
  /** Whether a lower (failures) or a higher (guarantees kept) measure is better. */
  better?: 'lower' | 'higher';
  cost_metric?: string;
  baseline?: AtlasDesign;
  alternatives?: AtlasDesign[];
  /** The alternative with the best measure (least failure, or most kept; ties: the cheapest). */
  best?: AtlasDesign;
  /** One line for the table: the measured failure and what the best alternative buys and costs. */
  finding?: string;
}

function pick(rows: readonly Row[], design: string, metric: string): Row | undefined {
  return rows.find((row) => row.design === design && row.metric === metric);
}

function format(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : String(Number(value.toPrecision(3)));
}

/**
 * One gap's atlas entry from its sweep's `replications` query: the
 * baseline design (the seeds' AAuth) with its failure metric, every
 * alternative design with the same metric and its cost.
 */
export async function atlasRow(
  analysis: Analysis,
  gap: { id: string; title: string; seed: string; scenario: string; baseline: string; measure: string; better?: 'lower' | 'higher' | undefined; cost?: string | undefined },
): Promise<AtlasRow> {
  const rows = await analysis.query('replications');
  const designs = [...new Set(rows.map((row) => String(row.design)))];
  const describe = (design: string): AtlasDesign => {
    const measured = pick(rows, design, gap.measure);
    const cost = gap.cost ? pick(rows, design, gap.cost) : undefined;
    return {
      design,
      measure: {
        mean: (measured?.mean as number | undefined) ?? null,
        ci95_low: (measured?.ci95_low as number | undefined) ?? null,
        ci95_high: (measured?.ci95_high as number | undefined) ?? null,
        n: (measured?.n as number | undefined) ?? 0,
      },
      cost: gap.cost ? { mean: (cost?.mean as number | undefined) ?? null } : null,
    };
  };
  if (!designs.includes(gap.baseline)) {
    throw new Error(`atlas gap ${gap.id}: the baseline design ${JSON.stringify(gap.baseline)} is not one of its sweep's designs (${designs.join('; ')})`);
  }
  const baseline = describe(gap.baseline);
  const alternatives = designs.filter((design) => design !== gap.baseline).map(describe);
  const sign = gap.better === 'higher' ? -1 : 1;
  const score = (d: AtlasDesign) => (d.measure.mean === null ? Infinity : sign * d.measure.mean);
  const best = [...alternatives].sort((a, b) => score(a) - score(b) || (a.cost?.mean ?? 0) - (b.cost?.mean ?? 0))[0];
  const finding = `baseline: ${gap.measure} ${format(baseline.measure.mean)}` +
    (baseline.cost ? ` at ${gap.cost} ${format(baseline.cost.mean)}` : '') +
    (best ? `; best alternative (${best.design}): ${format(best.measure.mean)}${best.cost ? ` at ${gap.cost} ${format(best.cost.mean)}` : ''}` : '');
  return { gap: gap.id, title: gap.title, seed: gap.seed, scenario: gap.scenario, status: 'measured', measure: gap.measure, better: gap.better ?? 'lower', cost_metric: gap.cost, baseline, alternatives, best, finding };
}

/** An atlas entry as one flat table row (report, dashboard): the measured finding, or what the gap waits for. */
export function atlasTableRow(row: AtlasRow): Record<string, unknown> {
  return { gap: row.gap, title: row.title, seed: row.seed, scenario: row.scenario, status: row.status, finding: row.finding ?? `waits for ${row.waits_for ?? '?'}` };
}
