import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLimitError } from '../../sim/event-budget.ts';
import { runScenario, runScenarioInterruptibly } from '../../sim/run.ts';
import { loadScenario } from '../../sim/scenario/load.ts';
import { tempDir, writeScenario } from '../helpers.ts';

// About 250,000 events: several turns of 100,000 events for the event loop.
const BUSY = `name: busy
description: a queue with frequent arrivals
duration: 2m
seed: 3
topology:
  resources:
    - id: db
      queue:
        servers: 2
        service: exp(1ms)
workload:
  - id: load
    resource: db
    interarrival: exp(1ms)
`;

describe('the event limit and the turns a run gives the event loop', () => {
  it('change nothing in the log: sync, interruptible and limit-exactly-met runs are byte-identical', async () => {
    const file = writeScenario(BUSY);
    const plain = runScenario(loadScenario(file), { outDir: join(tempDir(), 'plain') });
    expect(plain.events).toBeGreaterThan(200_000);
    const turns = await runScenarioInterruptibly(loadScenario(file), { outDir: join(tempDir(), 'turns') });
    const exact = runScenario(loadScenario(file, [`limits.events=${plain.events}`]), { outDir: join(tempDir(), 'exact') });
    expect(turns.fingerprint).toBe(plain.fingerprint);
    expect(exact.fingerprint).toBe(plain.fingerprint);
    expect(exact.events).toBe(plain.events);
  }, 60_000);

  it('fails a run with one event too many, leaving nothing in the output folder', async () => {
    const file = writeScenario(BUSY);
    const folder = tempDir();
    const limited = loadScenario(file, ['limits.events=1000']);
    expect(() => runScenario(limited, { outDir: join(folder, 'out') })).toThrow(EventLimitError);
    await expect(runScenarioInterruptibly(limited, { outDir: join(folder, 'out') })).rejects.toThrow(
      /^the run passed its limit of 1000 events at t = \S+ of 2m simulated \(scenario limits\.events\); nothing was written/,
    );
    expect(existsSync(join(folder, 'out'))).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('refuses a limit below 1', () => {
    const file = writeScenario(BUSY);
    expect(() => loadScenario(file, ['limits.events=0'])).toThrow('limits.events: expected a number >= 1, found number 0');
  });
});
