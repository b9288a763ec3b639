import type { Token } from './tokens.ts';

/** One recipient an AS passed a revocation on to, as its answer lists it. */
export interface DownstreamEntry {
  to: string;
  jti: string;
  /** What the AS knows of that recipient: called (push), told on its event stream, cannot revoke, or only checks status. */
  outcome: 'sent' | 'event' | 'revocation_unsupported' | 'status_checked';
  /** Where the recipient cannot revoke: until when the token stays usable there. */
  exposed_until?: number;
}

/** aauth-latest, four-party: an Access Server's revocation endpoint as the PS reaches it. */
export interface AccessServerRevocationEndpoint {
  readonly actor: string;
  readonly id: string;
  revokeIssued(token: Token, recallAll: boolean): DownstreamEntry[];
}
