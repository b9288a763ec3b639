import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilationErrorModel, compileApproved, DEFAULT_COMPILATION, type CompilationErrorModel } from '../../../sim/authority/compilation.ts';
import type { Envelope } from '../../../sim/authority/envelope.ts';
import { randomStream } from '../../../sim/engine/random.ts';

const approved: Envelope = {
  grants: [
    {
      class: 'procurement',
      actions: ['write'],
      resources: ['procurement.acme'],
      stages: ['q3'],
      bounds: [
        { attr: 'amount', max: 250000 },
        { attr: 'count', max: 3 },
      ],
    },
    { class: 'finance', actions: ['read'], bounds: [] },
  ],
  exclusions: [{ class: 'payments' }, { class: 'finance', actions: ['export'] }],
  maxDepth: 2,
};
const model = (p: number, factor = 10): CompilationErrorModel => ({ omitExclusion: p, overbroadBound: { p, factor }, missingStage: p });

describe('compiling an approved envelope into the enforced policy', () => {
  it('is exact at the default (error rates 0): the enforced envelope is the approved one', () => {
    expect(DEFAULT_COMPILATION).toEqual(compilationErrorModel(undefined));
    expect(compileApproved(approved, DEFAULT_COMPILATION, randomStream(1, 'ps:x/compilation'))).toEqual({ enforced: approved, errors: [] });
  });

  it('at rate 1 makes every error it can, and says which', () => {
    const { enforced, errors } = compileApproved(approved, model(1, 4), randomStream(1, 'ps:x/compilation'));
    expect(enforced).toEqual({
      grants: [
        {
          class: 'procurement',
          actions: ['write'],
          resources: ['procurement.acme'],
          bounds: [
            { attr: 'amount', max: 1000000 },
            { attr: 'count', max: 12 },
          ],
        },
        { class: 'finance', actions: ['read'], bounds: [] },
      ],
      exclusions: [],
      maxDepth: 2,
    });
    expect(errors).toEqual([
      { error: 'omit_exclusion', class: 'payments' },
      { error: 'omit_exclusion', class: 'finance', actions: ['export'] },
      { error: 'missing_stage', class: 'procurement', stages: ['q3'] },
      { error: 'overbroad_bound', class: 'procurement', attr: 'amount', approved: 250000, compiled: 1000000 },
      { error: 'overbroad_bound', class: 'procurement', attr: 'count', approved: 3, compiled: 12 },
    ]);
  });

  it('reads the scenario knobs', () => {
    expect(compilationErrorModel({ compilation: { omit_exclusion: 0.2, overbroad_bound: { p: 0.1 }, missing_stage: 0.05 } })).toEqual({
      omitExclusion: 0.2,
      overbroadBound: { p: 0.1, factor: 10 },
      missingStage: 0.05,
    });
  });

  it('draws the same numbers whatever the rates (common random numbers): a higher rate only adds errors, per seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const few = compileApproved(approved, model(low), randomStream(seed, 'ps:x/compilation')).errors.map((e) => JSON.stringify(e));
        const many = compileApproved(approved, model(high), randomStream(seed, 'ps:x/compilation')).errors.map((e) => JSON.stringify(e));
        // Bounds compile to N x factor whatever the rate, so an error at the low rate is the same error at the high one.
        for (const error of few) expect(many).toContain(error);
      }),
      { numRuns: 200 },
    );
  });
});
