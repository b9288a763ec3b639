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
  const text = `missionbench directed sub\n${ps}\n${person}\n${resource}`;
  let sub = subs.get(text);
  if (sub === undefined) {
    sub = createHash('sha256').update(text, 'utf8').digest('base64url');
    subs.set(text, sub);
  }
  return sub;
}

// One string per value, shared by every token that carries it (a person token is issued per agent and
// resource, and resource and auth tokens copy its `sub`): tens of thousands of tokens, a few values.
const urls = new Map<string, string>();
const subs = new Map<string, string>();
