import type { IntentDef } from '../scenario/schema.ts';
import type { OrchestrationDef } from '../scenario/orchestration-schema.ts';
import { covers, type Scope } from './scope.ts';

/**
 * How an AOP scope reads as AAuth authority, for the plain-chaining side of
 * a comparison (the AOP draft is silent on AAuth; this is the simulator's
 * mapping, docs/aop.md). An SO field `TYPE.field` is the operation `field`
 * of the resource `TYPE` (`TYPE/field`, of class `TYPE`); a `TYPE.*` entry is
 * every field of that type the scenario names anywhere (the SO namespace as
 * far as the mission knows it).
 */

/** Every concrete SO field the orchestration names (scopes, EOD fields, attacks). */
export function soNamespace(def: OrchestrationDef): string[] {
  const named = [
    ...def.mandate.scope,
    ...def.eod.fields,
    ...def.sub_goals.flatMap((g) => [...g.sacr.scope, ...g.eod.fields]),
    ...(def.attacks ?? []).flatMap((a) => [...(a.scope ?? []), ...(a.eod_fields ?? [])]),
  ];
  return [...new Set(named.filter((field) => !field.endsWith('*')))].sort();
}

/** The resource and operation an SO field stands for. */
export function fieldOperation(field: string): { resource: string; operation: string } {
  const dot = field.indexOf('.');
  return dot < 0 ? { resource: field, operation: '*' } : { resource: field.slice(0, dot), operation: field.slice(dot + 1) };
}

/** The concrete fields a scope covers in the namespace (a concrete entry stands for itself). */
export function expandScope(scope: Scope, namespace: readonly string[]): string[] {
  const fields = new Set(scope.filter((entry) => !entry.endsWith('*')));
  for (const field of namespace) if (scope.some((entry) => covers(entry, field))) fields.add(field);
  return [...fields].sort();
}

/** The AAuth mission scope (`resource/operation` strings) of an AOP scope. */
export function aauthScope(scope: Scope, namespace: readonly string[]): string[] {
  return expandScope(scope, namespace).map((field) => {
    const { resource, operation } = fieldOperation(field);
    return `${resource}/${operation}`;
  });
}

/**
 * The delegated grant a sub-agent asks its PS for: one grant per SO type
 * (class and resource = the type, actions = its fields), and the deepest hop
 * below the root that may act under it (its own depth plus the tiers its
 * SACR lets it spawn).
 */
export function aauthGrant(scope: Scope, namespace: readonly string[], maxDepth: number): IntentDef {
  const byType = new Map<string, string[]>();
  for (const field of expandScope(scope, namespace)) {
    const { resource, operation } = fieldOperation(field);
    byType.set(resource, [...(byType.get(resource) ?? []), operation]);
  }
  return {
    grants: [...byType].map(([type, actions]) => ({ class: type, actions, resources: [type] })),
    max_depth: maxDepth,
  };
}
