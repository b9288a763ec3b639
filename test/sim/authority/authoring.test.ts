import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authoringErrorModel, authorText, DEFAULT_AUTHORING, type AuthoringErrorModel } from '../../../sim/authority/authoring.ts';
import type { Envelope } from '../../../sim/authority/envelope.ts';
import { envelopeDef, envelopeFromDef } from '../../../sim/authority/renderings.ts';
import { randomStream } from '../../../sim/engine/random.ts';

const intent: Envelope = {
  grants: [
    { class: 'deals', actions: ['read'], resources: ['deal-room'], stages: ['diligence'], bounds: [{ attr: 'count', max: 20 }] },
    { class: 'reports', actions: ['write'], bounds: [] },
  ],
  exclusions: [{ class: 'payments' }],
  maxDepth: 1,
};
const model = (p: number): AuthoringErrorModel => ({ omitExclusion: p, overbroadBound: { p, factor: 10 }, missingStage: p, vagueResources: p });

describe('authoring: the person writes the mission text from the intent', () => {
  it('writes exactly what was meant at the default (every rate 0)', () => {
    expect(authoringErrorModel(undefined)).toEqual(DEFAULT_AUTHORING);
    expect(authorText(intent, DEFAULT_AUTHORING, randomStream(1, 'person:p/authoring/a'))).toEqual({ text: intent, errors: [] });
  });

  it('at rate 1 makes every error it can, vague resources included, in draw order', () => {
    const { text, errors } = authorText(intent, model(1), randomStream(1, 'person:p/authoring/a'));
    expect(text).toEqual({
      grants: [
        { class: 'deals', actions: ['read'], bounds: [{ attr: 'count', max: 200 }] },
        { class: 'reports', actions: ['write'], bounds: [] },
      ],
      exclusions: [],
      maxDepth: 1,
    });
    expect(errors.map((e) => e.error)).toEqual(['omit_exclusion', 'vague_resources', 'missing_stage', 'overbroad_bound']);
  });

  it('reads the scenario knobs', () => {
    expect(authoringErrorModel({ authoring: { vague_resources: 0.3, overbroad_bound: { factor: 2 } } })).toEqual({
      ...DEFAULT_AUTHORING,
      overbroadBound: { p: 0, factor: 2 },
      vagueResources: 0.3,
    });
  });

  it('common random numbers: for a seed, raising the rates only adds errors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const at = (p: number) => authorText(intent, model(p), randomStream(seed, 'person:p/authoring/a')).errors.map((e) => JSON.stringify(e));
        const more = new Set(at(high));
        expect(at(low).every((error) => more.has(error))).toBe(true);
      }),
    );
  });

  it('travels with its mission as a scenario envelope and back unchanged', () => {
    expect(envelopeFromDef(envelopeDef(intent))).toEqual(intent);
  });
});
