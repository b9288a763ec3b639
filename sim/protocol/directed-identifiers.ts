import { createHash } from 'node:crypto';

/**
 * -11's `sub` in person, resource and auth tokens: a directed user
 * identifier, "an opaque string, unique within `iss`, that identifies the
 * person. The PS SHOULD derive a pairwise pseudonymous value per resource
 * (`aud`), so different resources see different values for the same
 * person". The simulator derives it as the unpadded base64url SHA-256 of
 * the PS, the person and the resource: stable per (PS, person, resource),
 * different across resources, and saying nothing of the agent.
 */
/** The URL of the PS that issued a token (its `iss`; the simulator's issuers are actor ids, `ps:<id>`), as -11's `ps` claim names it. */
export function personServerUrl(issuer: string): string {
  return `https://${issuer.slice(issuer.indexOf(':') + 1)}`;
}

export function directedSub(ps: string, person: string, resource: string): string {
  return createHash('sha256').update(`missionbench directed sub\n${ps}\n${person}\n${resource}`, 'utf8').digest('base64url');
}
