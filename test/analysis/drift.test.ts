import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Analysis, type Row } from '../../analysis/database.ts';
import { ingestAnalysis } from '../../analysis/ingest.ts';
import { viewDefinitions } from '../../analysis/queries.ts';
import { discoverRuns } from '../../analysis/run-folders.ts';
import type { AlignmentSummary } from '../../sim/alignment/metrics.ts';
import { SCENARIOS } from '../helpers.ts';
import { buildSweep } from './fixtures.ts';

// Seed 000's M&A drift with and without the runtime monitor.
const SWEEPS = {
  drift: { scenario: 'due-diligence-drift.yaml', grid: ['monitor.enabled=false,true'], seeds: [1, 2, 3] },
};
const root = mkdtempSync(join(tmpdir(), 'missionbench-drift-'));
const analyses = new Map<string, Analysis>();

beforeAll(async () => {
  for (const [name, sweep] of Object.entries(SWEEPS)) {
    const dir = join(root, name);
    buildSweep(join(SCENARIOS, sweep.scenario), sweep.grid, sweep.seeds, dir);
    await ingestAnalysis(discoverRuns(dir), viewDefinitions());
    analyses.set(name, await Analysis.open(dir));
  }
}, 120_000);

afterAll(() => {
  for (const analysis of analyses.values()) analysis.close();
  rmSync(root, { recursive: true, force: true });
});

const byDesign = (rows: readonly Row[], design: string) => rows.find((row) => row.design === design) as Row;

describe('drift and runtime alignment, defined in SQL (run_drift)', () => {
  /** The simulator's own tally (summary.alignment) of every run, by design. */
  function simulatorTallies(): Map<string, AlignmentSummary[]> {
    const tallies = new Map<string, AlignmentSummary[]>();
    for (const run of discoverRuns(join(root, 'drift')).runs) {
      const manifest = JSON.parse(readFileSync(join(root, 'drift', run.run_id, 'manifest.json'), 'utf8'));
      tallies.set(run.design, [...(tallies.get(run.design) ?? []), manifest.summary.alignment as AlignmentSummary]);
    }
    return tallies;
  }

  it('agrees with the simulator run by run: detection delay, harm before detection, false alarms', async () => {
    const rows = await (analyses.get('drift') as Analysis).query('drift');
    const tallies = simulatorTallies();
    expect([...tallies.keys()]).toEqual(['monitor.enabled=false', 'monitor.enabled=true']);
    for (const [design, runs] of tallies) {
      const row = byDesign(rows, design);
      const missions = runs.flatMap((summary) => summary.missions);
      const delays = runs.map((summary) => Math.max(...summary.missions.map((m) => m.detection_delay_s ?? -Infinity))).filter(Number.isFinite);
      const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
      expect(row.runs).toBe(runs.length);
      expect(row.unintended_before_detection).toBeCloseTo(missions.reduce((sum, m) => sum + m.unintended_before_detection, 0) / runs.length, 9);
      expect(row.irreversible_before_detection).toBeCloseTo(missions.reduce((sum, m) => sum + m.irreversible_unintended_before_detection, 0) / runs.length, 9);
      expect(row.false_alarms).toBe(runs.reduce((sum, summary) => sum + summary.false_alarms, 0));
      if (delays.length === 0) expect(row.detection_delay_mean_s).toBeNull();
      else expect(row.detection_delay_mean_s).toBeCloseTo(mean(delays), 6);
    }
  });

  it('shows the monitor buying detection: without it every drift goes undetected, with it none does', async () => {
    const rows = await (analyses.get('drift') as Analysis).query('drift');
    const off = byDesign(rows, 'monitor.enabled=false');
    const on = byDesign(rows, 'monitor.enabled=true');
    expect(off.drifting_agents).toBe(3);
    expect(off.undetected_drifts).toBe(3);
    expect(on.undetected_drifts).toBe(0);
    expect(on.detection_delay_mean_s as number).toBeGreaterThan(0);
    expect(on.unintended_before_detection as number).toBeLessThan(off.unintended_before_detection as number);
  });

  it('draws the timeline: running counts of unintended operations that never decrease, and an alarm on each monitored run', async () => {
    const rows = await (analyses.get('drift') as Analysis).query('drift_timeline');
    const alarms = rows.filter((row) => row.kind === 'alarm');
    expect(alarms.map((row) => row.design)).toEqual(['monitor.enabled=true', 'monitor.enabled=true', 'monitor.enabled=true']);
    const byRun = new Map<string, Row[]>();
    for (const row of rows.filter((r) => r.kind === 'op')) byRun.set(String(row.run_id), [...(byRun.get(String(row.run_id)) ?? []), row]);
    expect(byRun.size).toBe(6);
    for (const points of byRun.values()) {
      for (let i = 1; i < points.length; i++) {
        expect(points[i]?.unintended_so_far as number).toBeGreaterThanOrEqual(points[i - 1]?.unintended_so_far as number);
        expect(points[i]?.t_s as number).toBeGreaterThanOrEqual(points[i - 1]?.t_s as number);
      }
    }
    // An alarm sits on the count reached when it was raised: at least one unintended operation.
    for (const alarm of alarms) expect(alarm.unintended_so_far as number).toBeGreaterThan(0);
  });
});
