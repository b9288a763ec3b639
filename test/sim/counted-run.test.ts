import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { SCENARIOS, tempDir } from '../helpers.ts';

describe("a run with log: 'count'", () => {
  it('counts every event the written log has, the job events (typed methods) included', () => {
    const loaded = () => loadScenario(join(SCENARIOS, 'mm1.yaml'), ['duration=2000s']);
    const written = runScenario(loaded(), { outDir: join(tempDir(), 'written'), log: 'write' });
    const counted = runScenario(loaded(), { outDir: join(tempDir(), 'counted'), log: 'count' });
    expect(written.summary.queues[0]?.arrivals).toBeGreaterThan(1000);
    expect(counted.events).toBe(written.events);
  });
});
