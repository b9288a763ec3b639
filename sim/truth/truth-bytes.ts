import { type JsonBytes, literal } from '../log/json-bytes.ts';
import type { DecisionTruth, OpRef, OpTruth } from './records.ts';

/**
 * The two truth records written by the hundred thousand (`op`, one per
 * executed operation, and `decision`, one per PS or AS decision) encoded
 * straight into the truth file's chunk, member by member, instead of
 * JSON.stringify and a UTF-8 encode of the string (those were 5% of the
 * 10,000-agent protocol hour's CPU, about twice what this costs). The
 * bytes are exactly JSON.stringify's of a record built in its type's key
 * order (records.ts;
 * the oracle and the world build them so, and the truth fingerprints of
 * test/sim/fingerprints.test.ts hold them to it):
 * test/sim/truth/truth-bytes.test.ts checks it on arbitrary records.
 * Strings and numbers go through JsonBytes, which gives JSON's form, and
 * `args` is walked in JSON.stringify's own key order (Object.keys').
 *
 * Checks for room follow JsonBytes' rule: every piece of unknown length
 * checks that SLACK bytes stay free after it, and the pieces of known
 * length between two checks (keys, numbers, booleans) take far less.
 */

/**
 * Every member of each record, in the order the encoders write them. The
 * types below fail to compile when records.ts gains a member that is not
 * listed (an encoder would silently drop it), and the test over every
 * committed scenario checks the producers build records in this order.
 */
const HEAD_MEMBERS = ['kind', 't', 'event_seq', 'mission'] as const;
const OPERATION_MEMBERS = ['resource', 'op', 'class', 'action', 'args', 'stage'] as const;
export const OP_MEMBERS = [
  ...HEAD_MEMBERS,
  'agent',
  'depth',
  ...OPERATION_MEMBERS,
  'intended',
  'outside_reason',
  'provable_from_log',
] as const satisfies readonly (keyof OpTruth)[];
export const DECISION_MEMBERS = [
  ...HEAD_MEMBERS,
  'request',
  'agent',
  'depth',
  'decider',
  'domain',
  'model',
  ...OPERATION_MEMBERS,
  'allow',
  'reason',
  'intended',
] as const satisfies readonly (keyof DecisionTruth)[];
type Unlisted<T, Listed extends readonly (keyof T)[]> = Exclude<keyof T, Listed[number]>;
const everyOpMemberListed: [Unlisted<OpTruth, typeof OP_MEMBERS>] extends [never] ? true : never = true;
const everyDecisionMemberListed: [Unlisted<DecisionTruth, typeof DECISION_MEMBERS>] extends [never] ? true : never = true;
void everyOpMemberListed;
void everyDecisionMemberListed;

const OP_HEAD = literal('{"kind":"op","t":');
const DECISION_HEAD = literal('{"kind":"decision","t":');
const EVENT_SEQ = literal(',"event_seq":');
const MISSION = literal(',"mission":');
const REQUEST = literal(',"request":');
const AGENT = literal(',"agent":');
const DEPTH = literal(',"depth":');
const DECIDER = literal(',"decider":');
const DOMAIN = literal(',"domain":');
const MODEL = literal(',"model":');
const RESOURCE = literal(',"resource":');
const OP = literal(',"op":');
const CLASS = literal(',"class":');
const ACTION = literal(',"action":');
const ARGS = literal(',"args":');
const STAGE = literal(',"stage":');
const ALLOW = literal(',"allow":');
const REASON = literal(',"reason":');
const INTENDED = literal(',"intended":');
const OUTSIDE_REASON = literal(',"outside_reason":');
const PROVABLE_FROM_LOG = literal(',"provable_from_log":');
const END = literal('}');
const EMPTY_OBJECT = literal('{}');
const TRUE = literal('true');
const FALSE = literal('false');
const NULL = literal('null');

/** The end of an `op` line with `args` {}, `stage` null and `outside_reason` null, by [intended][provable_from_log]. */
const PLAIN_OP_TAILS = [false, true].flatMap((intended) =>
  [false, true].map((provable) => literal(`,"args":{},"stage":null,"intended":${intended},"outside_reason":null,"provable_from_log":${provable}}`)),
);

/**
 * An `op` record as one JSON line's text (without the newline) at `out.pos`.
 * False when the record is not of the shape its type promises (an argument
 * that is not a number): the caller then writes JSON.stringify's text.
 */
