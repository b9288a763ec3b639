import { describe, expect, it } from 'vitest';
import { describeMachine, describePageReporting, machineLine, selectedThpMode } from '../../bench/machine.ts';

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
    expect(machine.free_page_reporting).toMatch(/^(none \(.*\)|available, no device asks for reports|on \(.*\).*|unknown \(.*\))$/);
    const line = machineLine({
      node: 'v20.1.0',
      cpu: 'Xeon',
      cores: 2,
      load_1m: 1.5,
      transparent_hugepages: 'madvise',
      free_page_reporting: 'none (no page_reporting parameters)',
      line_hash: 'native',
    });
    expect(line).toBe(
      'machine: Node v20.1.0, 2 x Xeon, load 1.5 at the start, transparent huge pages: madvise, free page reporting: none (no page_reporting parameters), log lines hashed: native',
    );
  });

  it("describes free page reporting from the kernel's parameters", () => {
    // Order 9: blocks of 2^9 pages of 4 KiB = 2 MiB; 191,531,860 KiB = 183 GiB.
    expect(describePageReporting('9\n', '191531860\n')).toBe('on (183 GiB handed back to the host since boot, in 2 MiB blocks)');
    expect(describePageReporting('11', '1048576')).toBe('on (1 GiB handed back to the host since boot, in 8 MiB blocks)');
    // Under 1 GiB in MiB, never "0 GiB".
    expect(describePageReporting('9', '307200')).toBe('on (300 MiB handed back to the host since boot, in 2 MiB blocks)');
    expect(describePageReporting('9', '0')).toBe('on (in 2 MiB blocks), nothing handed back yet');
    // A standard kernel has no reported_kib: the order alone says it is on.
    expect(describePageReporting('9\n', undefined)).toBe('on (in 2 MiB blocks)');
    // The order is all ones until a device asks for reports.
    expect(describePageReporting('4294967295\n', undefined)).toBe('available, no device asks for reports');
    expect(describePageReporting(undefined, undefined)).toBe('none (no page_reporting parameters)');
    expect(describePageReporting('x', '1')).toBe('unknown (page_reporting_order x)');
    // An empty or garbled amount is left out, not read as 0.
    expect(describePageReporting('9', '')).toBe('on (in 2 MiB blocks)');
  });
});
