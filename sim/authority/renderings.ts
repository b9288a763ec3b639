import type { ProposedMission } from '../scenario/compile.ts';
import type { IntentDef, MissionDef, OperationDef, ResourceDef } from '../scenario/schema.ts';
import { DERIVED_MAX_DEPTH, parseBound, type Envelope, type OpFacts } from './envelope.ts';
import { toolName, type MissionAuthority } from './model.ts';

/** The operations of the scenario's resources, by `resource/operation`. */
export type OperationIndex = ReadonlyMap<string, OperationDef>;

export function operationIndex(resources: readonly ResourceDef[]): OperationIndex {
  const index = new Map<string, OperationDef>();
  for (const resource of resources) for (const op of resource.operations ?? []) index.set(`${resource.id}/${op.name}`, op);
  return index;
}

/** An operation's place in the taxonomy; one without a class is its resource's own class. */
export function opFacts(
  ops: OperationIndex,
  resource: string,
  operation: string,
  args: Record<string, number> | undefined,
  stage: string | undefined,
  depth: number,
): OpFacts {
  return operationFacts(ops.get(`${resource}/${operation}`), resource, operation, args, stage, depth);
}

/** The arguments of a call that has none: read-only (frozen), as every reader of OpFacts only reads them. */
const NO_ARGS: Readonly<Record<string, number>> = Object.freeze({});

/** opFacts for a caller that already holds the operation's definition (undefined: an operation the resource does not list). */
export function operationFacts(
  def: OperationDef | undefined,
  resource: string,
  operation: string,
  args: Record<string, number> | undefined,
  stage: string | undefined,
  depth: number,
): OpFacts {
  // Keys sorted so the same call always serializes the same way; a call without arguments (most) shares one empty record.
  let sorted = NO_ARGS;
  if (args !== undefined) {
    const own: Record<string, number> = {};
    for (const key of Object.keys(args).sort()) own[key] = args[key] as number;
    sorted = own;
  }
  return { resource, operation, class: def?.class ?? resource, action: def?.action ?? operation, args: sorted, stage, depth };
}

export function envelopeFromDef(def: IntentDef): Envelope {
  return {
    grants: def.grants.map((g) => ({
      class: g.class,
      actions: [...g.actions],
      ...(g.resources ? { resources: [...g.resources] } : {}),
      ...(g.stages ? { stages: [...g.stages] } : {}),
      bounds: (g.constraints ?? []).map(parseBound),
    })),
    exclusions: (def.exclusions ?? []).map((e) => ({ class: e.class, ...(e.actions ? { actions: [...e.actions] } : {}) })),
    maxDepth: def.max_depth ?? 0,
  };
}

/** An envelope as a scenario states one (the inverse of envelopeFromDef): how an authored text travels with its mission. */
export function envelopeDef(envelope: Envelope): IntentDef {
  return {
    grants: envelope.grants.map((g) => ({
      class: g.class,
      actions: [...g.actions],
      ...(g.resources ? { resources: [...g.resources] } : {}),
      ...(g.stages ? { stages: [...g.stages] } : {}),
      constraints: g.bounds.map((b) => `${b.attr} <= ${b.max}`),
    })),
    exclusions: envelope.exclusions.map((e) => ({ class: e.class, ...(e.actions ? { actions: [...e.actions] } : {}) })),
    max_depth: envelope.maxDepth,
  };
}

/**
 * Derived envelopes already built, per operation index, by scope list. Many
 * missions share one scope list (a large run: thousands of agents with the
 * same task), and an envelope is never changed once built, so they share one
 * envelope too: less memory per mission, and the oracle's check of every
 * executed operation reads the same few objects, which stay in the cache.
 */
const derivedEnvelopes = new WeakMap<OperationIndex, Map<string, Envelope>>();

/**
 * A mission authority's sets (scope, tools, R3 grants), shared like derived
 * envelopes by missions whose lists are the same, in the same order (so a
 * set iterates as it would if built afresh): thousands of missions in a
 * large run would otherwise hold four sets each (about 0.6 KB per mission;
 * issue 19 item 4). The sets are read-only once built.
 */
const sharedSets = new WeakMap<OperationIndex, Map<string, ReadonlySet<string>>>();

