import type { OpFacts } from '../authority/envelope.ts';
import type { PersonServerDef } from '../scenario/schema.ts';

/** A Person Server's cumulative limits per mission (`topology.person_servers[].budget`). */
export type MissionBudgetDef = NonNullable<PersonServerDef['budget']>;

/** One admitted request's share of its mission's budget, until its token is issued. */
export interface Reservation {
  readonly mission: string;
  readonly amount: number;
  /** The distinct value this request added (undefined if it was already counted). */
  readonly newValue: number | undefined;
}

/** What one mission has been issued tokens for so far, hops included. */
interface Spent {
  sum: number;
  values: Set<number>;
}

/**
 * A budget the Person Server enforces when it issues auth tokens: per
 * mission, the sum of one call argument (`sum`: spend across calls and
 * hops) and the number of distinct values of another (`distinct`: e.g. the
 * clients whose records the mission touched). It decides from what the PS
 * itself sees at issuance (the call's arguments in the token request, the
 * tokens it issued before for the same mission, its hops' included) and
 * never from the intent or from what executed: a token issued counts in
 * full whether or not its call then runs (a reservation, as a card
 * authorisation is), and a token the agent reuses for an identical call is
 * counted once (the budget bounds authorisations, not executions).
 */
export class MissionBudget {
  private readonly spent = new Map<string, Spent>();

  constructor(private readonly def: MissionBudgetDef) {}

  /** The limits as the log states them (`budget.enforced`), so an auditor can check every refusal against them. */
  get limits(): { sum?: { arg: string; limit: number }; distinct?: { arg: string; limit: number } } {
    return { ...(this.def.sum ? { sum: { ...this.def.sum } } : {}), ...(this.def.distinct ? { distinct: { ...this.def.distinct } } : {}) };
  }

  /**
   * Admits one token request against the mission's budget and, if it fits,
   * reserves it. Returns the reservation (admitted, counted) or the refusal,
   * in words an auditor can check against the earlier grants of the same
   * mission.
   */
  admit(mission: string, call: OpFacts): Reservation | { refusal: string } {
    const spent = this.of(mission);
    const sum = this.def.sum;
    const amount = sum ? (call.args[sum.arg] ?? 0) : 0;
    // A negative amount would lower what the mission has been issued: a refund-shaped call would buy headroom.
    if (sum && amount < 0) return { refusal: `mission budget: ${sum.arg} must not be negative (${amount})` };
    if (sum && amount > 0 && spent.sum + amount > sum.limit) {
      return { refusal: `mission budget: ${sum.arg} ${spent.sum} already issued + ${amount} would exceed ${sum.limit}` };
    }
    const distinct = this.def.distinct;
    const value = distinct ? call.args[distinct.arg] : undefined;
    if (distinct && value !== undefined && !spent.values.has(value) && spent.values.size + 1 > distinct.limit) {
      return {
        refusal: `mission budget: ${distinct.arg} ${value} would be the ${ordinal(spent.values.size + 1)} distinct ${distinct.arg} (limit ${distinct.limit}; issued for ${[...spent.values].join(', ')})`,
      };
    }
    const reservation: Reservation = { mission, amount, newValue: value !== undefined && !spent.values.has(value) ? value : undefined };
    spent.sum += amount;
    if (value !== undefined) spent.values.add(value);
    return reservation;
  }

  /** Gives back a reservation whose token was never issued (the mission ended meanwhile, another domain refused). */
  release(reservation: Reservation): void {
    const spent = this.of(reservation.mission);
    spent.sum -= reservation.amount;
    if (reservation.newValue !== undefined) spent.values.delete(reservation.newValue);
  }

  private of(mission: string): Spent {
    let spent = this.spent.get(mission);
    if (!spent) {
      spent = { sum: 0, values: new Set() };
      this.spent.set(mission, spent);
    }
    return spent;
  }
}

/** The budget a PS enforces, or none: absent, or `enabled: false` (the scenario keeps the limits for a --set to switch on). */
export function missionBudget(def: PersonServerDef['budget']): MissionBudget | undefined {
  return def && def.enabled !== false ? new MissionBudget(def) : undefined;
}

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;
