import { createHash } from 'node:crypto';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { Envelope, OpFacts } from './envelope.ts';
import { setV8Flags } from '../v8-flags.ts';

// Before any function that calls Cedar is optimized: V8 11.3 crashes deoptimizing such a call when it is inlined.
setV8Flags();

/**
 * Compiles an envelope to a Cedar policy set and evaluates requests with
 * the real Cedar engine (@cedar-policy/cedar-wasm). One `permit` per grant,
 * one `forbid` per exclusion and one `forbid` for the delegation bound:
 * Cedar denies by default and `forbid` beats `permit`, which is exactly the
 * envelope's semantics. Request facts travel in the context, so no entity
 * store is needed.
 */
export interface CompiledEnvelope {
  /** The preparsed policy set's id in Cedar's cache (a hash of the text, so equal envelopes share it). */
  id: string;
  /** Policy id -> Cedar text, in a fixed order. */
  policies: Record<string, string>;
  /** Policy id -> what it says, for reasons a person can read. */
  meaning: Record<string, string>;
}

export interface CedarDecision {
  allow: boolean;
  /** The determining policies (Cedar's diagnostics.reason), e.g. ["grant.0"] or ["exclusion.1"]. */
  policies: string[];
  reason: string;
}

/**
 * A Cedar string literal. Cedar's escapes are Rust's (`\n`, `\t`, `\\`,
 * `\"`, `\u{7f}`), not JSON's: JSON.stringify writes a control character
 * as `\u0000`, which Cedar refuses. A lone surrogate has no UTF-8 form and
 * is written as U+FFFD, as any UTF-8 encoder would.
 */
function str(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else if (code >= 0xd800 && code <= 0xdfff) out += '\uFFFD';
    else out += char;
  }
  return `${out}"`;
}
const strings = (values: readonly string[]) => `[${values.map(str).join(', ')}]`;
const actions = (values: readonly string[]) => `[${values.map((a) => `Action::${str(a)}`).join(', ')}]`;

/** Policy-set ids already in Cedar's (thread-local) cache. */
const preparsed = new Set<string>();

export function compileEnvelope(envelope: Envelope): CompiledEnvelope {
  const policies: Record<string, string> = {};
  const meaning: Record<string, string> = {};
  envelope.grants.forEach((grant, i) => {
    const conditions = [`context.class == ${str(grant.class)}`];
    if (grant.resources) conditions.push(`${strings(grant.resources)}.contains(context.resource)`);
    if (grant.stages) conditions.push(`${strings(grant.stages)}.contains(context.stage)`);
    // A bound constrains a call only if it carries that argument.
    // String forms (`has "x"`, `["x"]`) so an argument named like a Cedar keyword still parses.
    for (const bound of grant.bounds) conditions.push(`(!(context.args has ${str(bound.attr)}) || context.args[${str(bound.attr)}] <= ${bound.max})`);
    policies[`grant.${i}`] = `permit(principal, action in ${actions(grant.actions)}, resource) when { ${conditions.join(' && ')} };`;
    meaning[`grant.${i}`] = `${grant.class}/${grant.actions.join('|')}`;
  });
  envelope.exclusions.forEach((exclusion, i) => {
    const scope = exclusion.actions ? `action in ${actions(exclusion.actions)}` : 'action';
    policies[`exclusion.${i}`] = `forbid(principal, ${scope}, resource) when { context.class == ${str(exclusion.class)} };`;
    meaning[`exclusion.${i}`] = `excluded ${exclusion.class}/${exclusion.actions?.join('|') ?? '*'}`;
  });
  policies.depth = `forbid(principal, action, resource) when { context.depth > ${envelope.maxDepth} };`;
  meaning.depth = `delegation bound ${envelope.maxDepth}`;
  const text = Object.entries(policies)
    .map(([id, policy]) => `${id}: ${policy}`)
    .join('\n');
  const id = createHash('sha256').update(text).digest('base64url');
  // Equal envelopes (every mission of a template, every inherited grant) are parsed once per process.
  if (!preparsed.has(id)) {
    const parsed = cedar.preparsePolicySet(id, { staticPolicies: policies });
    if (parsed.type !== 'success') throw new Error(`envelope does not compile to Cedar: ${parsed.errors.map((e) => e.message).join('; ')}`);
    preparsed.add(id);
  }
  return { id, policies, meaning };
}

/** The Cedar request for one operation. */
function request(compiled: CompiledEnvelope, op: OpFacts): cedar.StatefulAuthorizationCall {
  return {
    principal: { type: 'Agent', id: 'caller' },
    action: { type: 'Action', id: op.action },
    resource: { type: 'Resource', id: op.resource },
    context: { class: op.class, resource: op.resource, stage: op.stage ?? '', depth: op.depth, args: { ...op.args } },
    preparsedPolicySetId: compiled.id,
    entities: [],
  };
}

/** Evaluates one operation against a compiled envelope with Cedar. */
export function evaluate(compiled: CompiledEnvelope, op: OpFacts): CedarDecision {
  const answer = cedar.statefulIsAuthorized(request(compiled, op));
  if (answer.type !== 'success') throw new Error(`Cedar evaluation failed: ${answer.errors.map((e) => e.message).join('; ')}`);
  const { decision, diagnostics } = answer.response;
  if (diagnostics.errors.length > 0) throw new Error(`Cedar policy error: ${diagnostics.errors.map((e) => e.error.message).join('; ')}`);
  const policies = [...diagnostics.reason].sort();
  const allow = decision === 'allow';
  const what = `${op.resource}/${op.operation} (${op.class}/${op.action})`;
  const reason = allow
    ? `permitted by ${policies.map((p) => compiled.meaning[p] ?? p).join(', ')}`
    : policies.length > 0
      ? `${what} forbidden: ${policies.map((p) => compiled.meaning[p] ?? p).join(', ')}`
      : `${what} permitted by no grant`;
  return { allow, policies, reason };
}
