import { describe, expect, it } from 'vitest';
import { aauthGrant, aauthScope, expandScope, fieldOperation } from '../../../sim/aop/so-scope.ts';

const NAMESPACE = ['CENSUS.vulnerable_residents', 'D1.routing', 'D1.shelter', 'D2.routing', 'D2.shelter'];

describe('an AOP scope read as AAuth authority (the chaining baseline)', () => {
  it('a field is the operation of its SO type; TYPE.* covers the fields the scenario names, nothing else', () => {
    expect(fieldOperation('D1.routing')).toEqual({ resource: 'D1', operation: 'routing' });
    expect(fieldOperation('A.b.c')).toEqual({ resource: 'A', operation: 'b.c' });
    expect(expandScope(['D1.*', 'D2.routing'], NAMESPACE)).toEqual(['D1.routing', 'D1.shelter', 'D2.routing']);
    expect(expandScope(['UNKNOWN.*'], NAMESPACE)).toEqual([]);
    expect(aauthScope(['D1.*', 'D2.*'], NAMESPACE)).toEqual(['D1/routing', 'D1/shelter', 'D2/routing', 'D2/shelter']);
  });

  it('a delegated grant: one grant per SO type, limited to that resource, with the delegation bound asked for', () => {
    expect(aauthGrant(['D1.routing', 'D2.routing'], NAMESPACE, 3)).toEqual({
      grants: [
        { class: 'D1', actions: ['routing'], resources: ['D1'] },
        { class: 'D2', actions: ['routing'], resources: ['D2'] },
      ],
      max_depth: 3,
    });
  });
});
