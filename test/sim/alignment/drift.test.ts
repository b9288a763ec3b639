import { describe, expect, it } from 'vitest';
import { randomStream } from '../../../sim/engine/random.ts';
import { Drift } from '../../../sim/protocol/drift.ts';
import { compileDrift } from '../../../sim/scenario/compile.ts';

const s = (n: number) => n * 1e6;

describe('drift models', () => {
  it('none and a missing model leave the plan alone', () => {
    const none = new Drift<string>(compileDrift({ model: 'none', toward: ['x'] }), ['x'], randomStream(1, 'a'));
    const missing = new Drift<string>(compileDrift(undefined), [], randomStream(1, 'a'));
    for (let t = 0; t < 100; t++) {
      expect(none.steps('plan', s(t))).toEqual(['plan']);
      expect(missing.steps('plan', s(t))).toEqual(['plan']);
    }
  });

  it("injection runs the adversary's steps once, before the first plan step at or after `at`", () => {
    const drift = new Drift<string>(
      compileDrift({ model: 'injection', toward: ['read inbox', 'post'], at: '1m' }),
      ['read inbox', 'post'],
      randomStream(1, 'a'),
    );
    expect(drift.steps('fetch', s(59))).toEqual(['fetch']);
    expect(drift.steps('fetch', s(60))).toEqual(['read inbox', 'post', 'fetch']);
    expect(drift.steps('summary', s(90))).toEqual(['summary']);
  });

  it('gradual drift never acts before `from` and grows more frequent with each step after it', () => {
    const substitutions = (seed: number) => {
      const drift = new Drift<string>(
        compileDrift({ model: 'gradual', toward: ['a', 'b'], from: '10m', rate: 0.05, max: 1 }),
        ['a', 'b'],
        randomStream(seed, 'agent'),
      );
      const before = Array.from({ length: 20 }, (_, i) => drift.steps('plan', s(i))).filter((r) => r[0] !== 'plan').length;
      const after = Array.from({ length: 20 }, (_, i) => drift.steps('plan', s(600 + i))[0] !== 'plan');
      return { before, early: after.slice(0, 10).filter(Boolean).length, late: after.slice(10).filter(Boolean).length };
    };
    let early = 0;
    let late = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const run = substitutions(seed);
      expect(run.before).toBe(0);
      early += run.early;
      late += run.late;
    }
    // p_k = 0.05k: steps 1..10 expect 2.75 substitutions, steps 11..20 expect 7.75.
    expect(early / 200).toBeCloseTo(2.75, 0);
    expect(late / 200).toBeCloseTo(7.75, 0);
  });

  it('is deterministic: the same seed gives the same departures', () => {
    const run = () => {
      const drift = new Drift<string>(
        compileDrift({ model: 'gradual', toward: ['a', 'b', 'c'], rate: 0.2 }),
        ['a', 'b', 'c'],
        randomStream(7, 'agent:x/drift'),
      );
      return Array.from({ length: 30 }, (_, i) => drift.steps('plan', s(i))[0]);
    };
    expect(run()).toEqual(run());
    expect(new Set(run())).toEqual(new Set(['plan', 'a', 'b', 'c']));
  });

  it('plausible drift keeps every planned step and adds calls of the approved kinds, each with a new value of `vary`', () => {
    const vary = (step: string, value: number) => `${step}#${value}`;
    const drift = new Drift<string>(
      compileDrift({ model: 'plausible', toward: ['read'], from: '1m', rate: 0.5, max: 1, vary: 'client' }),
      ['read'],
      randomStream(1, 'agent'),
      vary,
    );
    expect(drift.steps('plan', s(30))).toEqual(['plan']);
    const after = Array.from({ length: 10 }, (_, i) => drift.steps('plan', s(60 + i)));
    for (const steps of after) expect(steps[0]).toBe('plan');
    const extras = after.filter((steps) => steps.length === 2).map((steps) => steps[1]);
    // p = 0.5, then 1: at least nine of ten steps add a call, numbered 1001, 1002, ...
    expect(extras.length).toBeGreaterThanOrEqual(9);
    expect(extras).toEqual(extras.map((_, i) => `read#${1001 + i}`));
  });
});
