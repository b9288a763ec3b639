/**
 * An envelope, in the Mission Authority Model's terms (resource classes,
 * actions, constraints, stages, a delegation bound, exclusions). A mission's
 * `intent` envelope is what the person really meant: the simulator's ground
 * truth (the oracle in truth.jsonl). Its `approved` envelope is what the
 * person or their organisation wrote; under the `envelope` authority model
 * a PS compiles that (sim/authority/compilation.ts) into the policy every
 * hop enforces. The description, the scope list, approved_tools and R3
 * grants are lossy renderings.
 */

/** One numeric upper bound on a request argument, e.g. `amount <= 5000`. */
export interface Bound {
  attr: string;
  max: number;
}

/** One permitted box: a class, some actions, optionally some resources, stages and bounds. */
export interface Grant {
  class: string;
  actions: string[];
  /** Resource ids this grant is limited to; undefined means any resource of the class. */
  resources?: string[];
  /** Stages in which it applies; undefined means any stage. */
  stages?: string[];
  bounds: Bound[];
}

/** Something the approver ruled out, whatever the grants say (`forbid` beats `permit`). */
export interface Exclusion {
  class: string;
  /** Undefined means every action on the class. */
  actions?: string[];
}

export interface Envelope {
  grants: Grant[];
  exclusions: Exclusion[];
  /** How many delegation hops below the root agent may act (0: no delegation). */
  maxDepth: number;
}

/** The facts of one requested or executed operation that authority is judged on. */
export interface OpFacts {
  resource: string;
  operation: string;
  class: string;
  action: string;
  /** Numeric arguments of the call (amount, count, ...), in a fixed order; read-only (calls without arguments share one frozen record). */
  readonly args: Readonly<Record<string, number>>;
  stage: string | undefined;
  /** Delegation hops between the root agent and the caller (0: the root agent). */
  depth: number;
}

/** The default delegation bound of a derived envelope: the longest deployed chain cap (UCAN's 8). */
export const DERIVED_MAX_DEPTH = 8;

const BOUND = /^([A-Za-z_][A-Za-z0-9_]*)\s*<=\s*(-?\d{1,15})$/;

/** Parses `attr <= N`; the scenario schema checks the shape first, so a miss is a bug. */
export function parseBound(text: string): Bound {
  const match = BOUND.exec(text.trim());
  if (!match) throw new Error(`not a bound: ${text}`);
  return { attr: match[1] as string, max: Number(match[2]) };
}

/** Why an operation is outside an envelope, or null if it is inside. */
export function outsideReason(envelope: Envelope, op: OpFacts): string | null {
  if (op.depth > envelope.maxDepth) return `depth ${op.depth} exceeds the delegation bound ${envelope.maxDepth}`;
  for (const exclusion of envelope.exclusions) {
    if (exclusion.class === op.class && (exclusion.actions === undefined || exclusion.actions.includes(op.action))) {
      return `excluded: ${op.class}/${op.action}`;
    }
  }
  let nearest: string | null = null;
  for (const grant of envelope.grants) {
    if (grant.class !== op.class || !grant.actions.includes(op.action)) continue;
    if (grant.resources !== undefined && !grant.resources.includes(op.resource)) {
      nearest ??= `${op.resource} is not among the granted resources`;
      continue;
    }
    if (grant.stages !== undefined && (op.stage === undefined || !grant.stages.includes(op.stage))) {
      nearest ??= `stage ${op.stage ?? '(none)'} not granted`;
      continue;
    }
    // A loop, not bounds.find(callback): this runs for every executed operation, and most grants have no bounds.
    let broken: (typeof grant.bounds)[number] | undefined;
    for (const bound of grant.bounds) {
      if (op.args[bound.attr] !== undefined && (op.args[bound.attr] as number) > bound.max) {
        broken = bound;
        break;
      }
    }
    if (broken) {
      nearest ??= `${broken.attr} ${op.args[broken.attr]} exceeds ${broken.max}`;
      continue;
    }
    return null;
  }
  return nearest ?? `no grant covers ${op.class}/${op.action}`;
}

export function inside(envelope: Envelope, op: OpFacts): boolean {
  return outsideReason(envelope, op) === null;
}

/** The envelope as written to truth.jsonl and to the log: stable field names, fixed order. */
export function envelopeJson(envelope: Envelope): Record<string, unknown> {
  return {
    grants: envelope.grants.map((g) => ({
      class: g.class,
      actions: g.actions,
      ...(g.resources ? { resources: g.resources } : {}),
      ...(g.stages ? { stages: g.stages } : {}),
      constraints: g.bounds.map((b) => `${b.attr} <= ${b.max}`),
    })),
    exclusions: envelope.exclusions.map((e) => ({ class: e.class, ...(e.actions ? { actions: e.actions } : {}) })),
    max_depth: envelope.maxDepth,
  };
}
