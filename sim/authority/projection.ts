import type { Envelope } from './envelope.ts';

/**
 * What an AS in another domain may see under envelope-projection: the
 * grants that touch its resources (narrowed to them) and the exclusions on
 * its classes; the delegation bound. Never the description: what, not why.
 */
export function projectEnvelope(grant: Envelope, classes: ReadonlySet<string>, resources: ReadonlySet<string>): Envelope {
  const grants = grant.grants.flatMap((g) => {
    if (g.resources === undefined) return classes.has(g.class) ? [g] : [];
    const kept = g.resources.filter((r) => resources.has(r));
    return kept.length > 0 ? [{ ...g, resources: kept }] : [];
  });
  return { grants, exclusions: grant.exclusions.filter((e) => classes.has(e.class)), maxDepth: grant.maxDepth };
}
