import type { Rng } from '../engine/random.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { receivesRevocationCalls, type CascadeStatus, type RevocationAnswer, type RevocationCall, type RevocationConfig } from './revocation-target.ts';
import type { Token } from './tokens.ts';

/** The part of a resource the cascade needs. */
export interface CascadeNode {
  readonly id: string;
  readonly actor: string;
  readonly cascade: RevocationCascade;
  readonly revocation: Pick<RevocationConfig, 'mode' | 'latency'> & Partial<Pick<RevocationConfig, 'retries' | 'retryInterval' | 'outages'>>;
  receiveRevocation(token: Token, via: 'push' | 'events', recallAll?: boolean): void;
  /** A revocation call arriving at this node's endpoint, answered from its own state (revocation-target.ts). */
  answerRevocation(call: RevocationCall): RevocationAnswer;
}

/**
 * aauth-r11 revocation cascade at one resource. A resource that called
 * downstream under an upstream token (call chaining) holds the downstream
 * auth tokens it obtained with it; when the upstream token is revoked it
 * revokes those at their resources' endpoints (which cascade in turn) and
 * answers the caller 200 only once every one of them is done, 202 before.
 * Each downstream call is answered by the downstream resource when it
 * arrives (`answerRevocation`); between resources the completion of a 202
 * is reported back by callback (one latency each way); only the PS polls,
 * as the facts describe for the revocation caller. Before aauth-latest a
 * downstream resource without a revocation endpoint is not called (done
 * at once); aauth-latest calls it too, and logs the answer it gets back:
 * revocation_unsupported (terminal), revocation_unavailable (retried after
 * retry_interval), rate_limited (called again after Retry-After).
 */
export class RevocationCascade {
  private readonly downstream = new Map<string, Array<{ target: CascadeNode; token: Token }>>();
  private readonly done = new Set<string>();
  private readonly rng: Rng;

  constructor(
    private readonly ctx: ActorContext,
    private readonly node: CascadeNode,
    /** aauth-latest: downstream recipients without a revocation endpoint are called too, and every error answer is logged. */
    private readonly reportsOutcomes = false,
  ) {
    this.rng = ctx.stream(`${node.actor}/cascade`);
  }

  /** Call chaining: `token` was obtained at `target` under the upstream token `upstreamJti`. */
  noteDownstream(upstreamJti: string, target: CascadeNode, token: Token): void {
    let list = this.downstream.get(upstreamJti);
    if (!list) {
      list = [];
      this.downstream.set(upstreamJti, list);
    }
    list.push({ target, token });
  }

  /** Whether this node sends the downstream resource a revocation call (as the PS decides it: revocation-sender.ts). */
  private calls(target: CascadeNode): boolean {
    return receivesRevocationCalls(target.revocation.mode, this.reportsOutcomes);
  }

  /** The revocation endpoint: revoke here, start the cascade, answer 200 if nothing is left downstream. */
  revoke(token: Token, recallAll: boolean, finished: () => void = () => undefined): CascadeStatus {
    this.node.receiveRevocation(token, 'push', recallAll);
    const children = (this.downstream.get(token.jti) ?? []).filter((child) => this.calls(child.target));
    this.downstream.delete(token.jti);
    if (children.length === 0) {
      this.done.add(token.jti);
      finished();
      return 200;
    }
    let pending = children.length;
    const childDone = () => {
      if (--pending > 0) return;
      this.done.add(token.jti);
      this.ctx.record('revocation.cascade_done', token.mission, this.node.actor, { jti: token.jti, downstream: children.length });
      finished();
    };
    for (const { target, token: child } of children) {
      this.ctx.record('revocation.cascaded', token.mission, this.node.actor, { jti: token.jti, to: target.id, downstream_jti: child.jti });
      this.callDownstream(token, target, child, recallAll, 0, 0, childDone);
    }
    return 202;
  }

  /**
   * One call down the cascade, answered by the downstream resource when it
   * arrives. Down: called again after its retry_interval (aauth-latest logs
   * the 503 when it is back); `waited`: the calls answered rate_limited,
   * which do not count against the retries.
   */
  private callDownstream(token: Token, target: CascadeNode, child: Token, recallAll: boolean, attempt: number, waited: number, childDone: () => void): void {
    const config = target.revocation;
    // aauth-latest logs every call it sends again (its answer is logged too); r11's retries stay silent, as before.
    const again = (nextAttempt: number, nextWaited: number) => () => {
      if (this.reportsOutcomes)
        this.ctx.record('revocation.cascaded', token.mission, this.node.actor, { jti: token.jti, to: target.id, downstream_jti: child.jti });
      this.callDownstream(token, target, child, recallAll, nextAttempt, nextWaited, childDone);
    };
    this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
      const answer = target.answerRevocation({
        token: child,
        from: this.node.actor,
        recallAll,
        carriesExp: true,
        onCascadeDone: () => this.ctx.sim.schedule(config.latency.sample(this.rng), childDone),
      });
      if (answer.status === 200 || answer.status === 202) return;
      if (answer.status === 503) {
        const retry = attempt - waited < (config.retries ?? 0);
        // Given up: this branch never reports done, so neither does the cascade above it (the PS's poll keeps seeing 202).
        if (!this.reportsOutcomes) {
          if (retry) this.ctx.sim.schedule(config.retryInterval ?? 0, again(attempt + 1, waited));
          return;
        }
        this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
          this.ctx.record('revocation.unavailable', token.mission, this.node.actor, {
            jti: token.jti,
            to: target.id,
            downstream_jti: child.jti,
            attempt,
            error: 'revocation_unavailable',
            exposed_until: child.exp,
            retry,
          });
          if (retry) this.ctx.sim.schedule(config.retryInterval ?? 0, again(attempt + 1, waited));
        });
        return;
      }
      // The answer travels back one latency before this node can act on it.
      this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
        if (answer.status === 429) {
          this.ctx.record('revocation.rate_limited', token.mission, this.node.actor, {
            jti: token.jti,
            to: target.id,
            downstream_jti: child.jti,
            attempt,
            error: 'rate_limited',
            retry_after_us: answer.retryAfter,
          });
          this.ctx.sim.schedule(answer.retryAfter, again(attempt + 1, waited + 1));
          return;
        }
        // The later draft's outcome: the recipient cannot revoke, so the downstream token stays usable until its exp. Terminal.
        this.ctx.record('revocation.unsupported', token.mission, this.node.actor, {
          jti: token.jti,
          to: target.id,
          downstream_jti: child.jti,
          error: 'revocation_unsupported',
          exposed_until: child.exp,
        });
        childDone();
      });
    });
  }

  /** A poll of the revocation endpoint. */
  status(jti: string): CascadeStatus {
    return this.done.has(jti) ? 200 : 202;
  }
}
