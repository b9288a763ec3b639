import type { Envelope, OpFacts } from '../authority/envelope.ts';
import type { AttackTruth, DecisionTruth, DelegationTruth, DisclosureTruth, MissionTruth, PolicyTruth } from './records.ts';

/** A record as a party hands it over: the recorder stamps the time and the event it follows (t, event_seq). */
type Unstamped<R> = Omit<R, 't' | 'event_seq'>;

/**
 * How the parties of the world write the oracle's records (truth.jsonl):
 * they hand over what they did, and the recorder adds what only the
 * oracle knows (whether it was intended, the mission's true intent,
 * whether a grant lies inside it). Write-only: nothing comes back, so a
 * party that writes truth learns nothing from it. sim/world/context.ts
 * implements it over the Oracle.
 */
export interface TruthRecorder {
  /** A mission was approved: its record (the oracle adds the intent and its source) and what the log will show about it. */
  mission(record: Omit<Unstamped<MissionTruth>, 'intent' | 'intent_source'>, logShowsOutside: (op: OpFacts) => boolean): void;
  /**
   * A hop was minted or refused under `root`'s mission. `ownGrant` is the
   * child's declared grant, if it has one (else it inherits its parent's,
   * as the oracle follows it); the oracle adds `grant` and `within_intent`.
   */
  delegation(record: Omit<Unstamped<DelegationTruth>, 'grant' | 'within_intent'>, root: string, ownGrant: Envelope | undefined): void;
  /** A PS or AS decided a request; the oracle adds `intended`. */
  decision(record: Omit<Unstamped<DecisionTruth>, 'intended'>, op: OpFacts): void;
  /** A PS compiled the policy it enforces for a mission; the oracle adds where it differs from the intent. */
  policy(record: Omit<Unstamped<PolicyTruth>, 'grant' | 'within_intent' | 'reason' | 'covers_intent'>, enforced: Envelope): void;
  /** Something about a mission left its domain. */
  disclosure(record: Unstamped<DisclosureTruth>): void;
  /** An operation executed (its effect happened) at `agent`'s request: the oracle's `op` record. */
  executed(agent: string, op: OpFacts): void;
  /**
   * `agent` acts for an attacker the scenario injected (an AOP attack's rogue
   * spawn): the oracle then judges its hops and operations outside the
   * intent, so a refused attack is never counted as a false denial.
   */
  adversary(agent: string): void;
  /** What became of an attack (refused, or took effect): the oracle's `attack` record (docs/truth-records.md). */
  attack(record: Unstamped<AttackTruth>): void;
  /**
   * A resource that tampers with the mission of the resource tokens it issues
   * (`mission_claim` strip or first-seen) tells the oracle which token it
   * tampered; the world then writes the `attack` record when the PS answers it.
   */
  tampered(resourceToken: string, attack: string, attacker: string): void;
}
