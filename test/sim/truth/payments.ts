import type { Envelope, OpFacts } from '../../../sim/authority/envelope.ts';

/** An intent that allows payments up to `max` each, delegated at most `maxDepth` hops: the oracle tests' one grant. */
export const paymentsUpTo = (max: number, maxDepth: number): Envelope => ({
  grants: [{ class: 'payments', actions: ['write'], bounds: [{ attr: 'amount', max }] }],
  exclusions: [],
  maxDepth,
});

/** A payment of `amount` on the ledger, made `depth` hops below the mission's root agent. */
export const pay = (amount: number, depth = 0): OpFacts => ({
  resource: 'ledger',
  operation: 'pay',
  class: 'payments',
  action: 'write',
  args: { amount },
  stage: undefined,
  depth,
});
