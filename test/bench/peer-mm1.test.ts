import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { findSimpyPython } from '../../bench/peer.bench.ts';
import { LAMBDA, MU, mm1Heap } from '../../bench/peer/mm1-heap.ts';

// The peer benchmark compares like with like only if both sides are the
// M/M/1 they claim to be: the mean sojourn time must match the closed form.
const CLOSED_FORM_SOJOURN = 1 / (MU - LAMBDA); // 2.5 s
const CUSTOMERS = 200_000;
const TOLERANCE = 0.1; // about four standard errors at this length (utilization 0.6)

const simpyPython = findSimpyPython();
const SIMPY_SCRIPT = new URL('../../bench/peer/mm1_simpy.py', import.meta.url).pathname;

describe('the peer benchmark’s M/M/1 models', () => {
  it('the plain-heap Node M/M/1 has mean sojourn near 1/(mu - lambda)', () => {
    expect(CLOSED_FORM_SOJOURN).toBe(2.5);
    const result = mm1Heap(CUSTOMERS);
    expect(result.customers).toBe(CUSTOMERS);
    expect(result.events).toBe(2 * CUSTOMERS);
    expect(Math.abs(result.mean_sojourn - CLOSED_FORM_SOJOURN)).toBeLessThan(TOLERANCE);
  });

  // Skipped (with this name in the report) only where Debian's python3-simpy3 is not installed.
  it.skipIf(simpyPython === undefined)('the SimPy script has mean sojourn near 1/(mu - lambda) (needs python3-simpy3)', () => {
    const output = execFileSync(simpyPython as string, [SIMPY_SCRIPT, String(CUSTOMERS)], { encoding: 'utf8' });
    const result = JSON.parse(output) as { customers: number; mean_sojourn: number };
    expect(result.customers).toBe(CUSTOMERS);
    expect(Math.abs(result.mean_sojourn - CLOSED_FORM_SOJOURN)).toBeLessThan(TOLERANCE);
  });
});
