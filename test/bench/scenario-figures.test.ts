import { describe, expect, it } from 'vitest';
import { flatFigures } from '../../bench/scenario.bench.ts';

describe("a scenario benchmark's figures", () => {
  it('flattens the steady state, adds the rates per CPU-second and keeps numbers only (no object or array reaches the table)', () => {
    const trace = [[0.5, 10, 0.1, 0.1]];
    const result = flatFigures({
      events: 1_000,
      cpu_s: 4,
      sys_s: 1,
      wall_s: 5,
      trace,
      steady: { from_s: 600, events: 600, cpu_s: 2, sys_s: 0.5, main_cpu_s: 1.9 },
    });
    expect(result).toEqual({
      events: 1_000,
      cpu_s: 4,
      sys_s: 1,
      wall_s: 5,
      events_per_cpu_s: 250,
      sys_share: 0.25,
      steady_from_s: 600,
      steady_events: 600,
      steady_cpu_s: 2,
      steady_sys_s: 0.5,
      steady_main_cpu_s: 1.9,
      steady_events_per_cpu_s: 300,
    });
    for (const value of Object.values(result)) expect(typeof value).toBe('number');
  });

  it('leaves a run without a steady state or CPU time as it is', () => {
    expect(flatFigures({ events: 10, wall_s: 1 })).toEqual({ events: 10, wall_s: 1 });
  });
});
