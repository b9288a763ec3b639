import { describe, expect, it } from 'vitest';
import { inside, type Envelope, type OpFacts } from '../../../sim/authority/envelope.ts';
import { projectEnvelope } from '../../../sim/authority/projection.ts';

const intent: Envelope = {
  grants: [
    { class: 'documents', actions: ['read'], resources: ['docs.enterprise'], bounds: [] },
    { class: 'confidential', actions: ['submit'], resources: ['counsel.lawfirm', 'other.lawfirm'], bounds: [{ attr: 'count', max: 20 }] },
    { class: 'billing', actions: ['read'], bounds: [] },
  ],
  exclusions: [{ class: 'confidential', actions: ['bulk-submit'] }, { class: 'payments' }],
  maxDepth: 1,
};

describe('envelope projection onto another domain', () => {
  const projected = projectEnvelope(intent, new Set(['confidential']), new Set(['counsel.lawfirm']));

  it('keeps only the grants and exclusions that touch the domain, narrowed to its resources', () => {
    expect(projected).toEqual({
      grants: [{ class: 'confidential', actions: ['submit'], resources: ['counsel.lawfirm'], bounds: [{ attr: 'count', max: 20 }] }],
      exclusions: [{ class: 'confidential', actions: ['bulk-submit'] }],
      maxDepth: 1,
    });
  });

  it("permits, on the domain's resources, exactly what the full envelope permits", () => {
    const call = (action: string, count: number, depth = 0): OpFacts => ({
      resource: 'counsel.lawfirm',
      operation: action,
      class: 'confidential',
      action,
      args: { count },
      stage: undefined,
      depth,
    });
    for (const op of [call('submit', 12), call('submit', 21), call('bulk-submit', 12), call('submit', 12, 2)]) {
      expect(inside(projected, op)).toBe(inside(intent, op));
    }
  });
});
