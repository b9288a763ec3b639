import { createHash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';
import { envelopeJson, type Envelope } from './envelope.ts';

// The package is CommonJS whose export is the function itself; its typings say otherwise.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

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

/** Unpadded base64url SHA-256 over an envelope's canonical JSON (RFC 8785), as the mission s256 is computed. */
export function envelopeS256(envelope: Envelope): string {
  const canonical = canonicalize(envelopeJson(envelope)) as string;
  return createHash('sha256').update(canonical, 'utf8').digest('base64url');
}

/**
 * A projection as the PS sends it: the envelope projected from the policy
 * the PS itself enforces, bound to one mission by its s256 (and to one
 * hop's agent), with the projection's own hash for the log.
 */
export interface BoundProjection {
  mission: string | null;
  agent: string;
  envelope: Envelope;
  sha256: string;
}

export function bindProjection(mission: string | null, agent: string, envelope: Envelope): BoundProjection {
  return { mission, agent, envelope, sha256: envelopeS256(envelope) };
}

/** Why an AS must not use a projection for a federated request (null: it belongs to it). */
export function projectionRefusal(projection: BoundProjection, request: { mission: string | null; agent: string }): string | null {
  if (projection.mission === null || projection.mission !== request.mission) {
    return `projection bound to mission ${projection.mission ?? '(none)'}, not ${request.mission ?? '(none)'}`;
  }
  if (projection.agent !== request.agent) return `projection bound to agent ${projection.agent}, not ${request.agent}`;
  return null;
}
