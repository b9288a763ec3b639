import { describe, expect, it } from 'vitest';
import { scalingTable } from '../../bench/protocol-scaling.bench.ts';

const row = (agents: number, cpuS: number, rssMb: number, heapMb: number) => ({
  agents,
  events: agents * 100,
  wall_s: cpuS,
  cpu_s: cpuS,
  max_rss_mb: rssMb,
  peak_heap_mb: heapMb,
});

describe('the protocol scaling table', () => {
  it('prints µs per event, and bytes per agent as the growth from the size above', () => {
    // 1k: 1 s for 100,000 events = 10 us/event; 10k: 11 s for 1 M = 11 us/event.
    const table = scalingTable([row(1000, 1, 100, 40), row(10_000, 11, 190, 130)], '20m');
    const lines = table.split('\n');
    expect(lines[3]).toMatch(/^\s*1,000\s+100,000\s+1\.0\s+100,000\s+10\.00\s+100\s+40\s+-\s+-$/);
    // (190 - 100) MiB over 9,000 agents = 10,486 bytes each; the heap likewise.
    expect(lines[4]).toMatch(/^\s*10,000\s+1,000,000\s+11\.0\s+90,909\s+11\.00\s+190\s+130\s+10,486\s+10,486$/);
    expect(lines[5]).toBe('cost per event spread: 10.0% (target within 10%: met)');
  });

  it('says the target is not met when the dearest size costs more than 10% over the cheapest', () => {
    const table = scalingTable([row(1000, 1, 100, 40), row(10_000, 12, 190, 130)], '20m');
    expect(table.split('\n').at(-1)).toBe('cost per event spread: 20.0% (target within 10%: not met)');
  });
});
