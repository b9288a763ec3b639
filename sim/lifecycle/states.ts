/**
 * How a mission can end, and what each ending means downstream (seed 000's
 * richer lifecycle). Under terminate-only profiles every ending arrives as
 * `terminated` with an r11 reason; under mission-authority each is its own
 * state with its own treatment of outstanding tokens and queued work:
 *
 * | state        | new tokens | outstanding tokens              | queued / in-service work          |
 * |--------------|------------|---------------------------------|-----------------------------------|
 * | completed    | refused    | stay valid until they expire    | drains                            |
 * | cancelled    | refused    | revoked                         | recalled; executed work rolled back where reversible |
 * | terminated   | refused    | revoked (policy: invalid now)   | recall policy (policy: all recalled) |
 * | timed-out    | refused    | stay valid within their window  | drains                            |
 */
export type EndState = 'terminated' | 'completed' | 'cancelled' | 'timed-out';

const ENDED: ReadonlySet<string> = new Set<EndState>(['terminated', 'completed', 'cancelled', 'timed-out']);

export function isEnded(state: string): state is EndState {
  return ENDED.has(state);
}

/** Endings whose already-issued tokens may still be used (introspection answers active for them). */
export function drains(state: string): boolean {
  return state === 'completed' || state === 'timed-out';
}

/** The reason a token request gets from an ended mission; `mission terminated` kept as the profiles always said it. */
export function endedRefusal(state: EndState): string {
  return `mission ${state}`;
}

/** The r11 termination reason a terminate-only profile records for an ending it cannot express. */
export const R11_REASON = { completed: 'completed', cancelled: 'revoked', 'timed-out': 'expired' } as const;
