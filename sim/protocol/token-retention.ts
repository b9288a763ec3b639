import type { Profile } from './profiles.ts';

/**
 * How long after a token's exp anything still under way can name it to the
 * Person Server that issued it: a message in transit (a link's latency; a
 * lossy link's resends after its timeout, 30 s and 3 resends by default),
 * a request waiting in the PS's queue, or one passed on by a parent runtime
 * (-11 mediation: a rate limit waited out, or a crashed parent replaced,
 * 10 s by default). Every such wait in the scenarios this simulator ships
 * is milliseconds to two minutes; ten minutes is the margin over the
 * longest. It is an assumption about a scenario's settings and
 * distributions, not a theorem (an exponential latency has no upper bound
 * on paper; a scenario can set a lossy link's timeout, a parent's restart
 * time or an overloaded PS queue past it). What breaks if it is exceeded
 * is a log line (`unknown_person_token` where the later refusal would
 * have been, `token revoked` for `token expired`), so the fingerprints
 * would show it: answer that with a longer margin, never by re-recording.
 * All of this repository's fingerprinted scenarios give the same logs with
 * a margin of zero (docs/benchmarks/ps-prune.md). Nothing waits after a
 * 503 or a refusal: the agent starts the step again with a new resource
 * token.
 */
export const IN_FLIGHT_US = 600_000_000;

/**
 * How long the PS keeps a mission's outstanding token after its exp
 * (sim/protocol/outstanding-tokens.ts), or undefined: kept until the
 * mission ends. Each reader of the list, and what it needs of an expired
 * token:
 * - termination (sim/lifecycle/endings.ts), suspension notices, and the
 *   agent-token revocation endpoint's revoked_tokens read only tokens with
 *   exp > now (or held under a suspension: the list is pruned only while
 *   the mission is active, and an active mission holds none);
 * - tokenActive (introspection and cache modes) answers for the jti a
 *   resource sends; the resource asks only about a token it found
 *   unexpired when it sent the question, so the question arrives at most
 *   one transit (IN_FLIGHT_US) after the token's exp. After that no
 *   question about it can come, and an answer it would change cannot be
 *   asked for;
 * - cancellation (richEndings: mission-authority) sends every token the
 *   mission ever issued, expired ones too, and each resource logs how many
 *   it got and recalls work still queued under them (a queue, a person's
 *   approval or a monitor's hold can keep work waiting for any time): no
 *   expired token of such a profile is ever dead while its mission lives,
 *   so those profiles keep the whole list.
 */
export function outstandingRetentionUs(profile: Pick<Profile, 'richEndings'>): number | undefined {
  return profile.richEndings ? undefined : IN_FLIGHT_US;
}

/**
 * -11: how long the PS keeps a person token by jti after its exp
 * (sim/protocol/issued-person-tokens.ts). A resource token names it by
 * `presented_jti`, and the auth-token endpoint resolves that name before
 * anything else about the resource token (its own exp is checked later,
 * so an expired resource token still needs it: "unknown_person_token" and
 * the refusal the person token leads to are different log lines). A
 * resource mints a resource token only against a person token it found
 * unexpired, and the resource token lives resourceTtl; the agent presents
 * it once (after a 503 or a refusal it starts over with a new one), so it
 * reaches the PS at most resourceTtl plus one journey (IN_FLIGHT_US) after
 * the person token's exp. How long it then waits in the PS's own queue is
 * not assumed: the horizon is counted from the arrival of the oldest
 * auth-token request still waiting there (AuthTokenEndpoint.waitingSince). A replay of another agent's captured resource
 * token (sim/protocol/agent-attack.ts) can come later, but -11's binding
 * check refuses it before the lookup: only keyBound profiles have person
 * tokens.
 */
export function personTokenRetentionUs(profile: Pick<Profile, 'resourceTtl'>): number {
  return profile.resourceTtl + IN_FLIGHT_US;
}
