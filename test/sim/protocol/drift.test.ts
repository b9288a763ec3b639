import { describe, expect, it } from 'vitest';
import { Drift } from '../../../sim/protocol/drift.ts';
import { compileDrift } from '../../../sim/scenario/compile.ts';
import type { DriftDef } from '../../../sim/scenario/schema.ts';
import { scripted } from './fakes.ts';

const S = 1_000_000;

/** A drift over string steps, whose random stream returns `draws` and counts how many were taken. */
function drift(def: DriftDef | undefined, draws: number[] = []) {
  const rng = scripted(draws);
  let taken = 0;
  const counted = () => {
    taken++;
    return rng();
  };
  const toward = ['x/one', 'x/two'];
  const d = new Drift(compileDrift(def), toward, counted, (step, value) => `${step}#${value}`);
  return { d, taken: () => taken };
}

describe('Drift', () => {
  it('none: does the plan and draws nothing', () => {
    const { d, taken } = drift(undefined);
    expect(d.steps('plan', 0)).toEqual(['plan']);
    expect(taken()).toBe(0);
  });

  it('Drift.none (the one instance shared by agents without drift): does the plan at any time and draws nothing', () => {
    const none = Drift.none<string>();
    expect(none).toBe(Drift.none<string>());
    for (const now of [0, 10 * S, Number.MAX_SAFE_INTEGER]) expect(none.steps('plan', now)).toEqual(['plan']);
  });

  it('gradual: before `from` nothing changes and nothing is drawn', () => {
    const { d, taken } = drift({ model: 'gradual', toward: ['x/one'], from: '10s' });
    expect(d.steps('plan', 9 * S)).toEqual(['plan']);
    expect(taken()).toBe(0);
  });

  it('gradual: the k-th step after `from` is replaced with probability rate x k (capped), two draws per step whatever happens', () => {
    // rate 0.2: p = 0.2, 0.4, 0.6 (capped at max 0.5 -> 0.5)
    const { d, taken } = drift({ model: 'gradual', toward: ['x/one', 'x/two'], rate: 0.2, max: 0.5 }, [0.3, 0.9, 0.3, 0.9, 0.45, 0.1, 0.55, 0.1]);
    expect(d.steps('p1', 0)).toEqual(['p1']); // 0.3 >= 0.2
    expect(d.steps('p2', 0)).toEqual(['x/two']); // 0.3 < 0.4; pick floor(0.9 x 2) = 1
    expect(d.steps('p3', 0)).toEqual(['x/one']); // 0.45 < min(0.5, 0.6)
    expect(d.steps('p4', 0)).toEqual(['p4']); // 0.55 >= the cap 0.5
    expect(taken()).toBe(8);
  });

  it('plausible: keeps the planned step and may add one drifted call with a fresh vary value (1001, 1002, ...)', () => {
    const { d } = drift({ model: 'plausible', toward: ['x/one', 'x/two'], rate: 1 }, [0.1, 0.0, 0.1, 0.7]);
    expect(d.steps('p1', 0)).toEqual(['p1', 'x/one#1001']);
    expect(d.steps('p2', 0)).toEqual(['p2', 'x/two#1002']);
  });

  it('injection: at `at` the injected operations run once, before the next planned step', () => {
    const { d, taken } = drift({ model: 'injection', toward: ['x/one', 'x/two'], at: '5s' });
    expect(d.steps('p1', 4 * S)).toEqual(['p1']);
    expect(d.steps('p2', 5 * S)).toEqual(['x/one', 'x/two', 'p2']);
    expect(d.steps('p3', 6 * S)).toEqual(['p3']);
    expect(taken()).toBe(0);
  });

  it('injection without `at` never fires', () => {
    const { d } = drift({ model: 'injection', toward: ['x/one'] });
    expect(d.steps('p1', 1e15)).toEqual(['p1']);
  });
});
