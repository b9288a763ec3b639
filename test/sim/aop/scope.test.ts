import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { covers, inScope, isStrictSubset, outside, scopeHash } from '../../../sim/aop/scope.ts';

describe('SACR scope', () => {
  it('an entry covers itself, and a .* entry covers the fields of its type only', () => {
    expect(covers('D1.routing', 'D1.routing')).toBe(true);
    expect(covers('D1.*', 'D1.routing')).toBe(true);
    expect(covers('D1.*', 'D12.routing')).toBe(false);
    expect(covers('D1.routing', 'D1.*')).toBe(false);
    expect(inScope(['D1.*', 'D2.shelter'], 'D2.routing')).toBe(false);
  });

  it('is a strict subset only when narrower: equal or wider scopes are not', () => {
    expect(isStrictSubset(['D1.*'], ['D1.*', 'D2.*'])).toBe(true);
    expect(isStrictSubset(['D1.routing'], ['D1.*'])).toBe(true);
    expect(isStrictSubset(['D1.*'], ['D1.*'])).toBe(false);
    expect(isStrictSubset(['D1.*'], ['D1.routing'])).toBe(false);
    expect(isStrictSubset(['D1.routing', 'D2.routing'], ['D1.*'])).toBe(false);
    expect(outside(['D1.routing', 'D2.routing'], ['D1.*'])).toEqual(['D2.routing']);
  });

  it('hashes a scope by its content, not its order or repeats', () => {
    expect(scopeHash(['b', 'a', 'a'])).toBe(scopeHash(['a', 'b']));
    expect(scopeHash(['a'])).not.toBe(scopeHash(['a', 'b']));
    expect(scopeHash(['a'])).toMatch(/^[0-9a-f]{64}$/);
  });

  const types = fc.constantFrom('A', 'B', 'C');
  const fieldNames = fc.constantFrom('x', 'y', 'z');
  const entry = fc.oneof(
    fc.tuple(types, fieldNames).map(([t, f]) => `${t}.${f}`),
    types.map((t) => `${t}.*`),
  );
  const scope = fc.array(entry, { maxLength: 5 });

  it('property: a child scope that passes the narrowing check grants no field its parent does not', () => {
    fc.assert(
      fc.property(scope, scope, fc.tuple(types, fieldNames), (child, parent, [t, f]) => {
        if (!isStrictSubset(child, parent)) return;
        const field = `${t}.${f}`;
        if (inScope(child, field)) expect(inScope(parent, field)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the strict-subset relation is irreflexive and never holds both ways', () => {
    fc.assert(
      fc.property(scope, scope, (a, b) => {
        expect(isStrictSubset(a, a)).toBe(false);
        expect(isStrictSubset(a, b) && isStrictSubset(b, a)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
