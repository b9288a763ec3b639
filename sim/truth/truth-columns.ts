/**
 * The truth table's columns: the fields of every record kind of truth.jsonl
 * (docs/truth-records.md), one type each; envelopes and arguments stay JSON.
 */
export const TRUTH_COLUMNS: Array<[name: string, type: string]> = [
  ['kind', 'VARCHAR'], ['t', 'BIGINT'], ['event_seq', 'BIGINT'], ['mission', 'VARCHAR'], ['agent', 'VARCHAR'],
  ['intent_source', 'VARCHAR'], ['intent', 'JSON'], ['parent', 'VARCHAR'], ['child', 'VARCHAR'], ['depth', 'BIGINT'],
  ['decider', 'VARCHAR'], ['domain', 'VARCHAR'], ['model', 'VARCHAR'], ['narrowing', 'VARCHAR'], ['request', 'VARCHAR'],
  ['resource', 'VARCHAR'], ['op', 'VARCHAR'], ['class', 'VARCHAR'], ['action', 'VARCHAR'], ['args', 'JSON'], ['stage', 'VARCHAR'],
  ['allow', 'BOOLEAN'], ['reason', 'VARCHAR'], ['grant', 'JSON'], ['within_intent', 'BOOLEAN'], ['intended', 'BOOLEAN'],
  ['outside_reason', 'VARCHAR'], ['provable_from_log', 'BOOLEAN'], ['from_domain', 'VARCHAR'], ['to_domain', 'VARCHAR'], ['what', 'VARCHAR'],
  ['source', 'VARCHAR'], ['compilation_errors', 'JSON'], ['covers_intent', 'BOOLEAN'],
];
