import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import type { AlignmentSummary } from '../../sim/alignment/metrics.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

const FILE = join(SCENARIOS, 'due-diligence-drift.yaml');
const SEEDS = 20;
// A noisier judge than the scenario's, so false alarms show at low thresholds.
const JUDGE = 'monitor.false_flag=0.15';

function alignment(overrides: string[], seed: number, dir: string): AlignmentSummary {
  return runScenario(loadScenario(FILE, overrides), { seed, outDir: dir }).summary.alignment as AlignmentSummary;
}

describe('alignment monitor sensitivity (issue 5, item 6)', () => {
  it('raising the threshold trades false alarms for later detection and more harm before it', () => {
    const dir = join(tempDir(), 'run');
    const rows = [1, 2, 3, 4, 5].map((threshold) => {
      let falseAlarms = 0;
      let harm = 0;
      let delay = 0;
      let detected = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        falseAlarms += alignment([`monitor.threshold=${threshold}`, JUDGE, 'agents[analyst].drift.model=none'], seed, dir).false_alarms;
        const drifting = alignment([`monitor.threshold=${threshold}`, JUDGE], seed, dir).missions[0]!;
        harm += drifting.unintended_before_detection;
        if (drifting.detection_delay_s !== null) {
          detected++;
          delay += drifting.detection_delay_s;
        }
      }
      return { threshold, falseAlarms, harm, meanDelay: delay / Math.max(detected, 1) };
    });
    for (let i = 1; i < rows.length; i++) {
      const [lower, higher] = [rows[i - 1]!, rows[i]!];
      expect(higher.falseAlarms, `false alarms at threshold ${higher.threshold}`).toBeLessThanOrEqual(lower.falseAlarms);
      expect(higher.harm, `harm before detection at threshold ${higher.threshold}`).toBeGreaterThanOrEqual(lower.harm);
      expect(higher.meanDelay, `mean detection delay at threshold ${higher.threshold}`).toBeGreaterThanOrEqual(lower.meanDelay);
    }
    // And the ends differ by a wide margin, not by noise.
    expect(rows[0]!.falseAlarms).toBeGreaterThanOrEqual(SEEDS / 2);
    expect(rows[4]!.falseAlarms).toBe(0);
    expect(rows[4]!.harm).toBeGreaterThan(5 * rows[0]!.harm);
  });
});
