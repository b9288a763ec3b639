import type { OpFacts } from '../authority/envelope.ts';

/**
 * How a server reaches a person: it asks, and the answer comes back at
 * human speed (sim/protocol/person.ts). A server never holds the person
 * itself, only this channel.
 */
export interface PersonChannel {
  readonly id: string;
  /** Asks the person; `answer` runs when they have read and answered it. */
  requestApproval(agent: string, answer: () => void, question?: string): void;
  /**
   * Whether the person meant an operation, as they answer once asked (a
   * permission request, a held operation). Read through the declared
   * intent reader: a known bias (sim/truth/intent-leak.ts).
   */
  intends(agent: string, op: OpFacts): boolean;
}
