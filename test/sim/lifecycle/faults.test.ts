import { describe, expect, it } from 'vitest';
import { parseDistribution } from '../../../sim/engine/distribution.ts';
import { Simulation } from '../../../sim/engine/simulation.ts';
import { scheduleFaults, type Crashable } from '../../../sim/lifecycle/faults.ts';
import type { CompiledFault } from '../../../sim/scenario/compile.ts';
import { WorldContext } from '../../../sim/world/context.ts';
import { RecordingSink } from '../world/recording-sink.ts';

const fault = (agent: string, atUs: number, restart: string): CompiledFault => ({
  def: { agent, at: `${atUs}us` },
  atUs,
  restart: parseDistribution(restart, 'duration'),
});

function crashes(faults: CompiledFault[], seed = 1) {
  const sim = new Simulation();
  const ctx = new WorldContext(sim, seed, new RecordingSink());
  const seen: Array<[string, number, number]> = [];
  const agent = (id: string): Crashable => ({
    crash: (restartAfter) => seen.push([id, sim.now, restartAfter]),
    revokeAgentToken: () => seen.push([id, sim.now, -1]),
  });
  scheduleFaults(
    ctx,
    faults,
    new Map([
      ['a', agent('a')],
      ['b', agent('b')],
    ]),
  );
  sim.run();
  return seen;
}

describe('scheduleFaults', () => {
  it("crashes each agent at its fault's time with the restart time drawn", () => {
    expect(crashes([fault('a', 5_000_000, 'const(10s)'), fault('b', 2_000_000, 'const(3s)')])).toEqual([
      ['b', 2_000_000, 3_000_000],
      ['a', 5_000_000, 10_000_000],
    ]);
  });

  it("draws restart times from the provider's own stream: another provider's faults change nothing", () => {
    const alone = crashes([fault('a', 1, 'exp(10s)'), fault('a', 2, 'exp(10s)')]);
    const withOther = crashes([fault('b', 0, 'exp(10s)'), fault('a', 1, 'exp(10s)'), fault('b', 1, 'exp(10s)'), fault('a', 2, 'exp(10s)')]).filter(
      ([id]) => id === 'a',
    );
    expect(withOther).toEqual(alone);
    expect(alone[0]![2]).not.toBe(alone[1]![2]); // each crash draws its own
    expect(crashes([fault('a', 1, 'exp(10s)')], 2)[0]![2]).not.toBe(alone[0]![2]); // and the draw follows the seed
  });

  it('schedules nothing without faults', () => {
    expect(crashes([])).toEqual([]);
  });
});
