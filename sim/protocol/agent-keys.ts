import { createHash } from 'node:crypto';

/**
 * The JWK thumbprint (RFC 7638) of an agent's signing key, as -11's tokens
 * carry it: `agent_jkt` in a resource token, `cnf` in person and auth
 * tokens. The simulator holds no key pair per agent: an agent's key is
 * named by this deterministic stand-in (unpadded base64url SHA-256 over a
 * label and the agent id), one key per agent identity (a replacement
 * runtime signs with the same key). A party that compares thumbprints
 * learns that two requests were signed by one key, never which agent
 * holds it.
 */
const thumbprints = new Map<string, string>();

export function agentKeyThumbprint(agent: string): string {
  let jkt = thumbprints.get(agent);
  if (jkt === undefined) {
    jkt = createHash('sha256').update(`missionbench agent key: ${agent}`, 'utf8').digest('base64url');
    thumbprints.set(agent, jkt);
  }
  return jkt;
}
