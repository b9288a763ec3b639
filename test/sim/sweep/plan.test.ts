import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { axisKey, parseGridAxis, parseSeeds, parseShard, planSweep, shardOf, splitValues, SweepSpecError } from '../../../sim/sweep/plan.ts';

describe('sweep grid parsing', () => {
  it('splits values on commas outside parentheses, so distributions stay whole', () => {
    expect(splitValues('exp(2m),uniform(1s, 5s), 30s')).toEqual(['exp(2m)', 'uniform(1s, 5s)', '30s']);
    expect(parseGridAxis('topology.resources[ledger].revocation.mode=none,push')).toEqual({
      path: 'topology.resources[ledger].revocation.mode',
      key: 'topology_resources_ledger_revocation_mode',
      values: ['none', 'push'],
    });
  });

  it('refuses a grid without values, with an empty value or a repeated one, and a malformed path', () => {
    expect(() => parseGridAxis('tokens.auth_ttl')).toThrow(/path=v1,v2/);
    expect(() => parseGridAxis('tokens.auth_ttl=5m,,10m')).toThrow(/empty value/);
    expect(() => parseGridAxis('tokens.auth_ttl=5m,5m')).toThrow(/listed twice/);
    expect(() => parseGridAxis('tokens..x]=1')).toThrow(SweepSpecError);
  });

  it('reads seed ranges and lists, and refuses the rest', () => {
    expect(parseSeeds('1..4')).toEqual([1, 2, 3, 4]);
    expect(parseSeeds('7')).toEqual([7]);
    expect(parseSeeds('3,1,9')).toEqual([3, 1, 9]);
    expect(() => parseSeeds('5..2')).toThrow(/empty/);
    expect(() => parseSeeds('1..x')).toThrow(/range like 1..30/);
    expect(() => parseSeeds('1,1')).toThrow(/twice/);
  });

  it('reads shards as 1-based i/n', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(() => parseShard('0/4')).toThrow(/1 <= i <= n/);
    expect(() => parseShard('5/4')).toThrow(/1 <= i <= n/);
    expect(() => parseShard('2')).toThrow(/i\/n/);
  });

  it('names axes by their path with other characters folded to _', () => {
    expect(axisKey('topology.resources[0].queue.servers')).toBe('topology_resources_0_queue_servers');
  });
});

describe('planSweep', () => {
  it('orders runs by grid point (first axis outermost) then seed, with hive-style folders', () => {
    const runs = planSweep([parseGridAxis('a.b=1,2'), parseGridAxis('c=x,y/z')], [5, 6], ['d=3']);
    expect(runs.map((run) => run.id)).toEqual([
      'runs/a_b=1/c=x/seed=5',
      'runs/a_b=1/c=x/seed=6',
      'runs/a_b=1/c=y%2Fz/seed=5',
      'runs/a_b=1/c=y%2Fz/seed=6',
      'runs/a_b=2/c=x/seed=5',
      'runs/a_b=2/c=x/seed=6',
      'runs/a_b=2/c=y%2Fz/seed=5',
      'runs/a_b=2/c=y%2Fz/seed=6',
    ]);
    expect(runs[2]).toMatchObject({ index: 2, design: 'a.b=1, c=y/z', params: { a_b: '1', c: 'y/z' }, seed: 5, overrides: ['d=3', 'a.b=1', 'c=y/z'] });
    expect(planSweep([], [1, 2]).map((run) => run.id)).toEqual(['runs/seed=1', 'runs/seed=2']);
  });

  it('refuses two axes with one column name', () => {
    expect(() => planSweep([parseGridAxis('a.b=1'), parseGridAxis('a_b=2')], [1])).toThrow(/gridded twice/);
  });

  it('shards partition the runs: every run in exactly one shard, whatever the grid and shard count', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 9 }),
        (a, b, seeds, count) => {
          const plan = planSweep(
            [
              parseGridAxis(`x=${Array.from({ length: a }, (_, i) => i).join(',')}`),
              parseGridAxis(`y=${Array.from({ length: b }, (_, i) => `v${i}`).join(',')}`),
            ],
            Array.from({ length: seeds }, (_, i) => i + 1),
          );
          const seen = Array.from({ length: count }, (_, i) => shardOf(plan, { index: i + 1, count }))
            .flat()
            .map((run) => run.index)
            .sort((p, q) => p - q);
          expect(seen).toEqual(plan.map((run) => run.index));
          expect(new Set(plan.map((run) => run.id)).size).toBe(plan.length);
        },
      ),
    );
  });
});
