import { describe, expect, it } from 'vitest';
import { scalingTable } from '../../bench/protocol-scaling.bench.ts';

/** A run of `agents` with 100 events each, `steadyCpuS` of CPU for the 50 events per agent after 600 s, a tenth of it the kernel's. */
const row = (agents: number, cpuS: number, steadyCpuS: number, rssMb: number, heapMb: number, steadySysS = steadyCpuS / 10) => ({
  agents,
  events: agents * 100,
  wall_s: cpuS,
  cpu_s: cpuS,
  main_cpu_s: cpuS * 0.75,
  max_rss_mb: rssMb,
  peak_heap_mb: heapMb,
  steady: { from_s: 600, events: agents * 50, cpu_s: steadyCpuS, sys_s: steadySysS },
});

describe('the protocol scaling table', () => {
  it('prints µs per event for the whole run and the steady state, and bytes per agent as the growth from the size above', () => {
    // 1k: 1 s for 100,000 events = 10 us/event, 0.2 s for the 50,000 after 600 s = 4 us/event;
    // 10k: 11 s for 1 M = 11 us/event, 2.2 s for 500,000 = 4.4 us/event.
    const table = scalingTable([row(1000, 1, 0.2, 100, 40), row(10_000, 11, 2.2, 190, 130)], '20m');
    const lines = table.split('\n');
    // Of the steady 4 us, the kernel's tenth: 0.40 us.
    expect(lines[3]).toMatch(/^\s*1,000\s+100,000\s+1\.0\s+100,000\s+10\.00\s+4\.00\s+0\.40\s+25%\s+100\s+40\s+-\s+-$/);
    // (190 - 100) MiB over 9,000 agents = 10,486 bytes each; the heap likewise.
    expect(lines[4]).toMatch(/^\s*10,000\s+1,000,000\s+11\.0\s+90,909\s+11\.00\s+4\.40\s+0\.44\s+25%\s+190\s+130\s+10,486\s+10,486$/);
    expect(lines[5]).toBe(
      'cost per event spread, steady state (from 600 s, every agent started; the target is judged on this): 10.0% (target within 10%: met)',
    );
    expect(lines[6]).toBe("cost per event spread, steady state, user time only (the kernel's time moves with the machine's free page reporting): 10.0%");
    expect(lines[7]).toBe("cost per event spread, whole run (with V8's warm-up and the agents' start-up, fixed costs that weigh most at 1k): 10.0%");
  });

  it("prints the steady spread of the user time alone beside the target's, which is still judged with the kernel's time", () => {
    // Steady 4 and 4.8 us (20% apart), of it kernel 0.2 and 0.8 us: 3.8 and 4.0 us without it, 5.3% apart.
    const table = scalingTable([row(1000, 1, 0.2, 100, 40, 0.01), row(10_000, 11, 2.4, 190, 130, 0.4)], '20m');
    const lines = table.split('\n');
    expect(lines[3]).toMatch(/\s4\.00\s+0\.20\s/);
    expect(lines[4]).toMatch(/\s4\.80\s+0\.80\s/);
    expect(lines[5]).toMatch(/: 20\.0% \(target within 10%: not met\)$/);
    expect(lines[6]).toMatch(/user time only .*: 5\.3%$/);
  });

  it("prints '-' for the system time and no user-only spread for runs that did not report their system time", () => {
    const withoutSys = (r: ReturnType<typeof row>) => ({ ...r, steady: { from_s: 600, events: r.steady.events, cpu_s: r.steady.cpu_s } });
    const lines = scalingTable([withoutSys(row(1000, 1, 0.2, 100, 40)), withoutSys(row(10_000, 11, 2.2, 190, 130))], '20m').split('\n');
    expect(lines[3]).toMatch(/\s4\.00\s+-\s+25%/);
    expect(lines.some((line) => line.includes('user time only'))).toBe(false);
  });

  it('judges the target on the steady state, not on the whole run', () => {
    // Whole run within 10% (10 and 10.5 us), steady state 20% apart (4 and 4.8 us): not met.
    const table = scalingTable([row(1000, 1, 0.2, 100, 40), row(10_000, 10.5, 2.4, 190, 130)], '20m');
    const lines = table.split('\n');
    expect(lines[5]).toMatch(/steady state .*: 20\.0% \(target within 10%: not met\)$/);
    expect(lines[7]).toMatch(/whole run .*: 5\.0%$/);
  });

  it('judges the whole run when a run has no steady state (a horizon no longer than the start-up)', () => {
    const short = { ...row(1000, 1, 0, 100, 40), steady: undefined, main_cpu_s: undefined };
    const table = scalingTable([short, { ...row(10_000, 12, 0, 190, 130), steady: undefined, main_cpu_s: undefined }], '5m');
    const lines = table.split('\n');
    expect(lines[3]).toMatch(/^\s*1,000\s+100,000\s+1\.0\s+100,000\s+10\.00\s+-\s+-\s+-\s+100/);
    expect(lines.at(-1)).toBe('cost per event spread, whole run: 20.0% (target within 10%: not met)');
  });
});
