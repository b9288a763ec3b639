/** One recipient an AS passed a revocation on to, as its answer lists it. */
export interface DownstreamEntry {
  to: string;
  jti: string;
  /**
   * What the recipient's own answer said, as the AS received it: it took the
   * call (`sent`: 200 or 202), cannot revoke (`revocation_unsupported`), was
   * down on the AS's last attempt (`revocation_unavailable`), never answered
   * any attempt (`no_answer`); `event`: told on its event stream, which has
   * no answer; `status_checked`: it checks status per request and is not called.
   */
  outcome: 'sent' | 'event' | 'revocation_unsupported' | 'revocation_unavailable' | 'no_answer' | 'status_checked';
  /** Where the recipient is left able to use the token: until when (its exp). */
  exposed_until?: number;
}

/** What a PS's notice to an AS carries: the token's (iss, jti) and exp, never the token itself. */
export interface AccessServerRevocationNotice {
  readonly iss: string;
  readonly jti: string;
  readonly exp: number;
}

/**
 * What an AS answers a PS's notice, decided by the AS when the notice
 * arrives: 200 with its downstream list (once its recipients answered);
 * 503 while its revocation endpoint is down, with the Retry-After the AS
 * chooses (the PS logs `revocation_unavailable`); 429 `rate_limited` with Retry-After.
 */
export type AccessServerRevocationAnswer =
  | { readonly status: 200; readonly downstream: DownstreamEntry[] }
  | { readonly status: 503; readonly error: 'revocation_unavailable'; readonly retryAfter: number }
  | { readonly status: 429; readonly error: 'rate_limited'; readonly retryAfter: number };

/** aauth-latest, four-party: an Access Server's revocation endpoint as the PS reaches it (over the PS<->AS link; queued at the AS like any request). */
export interface AccessServerRevocationEndpoint {
  readonly actor: string;
  readonly id: string;
  /** The notice arriving at the AS from `from` (the PS's actor id); `reply` sends the answer back over the link. */
  revokeIssued(notice: AccessServerRevocationNotice, from: string, reply: (answer: AccessServerRevocationAnswer) => void): void;
}
