import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { mmcTheory } from '../../sim/queueing-theory.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

const TOLERANCE = 0.02;

function relativeError(measured: number, expected: number): number {
  return Math.abs(measured - expected) / expected;
}

describe('closed-form M/M/c values', () => {
  it('reduce to the M/M/1 formulas for one server', () => {
    const theory = mmcTheory(1, 1 / 0.6, 1);
    expect(theory.utilization).toBeCloseTo(0.6, 12);
    expect(theory.meanWait).toBeCloseTo((0.6 * 0.6) / (1 - 0.6), 12); // rho / (mu - lambda)
    expect(theory.meanInSystem).toBeCloseTo(0.6 / 0.4, 12);
  });

  it('give the textbook Erlang C probability for c=2, a=1', () => {
    // With a = 1 Erlang and two servers, C = 1/3.
    expect(mmcTheory(1, 1, 2).probabilityOfWaiting).toBeCloseTo(1 / 3, 12);
  });

  it('refuse an unstable queue', () => {
    expect(() => mmcTheory(2, 1, 2)).toThrow(RangeError);
  });
});

describe.each(['mm1', 'mmc'])('the %s scenario over a long run', (name) => {
  const manifest = runScenario(loadScenario(join(SCENARIOS, `${name}.yaml`)), { outDir: join(tempDir(), name) });
  const queue = manifest.summary.queues[0]!;
  const theory = queue.theory!;

  it('has a closed form to compare with and enough customers', () => {
    expect(theory).toBeDefined();
    expect(queue.completed).toBeGreaterThan(900_000);
  });

  it.each([
    ['mean wait', queue.mean_wait_s, theory.meanWait],
    ['mean sojourn', queue.mean_sojourn_s, theory.meanSojourn],
    ['utilization', queue.utilization, theory.utilization],
    ['time-average number in system', queue.mean_in_system, theory.meanInSystem],
  ])(`matches the closed-form %s within ${TOLERANCE * 100}%%`, (_label, measured, expected) => {
    expect(relativeError(measured, expected)).toBeLessThan(TOLERANCE);
  });

  it("obeys Little's law: L = lambda W within 2%", () => {
    expect(relativeError(queue.littles_law_l, queue.mean_in_system)).toBeLessThan(TOLERANCE);
  });
});
