import type { Token } from './tokens.ts';

/** The list is first looked at when it holds this many tokens, and again after at least this many adds. */
const FIRST_PRUNE_AT = 4;

/** Up to this many tokens `has` reads the list; above, a set of their jtis (built on first use). */
const SCAN_AT_MOST = 16;

/**
 * The tokens issued under one mission (by its Person Server, or by an
 * Access Server on its behalf: federated-issuance.ts) and not revoked,
 * in the order it issued them: what a termination, a suspension or a
 * cancellation sends to the resources, and what introspection asks about.
 *
 * Unless it keeps expired tokens (sim/protocol/token-retention.ts says
 * when it must), a token is let go once it has expired: every reader then
 * asks only for tokens with exp > now, so a token with exp <= now is one
 * no reader returns. Pruning is lazy and amortised, and touches only this
 * list (no sweep over all missions): when an add has grown the list by a
 * quarter since the last look, and the oldest token (the first issued:
 * usually the first to expire) has expired, the expired ones are filtered
 * out; a filter of L tokens comes at most once per L/4 adds, so each add
 * costs O(1) on average. A filter waits for the oldest token to expire,
 * so a long-lived one at the head (a person token before many short auth
 * tokens) holds it back: the list stays within about the tokens issued
 * over the longest lifetime, plus a quarter. A token kept after its exp
 * changes nothing, so the filter may come late; it must never drop a live one.
 */
export class OutstandingTokens {
  private tokens: Token[] = [];
  private pruneAt = FIRST_PRUNE_AT;
  /** The jtis of `tokens`, while someone asks `has` of a list longer than SCAN_AT_MOST (introspection modes only). */
  private jtis: Set<string> | undefined = undefined;

  constructor(private readonly keepsExpired: boolean) {}

  get size(): number {
    return this.tokens.length;
  }

  /** A token just issued (only while the mission is active: an active mission holds no suspended tokens). */
  add(token: Token, now: number): void {
    this.tokens.push(token);
    this.jtis?.add(token.jti);
    if (!this.keepsExpired && this.tokens.length >= this.pruneAt) this.prune(now);
  }

  /** Whether the token with this jti is outstanding. */
  has(jti: string): boolean {
    const tokens = this.tokens;
    if (tokens.length <= SCAN_AT_MOST) {
      for (const token of tokens) if (token.jti === jti) return true;
      return false;
    }
    this.jtis ??= new Set(tokens.map((token) => token.jti));
    return this.jtis.has(jti);
  }

  /** Every token kept, in the order issued (expired ones too, for as long as they are kept). */
  all(): readonly Token[] {
    return this.tokens;
  }

  /** The tokens not expired at `now`, in the order issued. */
  unexpired(now: number): Token[] {
    return this.tokens.filter((token) => token.exp > now);
  }

  /** Forgets the tokens `revoked` picks (revoked one by one, the mission stays). */
  remove(revoked: (token: Token) => boolean): void {
    this.tokens = this.tokens.filter((token) => !revoked(token));
    this.jtis = undefined;
  }

  /** Forgets every token (the mission ended and its revocations were sent). */
  clear(): void {
    this.tokens = [];
    this.jtis = undefined;
    this.pruneAt = FIRST_PRUNE_AT;
  }

  /** Drops the tokens expired at `now`, if the oldest is one; the next look once the list has grown by a quarter. */
  private prune(now: number): void {
    const tokens = this.tokens;
    if ((tokens[0] as Token).exp <= now) {
      this.tokens = tokens.filter((token) => token.exp > now);
      this.jtis = undefined;
    }
    this.pruneAt = this.tokens.length + Math.max(FIRST_PRUNE_AT, this.tokens.length >> 2);
  }
}
