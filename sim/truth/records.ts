/**
 * The record types of truth.jsonl: the oracle, kept apart from the audit
 * log (a regulator gets events.jsonl only; a researcher joins the two on
 * `event_seq`, the `seq` of the audit event that recorded the same fact).
 * Field names are stable; docs/truth-records.md describes them.
 */

export interface OpRef {
  resource: string;
  op: string;
  class: string;
  action: string;
  args: Record<string, number>;
  stage: string | null;
}

/** A mission's ground-truth intent and the lossy renderings the systems saw. */
export interface MissionTruth {
  kind: 'mission';
  t: number;
  event_seq: number;
  mission: string | null;
  agent: string;
  intent_source: 'declared' | 'derived';
  intent: Record<string, unknown>;
  renderings: { description: string; scope: string[]; approved_tools: string[]; r3_granted: string[]; r3_per_call: string[] };
}

/** A delegation hop: minted or refused, and whether the child grant lies inside the root intent. */
export interface DelegationTruth {
  kind: 'delegation';
  t: number;
  event_seq: number;
  mission: string | null;
  parent: string;
  child: string;
  depth: number;
  decider: string;
  model: string;
  narrowing: string;
  allow: boolean;
  reason: string;
  grant: Record<string, unknown>;
  within_intent: boolean;
}

/** One authorization decision by a PS or an AS, with the oracle's verdict on the request. */
export interface DecisionTruth extends OpRef {
  kind: 'decision';
  t: number;
  event_seq: number;
  mission: string | null;
  /** Joins a PS decision and the AS decision on the same federated request. */
  request: string;
  agent: string;
  depth: number;
  decider: string;
  domain: string;
  model: string;
  allow: boolean;
  reason: string;
  intended: boolean;
}

/** An operation that executed (its effect happened), with the oracle's verdict. */
export interface OpTruth extends OpRef {
  kind: 'op';
  t: number;
  event_seq: number;
  mission: string | null;
  agent: string;
  depth: number;
  intended: boolean;
  outside_reason: string | null;
  /** Whether the audit log alone shows the op outside what was approved (a logged envelope or scope list says so). */
  provable_from_log: boolean;
}

/** Something about a mission sent to another trust domain. */
export interface DisclosureTruth {
  kind: 'disclosure';
  t: number;
  event_seq: number;
  mission: string | null;
  from_domain: string;
  to_domain: string;
  /** body: the mission text; projection: only what is permitted in the receiver's domain. */
  what: 'body' | 'projection';
}

/**
 * What a party holds for a mission, and where it differs from the intent:
 * the mission text the person wrote (decider the person, model
 * `authoring`, source `authored`; the errors are the authoring step's), the
 * policy a Person Server enforces (envelope: the approved envelope as it
 * compiled it; text: the text it reads), or what a clarify AS reads in the
 * disclosed body (source `disclosed`).
 */
export interface PolicyTruth {
  kind: 'policy';
  t: number;
  event_seq: number;
  mission: string | null;
  agent: string;
  decider: string;
  model: string;
  /** approved: compiled from the mission's `approved` envelope; derived: from the approved scope; text: the mission text a `text` PS reads; disclosed: the text a clarify AS reads; authored: the text the person wrote; authored-approved: the approved envelope the person wrote for an envelope PS. */
  source: 'approved' | 'derived' | 'text' | 'disclosed' | 'authored' | 'authored-approved';
  /** The enforced envelope (the `policy.compiled` event's `policy`; for `authored`, the `mission.authored` event's `text`; for `authored-approved`, its `approved`, or its `text` where no `approved` is logged). */
  grant: Record<string, unknown>;
  /** The errors the step made: omit_exclusion, overbroad_bound, missing_stage, vague_resources (authoring only; the party does not know them). */
  compilation_errors: Array<Record<string, unknown>>;
  /** oracle: everything the policy permits, the intent permits too (checked with Cedar, corner by corner). */
  within_intent: boolean;
  /** oracle: why not (the first corner the policy permits and the intent does not), or null. */
  reason: string | null;
  /** oracle: everything the intent permits, the policy permits too (false: the policy will refuse intended work). */
  covers_intent: boolean;
}

/**
 * What became of one attack (issue 17 item 3), written when it is refused or
 * takes effect: by the attacker itself (an attacking agent from the answers
 * it gets), by the world's ledger of injected runtimes of another class, or,
 * for a resource that tampers with the mission of its resource tokens, by the
 * world from the PS's logged answer to a tampered token. No party reads it.
 * An attack refused and later effective has both records: it took effect.
 */
export interface AttackTruth {
  kind: 'attack';
  t: number;
  event_seq: number;
  /** The attack in words (stable per attacker: `intern: asserts the mission of treasurer`). */
  attack: string;
  /** The attacking agent or runtime, or `resource:<id>`. */
  attacker: string;
  outcome: 'refused' | 'took_effect';
  /** The refusing party (`ps:<id>`, `resource:<id>`); null when it took effect. */
  decider: string | null;
  /** `<event>: <reason>` of the refusal, or `<event>: accepted` / `op.executed` for an effect. */
  reason: string;
  /** Refused: `log`. Took effect: `log` when the log alone shows it, `oracle` when only the oracle knows. */
  visible: 'log' | 'oracle';
}

export type TruthRecord = MissionTruth | DelegationTruth | DecisionTruth | OpTruth | DisclosureTruth | PolicyTruth | AttackTruth;
