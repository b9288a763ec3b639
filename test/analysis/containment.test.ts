import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analysis } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import type { AuthorityMetrics } from '../../sim/truth/metrics.ts';
import { SCENARIOS } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

// Two sweeps over the authority scenarios: the vendor chain by PS model, the
// law firm by the counsel AS's trust policy.
const SWEEPS = {
  vendor: { scenario: 'vendor-onboarding-chain.yaml', grid: ['topology.person_servers[0].authority=text,envelope'] },
  lawFirm: { scenario: 'law-firm-cross-domain.yaml', grid: ['topology.access_servers[0].trust=trust-all,conservative,clarify,envelope-projection'] },
};
const root = mkdtempSync(join(tmpdir(), 'missionbench-containment-'));
const opened: Analysis[] = [];

async function open(name: keyof typeof SWEEPS): Promise<{ analysis: Analysis; dir: string }> {
  const dir = join(root, name);
  const analysis = await Analysis.open(dir);
  opened.push(analysis);
  return { analysis, dir };
}

beforeAll(async () => {
  for (const [name, sweep] of Object.entries(SWEEPS)) {
    const dir = join(root, name);
    buildSweep(join(SCENARIOS, sweep.scenario), sweep.grid, [1, 2, 3, 4], dir);
    await ingestAnalysis(discoverRuns(dir), viewDefinitions());
  }
});

afterAll(() => {
  for (const analysis of opened) analysis.close();
  rmSync(root, { recursive: true, force: true });
});

/** The simulator's own tally of each run (summary.authority), by design, summed over seeds. */
function simulatorTotals(dir: string): Map<string, AuthorityMetrics[]> {
  const byDesign = new Map<string, AuthorityMetrics[]>();
  for (const run of discoverRuns(dir).runs) {
    const manifest = JSON.parse(readFileSync(join(dir, run.run_id, 'manifest.json'), 'utf8'));
    byDesign.set(run.design, [...(byDesign.get(run.design) ?? []), manifest.summary.authority as AuthorityMetrics]);
  }
  return byDesign;
}

describe('containment, defined in SQL over truth.jsonl', () => {
  it('agrees with the simulator run by run, for every metric of issue 4', async () => {
    for (const name of ['vendor', 'lawFirm'] as const) {
      const { analysis, dir } = await open(name);
      const rows = await analysis.query('replications');
      const mean = (design: string, metric: string) => rows.find((row) => row.design === design && row.metric === metric)?.mean;
      for (const [design, runs] of simulatorTotals(dir)) {
        const avg = (pick: (m: AuthorityMetrics) => number) => runs.reduce((sum, m) => sum + pick(m), 0) / runs.length;
        expect(mean(design, 'outside_intent')).toBeCloseTo(
          avg((m) => m.executed_outside_intent),
          9,
        );
        expect(mean(design, 'outside_provable')).toBeCloseTo(
          avg((m) => m.violations_provable_from_log),
          9,
        );
        expect(mean(design, 'outside_oracle_only')).toBeCloseTo(
          avg((m) => m.violations_oracle_only),
          9,
        );
        expect(mean(design, 'false_denials')).toBeCloseTo(
          avg((m) => m.false_denials),
          9,
        );
        expect(mean(design, 'cross_domain_disagreements')).toBeCloseTo(
          avg((m) => m.cross_domain_disagreements),
          9,
        );
        expect(mean(design, 'body_disclosures')).toBeCloseTo(
          avg((m) => m.body_disclosures),
          9,
        );
        expect(mean(design, 'delegations_rejected')).toBeCloseTo(
          avg((m) => m.delegations_rejected),
          9,
        );
      }
    }
  });

  it("shows seed 000's vendor chain: under text the escape is at depth 2 and only the oracle sees it; under envelope none", async () => {
    const { analysis } = await open('vendor');
    const rows = await analysis.query('containment');
    const text = rows.filter((row) => row.design === 'topology.person_servers[0].authority=text');
    const envelope = rows.filter((row) => row.design === 'topology.person_servers[0].authority=envelope');
    const outsideAt = (set: typeof rows, depth: number) => set.find((row) => row.depth === depth)?.outside_intent ?? 0;
    expect(outsideAt(text, 2)).toBeGreaterThan(0);
    expect(text.reduce((sum, row) => sum + (row.outside_provable as number), 0)).toBe(0);
    expect(envelope.reduce((sum, row) => sum + (row.outside_intent as number), 0)).toBe(0);
  });

  it('shows the law firm: only clarify discloses the mission body; envelope projection of a scopes PS agrees with it and refuses nothing intended', async () => {
    const { analysis } = await open('lawFirm');
    const rows = await analysis.query('replications');
    const mean = (trust: string, metric: string) =>
      rows.find((row) => row.design === `topology.access_servers[0].trust=${trust}` && row.metric === metric)?.mean;
    expect(mean('clarify', 'body_disclosures')).toBeGreaterThan(0);
    for (const trust of ['trust-all', 'conservative', 'envelope-projection']) expect(mean(trust, 'body_disclosures')).toBe(0);
    // The projection is of what the PS enforces (its scope list lists bulk submission), not of the intent.
    expect(mean('envelope-projection', 'outside_intent')).toBe(mean('trust-all', 'outside_intent'));
    expect(mean('envelope-projection', 'cross_domain_disagreements')).toBe(0);
    expect(mean('envelope-projection', 'false_denials')).toBe(0);
    expect(mean('trust-all', 'outside_intent')).toBeGreaterThan(0);
    expect(mean('conservative', 'false_denials')).toBeGreaterThan(0);
  });
});
