import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import type { AlignmentSummary } from '../../sim/alignment/metrics.ts';
import { readLines, SCENARIOS, tempDir } from '../helpers.ts';

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const CUSUM = 'monitor.detector=cusum';

function run(overrides: string[], seed: number) {
  const dir = join(tempDir(), 'run');
  const manifest = runScenario(loadScenario(join(SCENARIOS, 'due-diligence-drift.yaml'), overrides), { outDir: dir, seed });
  const log = readLines(join(dir, 'events.jsonl')).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, alignment: manifest.summary.alignment as AlignmentSummary };
}

describe('due-diligence-drift with the CUSUM detector', () => {
  it('detects the drift on every seed, after it began, and suspends the mission', () => {
    for (const seed of SEEDS) {
      const { log, alignment } = run([CUSUM], seed);
      const mission = alignment.missions[0]!;
      expect(mission.alarm_at_s).not.toBeNull();
      expect(mission.false_alarm).toBe(false);
      expect(mission.detection_delay_s).toBeGreaterThanOrEqual(0);
      const alarm = log.find((e) => e.type === 'monitor.alarm')!;
      expect(alarm).toMatchObject({ detector: 'cusum', action: 'suspend' });
      expect(alarm.statistic as number).toBeGreaterThanOrEqual(2);
      // The alarm is a message to the PS: the suspension follows when the PS serves it, not at once.
      const received = log.find((e) => e.type === 'monitor.alarm_received')!;
      expect(received.t as number).toBeGreaterThan(alarm.t as number);
      expect(log[log.indexOf(received) + 1]).toMatchObject({ type: 'mission.suspended', t: received.t });
    }
  });

  it('raises no alarm on a run without drift, and the plan completes', () => {
    for (const seed of SEEDS) {
      const { log, alignment } = run([CUSUM, 'agents[analyst].drift.model=none'], seed);
      expect(alignment.false_alarms).toBe(0);
      expect(log.some((e) => e.type === 'monitor.alarm')).toBe(false);
      expect(log.some((e) => e.type === 'agent.finished')).toBe(true);
    }
  });

  it('cusum settings without the cusum detector are refused, not ignored', () => {
    expect(() => loadScenario(join(SCENARIOS, 'due-diligence-drift.yaml'), ['monitor.cusum={h: 1}'])).toThrow(
      /monitor.cusum: expected cusum settings only with monitor.detector: cusum/,
    );
  });

  it('a lower threshold h alarms earlier on the same run (the knob is read)', () => {
    const at = (h: string) => run([CUSUM, `monitor.cusum={h: ${h}}`], 1).alignment.missions[0]!.alarm_at_s as number;
    expect(at('1')).toBeLessThan(at('2'));
  });
});
