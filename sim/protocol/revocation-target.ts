import type { Distribution } from '../engine/distribution.ts';
import type { CompiledRateLimit } from '../scenario/compile.ts';
import type { RevocationMode } from '../scenario/schema.ts';
import type { Token } from './tokens.ts';

/** How a resource learns of revocations, resolved from scenario and profile. */
export interface RevocationConfig {
  /** Read once by each Person Server when it is built (token-retention.ts): never changed during a run. */
  readonly mode: RevocationMode;
  latency: Distribution;
  loss: number;
  retries: number;
  retryInterval: number;
  /** r11 cascade: Retry-After of a 202 answer. */
  retryAfter: number;
  cacheTtl: number;
  /** Periods when the endpoint is down (revocation_unavailable under aauth-latest). */
  outages: ReadonlyArray<{ readonly from: number; readonly until: number }>;
  /** The endpoint's limit on calls per caller (429 rate_limited past it); undefined: none. */
  rateLimit?: CompiledRateLimit;
}

/** Resources a caller never calls: they learn by an event stream, or check a token's status per request. */
const NOT_CALLED: ReadonlySet<RevocationMode> = new Set(['events', 'introspect', 'cache']);

/**
 * Whether a PS (or a resource cascading) sends a resource a revocation
 * call: one with a revocation endpoint (push); under aauth-latest
 * (`reportsOutcomes`) also one that learns only by TTL, which answers the
 * call itself (revocation_unsupported). Decided from the resource's
 * configured mode: a shortcut (docs/architecture.md, "Shortcuts still taken").
 */
export function receivesRevocationCalls(mode: RevocationMode, reportsOutcomes: boolean): boolean {
  return mode === 'push' || (reportsOutcomes && !NOT_CALLED.has(mode));
}

/** Whether a revocation endpoint is inside one of its outages at `now`. */
export function endpointDown(config: { readonly outages?: RevocationConfig['outages'] }, now: number): boolean {
  return (config.outages ?? []).some((outage) => now >= outage.from && now < outage.until);
}

/** What a revocation endpoint answers under the r11 cascade: 200 once done downstream, else 202 and poll. */
export type CascadeStatus = 200 | 202;

/** The cascade's answer on the wire: 200, or 202 with the Retry-After the caller is to wait before it polls. */
export type CascadeAnswer = { readonly status: 200 } | { readonly status: 202; readonly retryAfter: number };

/**
 * A revocation call as it reaches the endpoint: the token it names (the
 * body on the wire is {jti} under r01, {jti, exp} from r11 on), who signed
 * it, and whether work under the token is to be recalled too.
 */
export interface RevocationCall {
  readonly token: Token;
  /** The caller's actor id (the signature's `iss`): what a rate limit counts by. */
  readonly from: string;
  readonly recallAll: boolean;
  /** The body carries exp (r11 and later). */
  readonly carriesExp: boolean;
  /**
   * A resource cascading to another: told when the callee's own cascade
   * is done, after a 202 (between resources completion is reported back,
   * not polled; the PS polls).
   */
  readonly onCascadeDone?: () => void;
}

/**
 * What a revocation endpoint answers a call, decided by the recipient from
 * its own state when the call arrives: 200/202 (r11 cascade); 403
 * `revocation_unsupported` (it cannot revoke: no revocation endpoint);
 * 503 while it is down (aauth-latest: the caller logs
 * `revocation_unavailable`; before, the call goes unanswered); 429
 * `rate_limited` past its rate limit, with Retry-After.
 */
export type RevocationAnswer =
  | CascadeAnswer
  | { readonly status: 403; readonly error: 'revocation_unsupported' }
  | { readonly status: 503; readonly error: 'revocation_unavailable' }
  | { readonly status: 429; readonly error: 'rate_limited'; readonly retryAfter: number };

export const REVOKED: RevocationAnswer = Object.freeze({ status: 200 });
export const UNSUPPORTED: RevocationAnswer = Object.freeze({ status: 403, error: 'revocation_unsupported' });
export const UNAVAILABLE: RevocationAnswer = Object.freeze({ status: 503, error: 'revocation_unavailable' });

/**
 * A resource's revocation endpoints as a Person Server reaches them: where
 * it sends revocations, suspension and cancellation notices, and (r11)
 * polls the cascade. The PS holds these, never the resource.
 */
export interface RevocationTarget {
  readonly id: string;
  readonly actor: string;
  /**
   * How the endpoint is reached (mode: a revocation call, an event stream,
   * or none for resources that check status per request; latency, loss,
   * retries). What the endpoint answers is its own: `answerRevocation`.
   */
  readonly revocation: RevocationConfig;
  receiveRevocation(token: Token, via: 'push' | 'events', recallAll?: boolean): void;
  receiveSuspension(token: Token, suspended: boolean): void;
  receiveCancellation(mission: string, tokens: Token[]): void;
  /** A revocation call arriving at the endpoint, and the endpoint's answer (decided there, from its own state). */
  answerRevocation(call: RevocationCall): RevocationAnswer;
  /** r11: polling a 202 (the answer carries its own Retry-After). */
  cascadeStatus(jti: string): CascadeAnswer;
}