export function encodeOp(out: JsonBytes, record: OpTruth): boolean {
  head(out, OP_HEAD, record);
  out.fixed(AGENT);
  out.string(record.agent);
  out.fixed(DEPTH);
  finiteNumber(out, record.depth);
  operation(out, record);
  // Most operations have no arguments, no stage and no reason to be outside: the rest is one of four literals.
  if (record.stage === null && record.outside_reason === null && isEmpty(record.args)) {
    out.raw(PLAIN_OP_TAILS[(record.intended ? 2 : 0) + (record.provable_from_log ? 1 : 0)] as Uint8Array);
    return true;
  }
  if (!argsAndStage(out, record)) return false;
  out.fixed(INTENDED);
  out.fixed(record.intended ? TRUE : FALSE);
  out.fixed(OUTSIDE_REASON);
  nullableString(out, record.outside_reason);
  out.fixed(PROVABLE_FROM_LOG);
  out.fixed(record.provable_from_log ? TRUE : FALSE);
  out.fixed(END);
  return true;
}

/** A `decision` record, as encodeOp writes an `op` record. */
export function encodeDecision(out: JsonBytes, record: DecisionTruth): boolean {
  head(out, DECISION_HEAD, record);
  out.fixed(REQUEST);
  out.string(record.request);
  out.fixed(AGENT);
  out.string(record.agent);
  out.fixed(DEPTH);
  finiteNumber(out, record.depth);
  out.fixed(DECIDER);
  out.string(record.decider);
  out.fixed(DOMAIN);
  out.string(record.domain);
  out.fixed(MODEL);
  out.string(record.model);
  operation(out, record);
  if (!argsAndStage(out, record)) return false;
  out.fixed(ALLOW);
  out.fixed(record.allow ? TRUE : FALSE);
  out.fixed(REASON);
  out.string(record.reason);
  out.fixed(INTENDED);
  out.fixed(record.intended ? TRUE : FALSE);
  out.fixed(END);
  return true;
}

/** The members every truth record starts with: its kind (in `start`), `t`, `event_seq` and `mission`. */
function head(out: JsonBytes, start: Uint8Array, record: { t: number; event_seq: number; mission: string | null }): void {
  out.raw(start);
  finiteNumber(out, record.t);
  out.fixed(EVENT_SEQ);
  finiteNumber(out, record.event_seq);
  out.fixed(MISSION);
  nullableString(out, record.mission);
}

/** The operation's members both records share, from `resource` to `action`. */
function operation(out: JsonBytes, ref: OpRef): void {
  out.fixed(RESOURCE);
  out.string(ref.resource);
  out.fixed(OP);
  out.string(ref.op);
  out.fixed(CLASS);
  out.string(ref.class);
  out.fixed(ACTION);
  out.string(ref.action);
}

/** Whether an object has no enumerable string keys (own or inherited), so JSON.stringify writes it as `{}`. */
function isEmpty(values: Record<string, number>): boolean {
  for (const _ in values) return false;
  return true;
}

/** The members both records share after `action`: `args` and `stage`. */
function argsAndStage(out: JsonBytes, ref: OpRef): boolean {
  out.fixed(ARGS);
  if (!args(out, ref.args)) return false;
  out.fixed(STAGE);
  nullableString(out, ref.stage);
  return true;
}

/**
 * The arguments as JSON.stringify writes an object of numbers: own
 * enumerable keys in property order (integer-like keys first, ascending),
 * which is Object.keys' order. Most operations have none.
 */
function args(out: JsonBytes, values: Record<string, number>): boolean {
  const keys = Object.keys(values);
  if (keys.length === 0) {
    out.fixed(EMPTY_OBJECT);
    return true;
  }
  let separator = 0x7b; // '{', then ','
  for (const key of keys) {
    const value = values[key];
    if (typeof value !== 'number') return false;
    out.bytes[out.pos++] = separator;
    separator = 0x2c;
    out.string(key);
    out.bytes[out.pos++] = 0x3a; // ':'
    finiteNumber(out, value);
  }
  out.bytes[out.pos++] = 0x7d; // '}'
  return true;
}

/** A number as JSON writes it: NaN and the infinities as null (JsonBytes.number gives -0 as 0). */
function finiteNumber(out: JsonBytes, value: number): void {
  if (Number.isFinite(value)) out.number(value);
  else out.fixed(NULL);
}

function nullableString(out: JsonBytes, value: string | null): void {
  if (value === null) out.fixed(NULL);
  else out.string(value);
}
