import { describe, expect, it } from 'vitest';
import { plannedStep } from '../../../sim/protocol/planned-step.ts';
import type { ResourceEndpoint } from '../../../sim/protocol/resource-messages.ts';

describe('a planned step', () => {
  const resource = { id: 'ledger', actor: 'resource:ledger', receive: () => {} } as ResourceEndpoint;
  const resources = new Map([['ledger', resource]]);

  it("keeps its arguments as a frozen copy: a resource that writes to a request's args changes neither the plan nor the scenario", () => {
    const def = { op: 'ledger/pay', args: { amount: 5 } };
    const step = plannedStep({ def, atUs: undefined, after: undefined }, resources);
    expect(step.args).toEqual({ amount: 5 });
    expect(() => {
      (step.args as Record<string, number>).amount = 999_999;
    }).toThrow(TypeError);
    expect(step.args).toEqual({ amount: 5 });
    expect(def.args).toEqual({ amount: 5 });
    expect(step.alone).toEqual([step]);
  });

  it('has no arguments object when the plan gives none', () => {
    expect(plannedStep({ def: { op: 'ledger/pay' }, atUs: undefined, after: undefined }, resources).args).toBeUndefined();
  });
});
