import type { RevocationMode } from '../scenario/resource-schema.ts';
import type { Profile } from './profiles.ts';

/**
 * Whether a Person Server must keep a mission's expired tokens on its
 * outstanding list (sim/protocol/outstanding-tokens.ts) for as long as the
 * mission lives, or may let each go at its exp. Each reader of the list,
 * and what it reads of an expired token:
 * - a termination (sim/lifecycle/endings.ts), a suspension's notices and
 *   the agent-token revocation endpoint's `revoked_tokens` read only the
 *   tokens with exp > now, except under `suspendHolds`, where a suspension
 *   keeps the tokens it held (expired ones too) until the mission resumes
 *   or ends;
 * - a cancellation (`richEndings`) sends every token still on the list,
 *   expired ones too: each resource logs how many it got and recalls work
 *   still queued under them, which can wait any time;
 * - `tokenActive` (resources in the `introspect` and `cache` modes) answers
 *   for any jti a resource asks about, and its answer does not look at the
 *   token's exp; the question comes a network journey after the resource
 *   found the token unexpired, and a journey has no upper bound (a link's
 *   latency distribution, a lossy link's resends), so no age makes an
 *   expired token one nothing can ask about.
 * So the list may drop a token at its exp exactly when none of the last
 * three applies: then every reader asks for exp > now, and a token with
 * exp <= now is one no reader would return. Dropping it changes no answer,
 * no log line and no outcome: a rule, not a margin.
 *
 * What the PS knows to decide it: its profile, and how each resource it
 * is told of checks tokens (RevocationTarget.revocation.mode, the
 * integration a real PS operator knows). The world tells every PS of every
 * resource (sim/world/protocol-world.ts), so one resource in `introspect`
 * or `cache` mode anywhere makes every PS keep expired tokens: safe, and
 * what a deployment whose resources may ask any PS would do.
 */
export function keepsExpiredTokens(profile: Pick<Profile, 'richEndings' | 'suspendHolds'>, resourceModes: Iterable<RevocationMode>): boolean {
  if (profile.richEndings || profile.suspendHolds) return true;
  for (const mode of resourceModes) if (asksTokenStatus(mode)) return true;
  return false;
}

/** Whether a resource in this revocation mode asks the PS if a token is active (Resource.checkStatus); the others know locally. */
export function asksTokenStatus(mode: RevocationMode): boolean {
  return !(mode === 'none' || mode === 'push' || mode === 'events');
}
