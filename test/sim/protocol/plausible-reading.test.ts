import { describe, expect, it } from 'vitest';
import type { OpFacts } from '../../../sim/authority/envelope.ts';
import { actionStrength, looksCovered } from '../../../sim/protocol/plausible-reading.ts';

const op = (cls: string, action: string): OpFacts => ({ resource: 'r', operation: action, class: cls, action, args: {}, stage: undefined, depth: 0 });

describe('plausible reading of a request', () => {
  it('orders actions read < any write < transfer', () => {
    expect(actionStrength('read')).toBe(0);
    expect(actionStrength('write')).toBe(1);
    expect(actionStrength('book')).toBe(1);
    expect(actionStrength('transfer')).toBe(2);
  });

  it('reads a request as covered when an approved entry of the same class has an action at least as strong', () => {
    const approved = [op('travel', 'book')];
    expect(looksCovered(op('travel', 'read'), approved)).toBe(true);
    expect(looksCovered(op('travel', 'cancel'), approved)).toBe(true); // another travel write
    expect(looksCovered(op('travel', 'transfer'), approved)).toBe(false); // money out is stronger
    expect(looksCovered(op('payment', 'read'), approved)).toBe(false); // another class
  });

  it('covers nothing with no approved entries', () => {
    expect(looksCovered(op('travel', 'read'), [])).toBe(false);
  });
});
