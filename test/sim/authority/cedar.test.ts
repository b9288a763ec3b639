import { describe, expect, it } from 'vitest';
import { compileEnvelope, evaluate } from '../../../sim/authority/cedar.ts';
import type { Envelope, OpFacts } from '../../../sim/authority/envelope.ts';
import { isSubset } from '../../../sim/authority/subset.ts';

const onboarding: Envelope = {
  grants: [
    { class: 'vendors', actions: ['read', 'write'], resources: ['vendors.acme'], bounds: [] },
    { class: 'procurement', actions: ['write'], bounds: [{ attr: 'amount', max: 250000 }] },
    { class: 'finance', actions: ['read'], stages: ['close'], bounds: [] },
  ],
  exclusions: [{ class: 'payments' }],
  maxDepth: 2,
};

const op = (fields: Partial<OpFacts>): OpFacts => ({
  resource: 'vendors.acme',
  operation: 'register',
  class: 'vendors',
  action: 'write',
  args: {},
  stage: undefined,
  depth: 0,
  ...fields,
});

describe('envelope compiled to Cedar', () => {
  const compiled = compileEnvelope(onboarding);

  it('emits one permit per grant, one forbid per exclusion and one for the delegation bound', () => {
    expect(Object.keys(compiled.policies)).toEqual(['grant.0', 'grant.1', 'grant.2', 'exclusion.0', 'depth']);
    expect(compiled.policies['grant.1']).toBe(
      'permit(principal, action in [Action::"write"], resource) when { context.class == "procurement" && (!(context.args has "amount") || context.args["amount"] <= 250000) };',
    );
  });

  it('compiles arguments named like Cedar keywords', () => {
    const keyword: Envelope = {
      grants: [
        {
          class: 'x',
          actions: ['read'],
          bounds: [
            { attr: 'if', max: 3 },
            { attr: 'in', max: 1 },
          ],
        },
      ],
      exclusions: [],
      maxDepth: 0,
    };
    const c = compileEnvelope(keyword);
    expect(evaluate(c, op({ class: 'x', action: 'read', args: { if: 3, in: 1 } })).allow).toBe(true);
    expect(evaluate(c, op({ class: 'x', action: 'read', args: { if: 4 } })).allow).toBe(false);
  });

  it("compiles names with any characters: control characters, quotes, backslashes, emoji (Cedar escapes, not JSON's)", () => {
    // Found by the scenario fuzz test: JSON.stringify writes "\u0000", which Cedar refuses.
    for (const name of ['nul\u0000here', 'bell\u0007', 'del\u007f', 'quote"and\\slash', 'tab\tline\nret\r', 'klasse-\u00e9-\u{1F600}']) {
      const odd: Envelope = { grants: [{ class: name, actions: [name], resources: [name], bounds: [] }], exclusions: [], maxDepth: 0 };
      const c = compileEnvelope(odd);
      expect(evaluate(c, op({ resource: name, class: name, action: name })).allow, JSON.stringify(name)).toBe(true);
      expect(evaluate(c, op({ resource: `${name}x`, class: name, action: name })).allow, JSON.stringify(name)).toBe(false);
    }
  });

  it('permits what a grant covers, naming the grant', () => {
    expect(evaluate(compiled, op({}))).toEqual({ allow: true, policies: ['grant.0'], reason: 'permitted by vendors/read|write' });
    expect(evaluate(compiled, op({ resource: 'procurement.acme', class: 'procurement', args: { amount: 250000 } })).allow).toBe(true);
  });

  it('denies by default: another resource, a bound exceeded, a stage not granted', () => {
    expect(evaluate(compiled, op({ resource: 'vendors.other' })).allow).toBe(false);
    expect(evaluate(compiled, op({ resource: 'procurement.acme', class: 'procurement', args: { amount: 250001 } })).reason).toBe(
      'procurement.acme/register (procurement/write) permitted by no grant',
    );
    expect(evaluate(compiled, op({ class: 'finance', action: 'read', stage: 'open' })).allow).toBe(false);
    expect(evaluate(compiled, op({ class: 'finance', action: 'read', stage: 'close' })).allow).toBe(true);
  });

  it('forbid beats permit: exclusions and the delegation bound', () => {
    const both: Envelope = { ...onboarding, grants: [...onboarding.grants, { class: 'payments', actions: ['transfer'], bounds: [] }] };
    expect(evaluate(compileEnvelope(both), op({ class: 'payments', action: 'transfer' }))).toMatchObject({ allow: false, policies: ['exclusion.0'] });
    expect(evaluate(compiled, op({ depth: 3 }))).toMatchObject({ allow: false, policies: ['depth'], reason: expect.stringContaining('delegation bound 2') });
  });
});

describe("child grant subset of parent grant (Cedar on the grant's corners)", () => {
  const parent = compileEnvelope(onboarding);
  const check = (child: Envelope) => isSubset(child, compileEnvelope(child), onboarding, parent);

  it('accepts a narrower child', () => {
    expect(
      check({
        grants: [{ class: 'procurement', actions: ['write'], resources: ['procurement.acme'], bounds: [{ attr: 'amount', max: 1000 }] }],
        exclusions: [],
        maxDepth: 1,
      }),
    ).toEqual({ subset: true });
  });

  it('rejects a wider bound, an unbounded argument, any resource where the parent lists some, a deeper bound, and an excluded class', () => {
    const procurement = (bounds: Envelope['grants'][number]['bounds']) => ({
      grants: [{ class: 'procurement', actions: ['write'], bounds }],
      exclusions: [],
      maxDepth: 2,
    });
    expect(check(procurement([{ attr: 'amount', max: 250001 }]))).toMatchObject({ subset: false });
    expect(check(procurement([]))).toMatchObject({ subset: false });
    expect(check({ grants: [{ class: 'vendors', actions: ['read'], bounds: [] }], exclusions: [], maxDepth: 2 })).toMatchObject({
      subset: false,
      reason: expect.stringContaining('on any resource'),
    });
    expect(check({ grants: [], exclusions: [], maxDepth: 3 })).toEqual({ subset: false, reason: "child delegation bound 3 exceeds the parent's 2" });
    expect(
      check({ grants: [{ class: 'payments', actions: ['transfer'], resources: ['payments.live'], bounds: [] }], exclusions: [], maxDepth: 2 }),
    ).toMatchObject({
      subset: false,
      reason:
        'child grant payments/transfer on payments.live exceeds the parent grant: payments.live/transfer (payments/transfer) forbidden: excluded payments/*',
    });
  });

  it('ignores what the child itself excludes', () => {
    const child: Envelope = {
      grants: [
        { class: 'vendors', actions: ['read', 'write'], resources: ['vendors.acme'], bounds: [] },
        { class: 'payments', actions: ['transfer'], bounds: [] },
      ],
      exclusions: [{ class: 'payments' }],
      maxDepth: 2,
    };
    expect(check(child)).toEqual({ subset: true });
    expect(check({ ...child, exclusions: [] })).toMatchObject({ subset: false });
  });
});
