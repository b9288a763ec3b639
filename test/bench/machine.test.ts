import { describe, expect, it } from 'vitest';
import { describeMachine, machineLine, selectedThpMode } from '../../bench/machine.ts';

describe('the machine line above the bench tables', () => {
  it("reads the kernel's selected transparent-huge-page mode", () => {
    expect(selectedThpMode('always [madvise] never\n')).toBe('madvise');
    expect(selectedThpMode('[always] madvise never')).toBe('always');
    expect(selectedThpMode('garbled')).toBeUndefined();
  });

  it('names the node version, the cores and the THP mode', () => {
    const machine = describeMachine();
    expect(machine.node).toBe(process.version);
    expect(machine.cores).toBeGreaterThan(0);
    expect(machine.transparent_hugepages).toMatch(/^(always|madvise|never|unknown \(.*\))$/);
    expect(machine.line_hash).toMatch(/^(native|node:crypto \(native hasher .+\))$/);
    expect(machineLine({ node: 'v20.1.0', cpu: 'Xeon', cores: 2, load_1m: 1.5, transparent_hugepages: 'madvise', line_hash: 'native' })).toBe(
      'machine: Node v20.1.0, 2 x Xeon, load 1.5 at the start, transparent huge pages: madvise, log lines hashed: native',
    );
  });
});
