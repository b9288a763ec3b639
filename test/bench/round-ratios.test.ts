import { describe, expect, it } from 'vitest';
import { peerFigures, peerReport } from '../../bench/peer.bench.ts';
import { roundRatios, roundsMeeting } from '../../bench/round-ratios.ts';

describe('ratios measured in interleaved rounds', () => {
  it('divides within each round, not median by median', () => {
    // The machine was fast in round 2 for both sides: within-round ratios are 2, 2, 2,
    // while median(a) / median(b) would be 220 / 100 = 2.2.
    const ratios = roundRatios([200, 300, 220], [100, 150, 110]);
    expect(ratios?.rounds).toEqual([2, 2, 2]);
    expect(ratios?.median).toBe(2);
  });

  it('gives the median and the range of the per-round ratios', () => {
    const ratios = roundRatios([150, 210, 190, 240], [100, 100, 100, 100]);
    expect(ratios).toEqual({ median: 2, low: 1.5, high: 2.4, rounds: [1.5, 2.1, 1.9, 2.4] });
  });

  it('has no ratio without the other side, or with rounds that do not pair up', () => {
    expect(roundRatios([1, 2, 3], [])).toBeUndefined();
    expect(roundRatios([1, 2, 3], [1, 2])).toBeUndefined();
  });

  it('says in how many rounds a target was met', () => {
    const ratios = roundRatios([150, 210, 190], [100, 100, 100]);
    if (ratios === undefined) throw new Error('expected ratios');
    expect(roundsMeeting(ratios, 2)).toBe('met in 1 of 3 rounds');
    expect(roundsMeeting(ratios, 1.5)).toBe('met in every round (3 of 3)');
    expect(roundsMeeting(ratios, 3)).toBe('not met in any round (0 of 3)');
  });
});

describe('the peer benchmark’s figures', () => {
  const rates = {
    simpy: [100_000, 130_000, 120_000],
    log: [190_000, 270_000, 250_000],
    sweep: [150_000, 200_000, 180_000],
    count: [2_000_000, 2_600_000, 2_400_000],
    heap: [6_000_000, 7_800_000, 7_200_000],
  };

  it('prints each target ratio as the median of its rounds, with their range', () => {
    const figures = peerFigures(rates);
    // Per round 1.9, 2.08, 2.08: median 2.08 (median over median would be 250k / 120k = 2.08 here too, but the low end is 1.9).
    expect(figures.log_vs_simpy).toBe(2.08);
    expect(figures.log_vs_simpy_low).toBe(1.9);
    expect(figures.log_vs_simpy_high).toBe(2.08);
    expect(figures.sweep_vs_simpy_low).toBe(1.5);
    expect(figures.sweep_vs_simpy_high).toBe(1.54);
    expect(figures.nolog_vs_simpy).toBe(20);
    expect(figures.nolog_vs_simpy_low).toBeUndefined();
    expect(figures.log_vs_heap).toBe(0.03);
    expect(figures.simpy_per_cpu_s).toBe(120_000);
  });

  it('prints no ratio to SimPy when SimPy is not installed, and no report', () => {
    const figures = peerFigures({ ...rates, simpy: [] });
    expect(figures.log_vs_simpy).toBeUndefined();
    expect(figures.log_vs_simpy_low).toBeUndefined();
    expect(figures.simpy_per_cpu_s).toBeUndefined();
    expect(figures.log_vs_heap).toBe(0.03);
    expect(peerReport({ ...rates, simpy: [] }, [0.2, 0.2, 0.2])).toBeUndefined();
  });

  it('reports every round and each target round by round', () => {
    const report = peerReport(rates, [0.26, 0.05, 0.1]) ?? '';
    expect(report).toContain('1      100k     190k (1.90x, 26% sys)');
    expect(report).toContain('log_vs_simpy >= 2: met in 2 of 3 rounds');
    expect(report).toContain('sweep_vs_simpy >= 10: not met in any round (0 of 3)');
  });
});
