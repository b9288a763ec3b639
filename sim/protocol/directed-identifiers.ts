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
  let url = urls.get(issuer);
  if (url === undefined) {
    url = `https://${issuer.slice(issuer.indexOf(':') + 1)}`;
    urls.set(issuer, url);
  }
  return url;
}

export function directedSub(ps: string, person: string, resource: string): string {
  // Found by its three parts (strings the caller already holds), not by a text built per token.
  const byResource = subsOf(subsOf(subs, ps), person);
  let sub = byResource.get(resource);
  if (sub === undefined) {
    sub = createHash('sha256').update(`missionbench directed sub\n${ps}\n${person}\n${resource}`, 'utf8').digest('base64url');
    byResource.set(resource, sub);
  }
  return sub;
}

function subsOf<T>(parent: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let child = parent.get(key);
  if (child === undefined) {
    child = new Map();
    parent.set(key, child);
  }
  return child;
}

// One string per value, shared by every token that carries it (a person token is issued per agent and
// resource, and resource and auth tokens copy its `sub`): tens of thousands of tokens, a few values.
const urls = new Map<string, string>();
/** By PS, then person, then resource. */
const subs = new Map<string, Map<string, Map<string, string>>>();
