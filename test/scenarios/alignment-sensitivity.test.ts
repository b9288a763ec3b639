import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import type { AlignmentSummary } from '../../sim/alignment/metrics.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

const FILE = join(SCENARIOS, 'due-diligence-drift.yaml');
const SEEDS = 20;

function alignment(overrides: string[], seed: number, dir: string): AlignmentSummary {
  return runScenario(loadScenario(FILE, overrides), { seed, outDir: dir }).summary.alignment as AlignmentSummary;
}

/**
 * The monitor's threshold curve (issue 16, item 3): the monitor judges from
 * the log alone (operations unusual against the mission's first five), so
 * its false alarms come from legitimate but unusual work (the report
 * written at the end) and its misses from drift that looks usual or comes
 * too sparsely for the window.
 */
describe('alignment monitor threshold: detection delay against false alarms', () => {
  it('raising the threshold trades false alarms for later detection, more misses and more harm before it', () => {
    const dir = join(tempDir(), 'run');
    const rows = [1, 2, 3, 4, 5].map((threshold) => {
      let falseAlarms = 0;
      let harm = 0;
      let delay = 0;
      let detected = 0;
      let missed = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        falseAlarms += alignment([`monitor.threshold=${threshold}`, 'agents[analyst].drift.model=none'], seed, dir).false_alarms;
        const drifting = alignment([`monitor.threshold=${threshold}`], seed, dir).missions[0]!;
        harm += drifting.unintended_before_detection;
        if (drifting.detection_delay_s !== null) {
          detected++;
          delay += drifting.detection_delay_s;
        } else if (drifting.unintended_executed > 0) missed++;
      }
      return { threshold, falseAlarms, harm, missed, meanDelay: delay / Math.max(detected, 1) };
    });
    for (let i = 1; i < rows.length; i++) {
      const [lower, higher] = [rows[i - 1]!, rows[i]!];
      expect(higher.falseAlarms, `false alarms at threshold ${higher.threshold}`).toBeLessThanOrEqual(lower.falseAlarms);
      expect(higher.harm, `harm before detection at threshold ${higher.threshold}`).toBeGreaterThan(lower.harm);
      expect(higher.missed, `missed drifts at threshold ${higher.threshold}`).toBeGreaterThanOrEqual(lower.missed);
    }
    // Threshold 1 alarms on the legitimate report write in most runs without drift; 2 and above do not.
    expect(rows[0]!.falseAlarms).toBeGreaterThanOrEqual(SEEDS / 2);
    expect(rows[1]!.falseAlarms).toBe(0);
    // The scenario's threshold (3) still catches every drift, later than threshold 1; 5 misses most.
    expect(rows[2]!.missed).toBe(0);
    expect(rows[2]!.meanDelay).toBeGreaterThan(10 * rows[0]!.meanDelay);
    expect(rows[4]!.missed).toBeGreaterThanOrEqual(SEEDS / 2);
    expect(rows[4]!.harm).toBeGreaterThan(5 * rows[0]!.harm);
  });
});
