import type { OpFacts } from '../authority/envelope.ts';

/**
 * A request put to a person, as they see it: the operation (resource,
 * operation, its class, action and arguments, all on the wire) and whether
 * it looks covered by the mission they approved, as the asking server
 * shows it. Never whether they meant it: that is the oracle's.
 */
export interface PersonQuestion {
  agent: string;
  op: OpFacts;
  /** What the server shows: the request reads as part of the approved mission (see the caller for the rule). */
  covered: boolean;
  question: string;
}

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
   * Asks the person to decide a request (a permission request, a held
   * operation); `answer` gets their yes or no at human speed. They judge
   * what they are shown, and err at their own rates.
   */
  decide(request: PersonQuestion, answer: (yes: boolean) => void): void;
  /** Asks the person to approve a proposed mission; they refuse at their own rate. */
  decideMission(agent: string, answer: (yes: boolean) => void): void;
  /**
   * The PS tells the person the mission it approved for them (or, to one of
   * its administrators, every mission it approves): the handle it was
   * proposed under and its s256 (null under oauth). What the person later
   * names the mission by.
   */
  missionApproved(handle: string, s256: string | null): void;
}