function sharedSet(ops: OperationIndex, values: readonly string[]): ReadonlySet<string> {
  return sharedPerIndex(sharedSets, ops, values, () => new Set(values));
}

/** The value built for this list under this operation index, built once and shared (read-only) after. */
function sharedPerIndex<T>(cache: WeakMap<OperationIndex, Map<string, T>>, ops: OperationIndex, values: readonly string[], build: () => T): T {
  let byValues = cache.get(ops);
  if (!byValues) {
    byValues = new Map();
    cache.set(ops, byValues);
  }
  const key = JSON.stringify(values);
  let value = byValues.get(key);
  if (value === undefined) {
    value = build();
    byValues.set(key, value);
  }
  return value;
}

/** Without a declared intent, the best reading of the scope list: exactly those operations, at any depth up to the derived bound. */
export function deriveEnvelope(scope: readonly string[], ops: OperationIndex): Envelope {
  return sharedPerIndex(derivedEnvelopes, ops, scope, () => buildDerivedEnvelope(scope, ops));
}

function buildDerivedEnvelope(scope: readonly string[], ops: OperationIndex): Envelope {
  return {
    grants: scope.map((ref) => {
      const [resource = '', operation = ''] = ref.split('/');
      const facts = opFacts(ops, resource, operation, undefined, undefined, 0);
      return { class: facts.class, actions: [facts.action], resources: [resource], bounds: [] };
    }),
    exclusions: [],
    maxDepth: DERIVED_MAX_DEPTH,
  };
}

/**
 * The scope list an envelope renders to when the scenario gives none: every
 * known operation whose class and action some grant names (on its listed
 * resources) and no exclusion rules out. Lossy on purpose: bounds, stages and
 * the delegation bound do not survive, as with any scope string.
 */
export function renderScope(envelope: Envelope, ops: OperationIndex): string[] {
  const scope: string[] = [];
  for (const ref of ops.keys()) {
    const [resource = '', operation = ''] = ref.split('/');
    const f = opFacts(ops, resource, operation, undefined, undefined, 0);
    const granted = envelope.grants.some(
      (g) => g.class === f.class && g.actions.includes(f.action) && (g.resources === undefined || g.resources.includes(resource)),
    );
    const excluded = envelope.exclusions.some((e) => e.class === f.class && (e.actions === undefined || e.actions.includes(f.action)));
    if (granted && !excluded) scope.push(ref);
  }
  return scope;
}

export type { ProposedMission };

/** The mission as the scenario states it, with its true intent: declared, or derived from the scope (the oracle's view). */
export function trueIntent(spec: MissionDef, ops: OperationIndex): { intent: Envelope; source: 'declared' | 'derived' } {
  // References guarantee a scope or an intent.
  return spec.intent ? { intent: envelopeFromDef(spec.intent), source: 'declared' } : { intent: deriveEnvelope(spec.scope ?? [], ops), source: 'derived' };
}

/**
 * The mission as every authority model can see it: its text (what the
 * person wrote, `written`, as the authoring step logged it; without one,
 * exactly the scope), the envelope derived from the approved scope, and the
 * lossy renderings: the description, the scope list, approved_tools and R3
 * grants (each defaulting to what the scope list implies; the scope list,
 * without one, rendered from the text). Never the intent.
 */
export function missionAuthority(spec: ProposedMission, ops: OperationIndex): MissionAuthority {
  const irreversible = (ref: string) => ops.get(ref)?.irreversible === true;
  const written = spec.written ? envelopeFromDef(spec.written) : undefined;
  const scope = spec.scope ?? (written ? renderScope(written, ops) : []);
  const derived = deriveEnvelope(scope, ops);
  const tools = spec.approved_tools ?? scope.map((ref) => toolName(ref.split('/')[0] ?? '', ref.split('/')[1] ?? ''));
  return {
    description: spec.description,
    scope: sharedSet(ops, scope),
    tools: sharedSet(ops, tools),
    r3Granted: sharedSet(ops, spec.r3_granted ?? scope.filter((ref) => !irreversible(ref))),
    r3PerCall: sharedSet(ops, spec.r3_per_call ?? scope.filter(irreversible)),
    text: written ?? derived,
    intent: derived,
    approved: derived,
  };
}
