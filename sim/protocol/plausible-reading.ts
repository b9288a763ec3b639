import type { OpFacts } from '../authority/envelope.ts';

/** How strong an action is, as the wire names it: reads, then writes, then anything that moves data or money out. */
export function actionStrength(action: string): number {
  if (action === 'read') return 0;
  if (action === 'transfer') return 2;
  return 1;
}

/**
 * Whether a request reads as part of an approved mission to someone who
 * sees only the wire: some approved scope entry touches the same class of
 * data with an action at least as strong (approving "hold a deposit" at
 * the payment processor does not read as approving a charge; approving
 * hotel bookings reads as approving another travel write). The person's
 * judgement of a permission request starts here, not from their intent.
 */
export function looksCovered(op: OpFacts, approved: readonly OpFacts[]): boolean {
  return approved.some((entry) => entry.class === op.class && actionStrength(entry.action) >= actionStrength(op.action));
}
