import type { Distribution } from '../engine/distribution.ts';
import type { RevocationMode } from '../scenario/schema.ts';
import type { Token } from './tokens.ts';

/** How a resource learns of revocations, resolved from scenario and profile. */
export interface RevocationConfig {
  mode: RevocationMode;
  latency: Distribution;
  loss: number;
  retries: number;
  retryInterval: number;
  /** r11 cascade: Retry-After of a 202 answer. */
  retryAfter: number;
  cacheTtl: number;
  /** Periods when the endpoint is down (revocation_unavailable under aauth-latest). */
  outages: ReadonlyArray<{ readonly from: number; readonly until: number }>;
}

/** Whether a revocation endpoint is inside one of its outages at `now`. */
export function endpointDown(config: { readonly outages?: RevocationConfig['outages'] }, now: number): boolean {
  return (config.outages ?? []).some((outage) => now >= outage.from && now < outage.until);
}

/** What a revocation endpoint answers under the r11 cascade: 200 once done downstream, else 202 and poll. */
export type CascadeStatus = 200 | 202;

/**
 * A resource's revocation endpoints as a Person Server reaches them: where
 * it sends revocations, suspension and cancellation notices, and (r11)
 * polls the cascade. The PS holds these, never the resource.
 */
export interface RevocationTarget {
  readonly id: string;
  readonly actor: string;
  /** The endpoint's published behaviour: how it is reached (mode, latency, loss, retries). */
  readonly revocation: RevocationConfig;
  receiveRevocation(token: Token, via: 'push' | 'events', recallAll?: boolean): void;
  receiveSuspension(token: Token, suspended: boolean): void;
  receiveCancellation(mission: string, tokens: Token[]): void;
  /** r11: the revocation endpoint's answer to a revocation (200 done, 202 in progress). */
  cascadeRevoke(token: Token, recallAll: boolean): CascadeStatus;
  /** r11: polling a 202. */
  cascadeStatus(jti: string): CascadeStatus;
}
