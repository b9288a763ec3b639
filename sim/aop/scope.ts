import { sha256Canonical } from './ids.ts';

/**
 * SACR scope_constraints: a set of SO fields (`SO_TYPE.field`) or whole
 * SO types (`SO_TYPE.*`). An entry covers a field when it names it, or is
 * a `.*` entry over a prefix of it.
 */
export type Scope = readonly string[];

export function covers(entry: string, field: string): boolean {
  if (entry === field) return true;
  return entry.endsWith('.*') && field.startsWith(entry.slice(0, -1));
}

export function inScope(scope: Scope, field: string): boolean {
  return scope.some((entry) => covers(entry, field));
}

/** The entries of `child` that `parent` does not cover. */
export function outside(child: Scope, parent: Scope): string[] {
  return child.filter((entry) => !inScope(parent, entry));
}

/**
 * The narrowing property (CONF-AOP-SEC-01): every entry of `child` lies
 * inside `parent`, and `parent` covers something `child` does not, so the
 * child's scope is a strict subset of its parent's.
 */
export function isStrictSubset(child: Scope, parent: Scope): boolean {
  return outside(child, parent).length === 0 && outside(parent, child).length > 0;
}

/** SHA-256 (hex) of the scope as a sorted, de-duplicated list: the scope_hash of ALE-043. */
export function scopeHash(scope: Scope): string {
  return sha256Canonical([...new Set(scope)].sort());
}
