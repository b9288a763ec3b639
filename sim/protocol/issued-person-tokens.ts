import type { Token } from './tokens.ts';

/**
 * -11: the person tokens a Person Server issued, by jti, so that a resource
 * token's `presented_jti` can be resolved; each kept until its exp lies
 * `retentionUs` in the past (sim/protocol/token-retention.ts says why no
 * resource token can name it after that).
 *
 * Tokens are issued in time order and none outlives its iat by more than
 * the longest person-token lifetime, so the oldest are at the head of a
 * queue: each `add` lets go of the head while the head is dead and stops at
 * the first live one. A short-lived token behind a longer-lived one waits
 * for it (kept longer than needed, which is safe); each token is looked at
 * once when it goes, so the cost is O(1) per token issued.
 */
export class IssuedPersonTokens {
  private readonly byJti = new Map<string, Token>();
  /** The tokens in `byJti`, in the order issued, from `head` on. */
  private order: Token[] = [];
  private head = 0;

  constructor(private readonly retentionUs: number) {}

  get size(): number {
    return this.byJti.size;
  }

  /** A person token this PS issued, by its jti. */
  get(jti: string): Token | undefined {
    return this.byJti.get(jti);
  }

  /**
   * A person token just issued (after every token added before). `since`:
   * no request that may name a person token reached the PS before it and
   * is still waiting in its queue (the PS's own queue is measured, not
   * assumed; now, when none waits).
   */
  add(token: Token, since: number): void {
    const horizon = since - this.retentionUs;
    const order = this.order;
    let head = this.head;
    for (let oldest = order[head]; oldest !== undefined && oldest.exp <= horizon; oldest = order[++head]) this.byJti.delete(oldest.jti);
    // Shift the live tail down once the dead head is as long as it: amortised O(1).
    if (head > 0 && head * 2 >= order.length) {
      this.order = order.slice(head);
      head = 0;
    }
    this.head = head;
    this.order.push(token);
    this.byJti.set(token.jti, token);
  }
}
