import type { Rng } from '../engine/random.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { endpointDown, type CascadeStatus, type RevocationConfig } from './revocation-target.ts';
import type { Token } from './tokens.ts';

/** The part of a resource the cascade needs. */
export interface CascadeNode {
  readonly id: string;
  readonly actor: string;
  readonly cascade: RevocationCascade;
  readonly revocation: Pick<RevocationConfig, 'mode' | 'latency'> & Partial<Pick<RevocationConfig, 'retries' | 'retryInterval' | 'outages'>>;
  receiveRevocation(token: Token, via: 'push' | 'events', recallAll?: boolean): void;
}

/**
 * aauth-r11 revocation cascade at one resource. A resource that called
 * downstream under an upstream token (call chaining) holds the downstream
 * auth tokens it obtained with it; when the upstream token is revoked it
 * revokes those at their resources' endpoints (which cascade in turn) and
 * answers the caller 200 only once every one of them is done, 202 before.
 * Between resources the completion is reported back by callback (one
 * latency each way); only the PS polls, as the facts describe for the
 * revocation caller. Downstream resources without a revocation endpoint
 * (mode other than push) count as done at once.
 */
export class RevocationCascade {
  private readonly downstream = new Map<string, Array<{ target: CascadeNode; token: Token }>>();
  private readonly done = new Set<string>();
  private readonly rng: Rng;

  constructor(
    private readonly ctx: ActorContext,
    private readonly node: CascadeNode,
    /** aauth-latest: a downstream recipient without a revocation endpoint answers `revocation_unsupported`, and the log says so. */
    private readonly reportsUnsupported = false,
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

  /** The revocation endpoint: revoke here, start the cascade, answer 200 if nothing is left downstream. */
  revoke(token: Token, recallAll: boolean, finished: () => void = () => undefined): CascadeStatus {
    this.node.receiveRevocation(token, 'push', recallAll);
    const all = this.downstream.get(token.jti) ?? [];
    const children = all.filter((child) => child.target.revocation.mode === 'push');
    this.downstream.delete(token.jti);
    if (this.reportsUnsupported) {
      // The later draft's outcome: the recipient cannot revoke, so the downstream token stays usable until its exp.
      // A downstream resource learning by events, introspection or a cache is the PS's to reach (revocation-sender.ts), not unsupported.
      for (const { target, token: child } of all.filter((c) => c.target.revocation.mode === 'none')) {
        this.ctx.record('revocation.unsupported', token.mission, this.node.actor, {
          jti: token.jti,
          to: target.id,
          downstream_jti: child.jti,
          error: 'revocation_unsupported',
          exposed_until: child.exp,
        });
      }
    }
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
      this.callDownstream(token, target, child, recallAll, 0, childDone);
    }
    return 202;
  }

  /** One call down the cascade; a down endpoint is called again after its retry_interval (aauth-latest logs its answer). */
  private callDownstream(token: Token, target: CascadeNode, child: Token, recallAll: boolean, attempt: number, childDone: () => void): void {
    const config = target.revocation;
    this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
      if (endpointDown(config, this.ctx.sim.now)) {
        const retry = attempt < (config.retries ?? 0);
        if (this.reportsUnsupported) {
          this.ctx.record('revocation.unavailable', token.mission, this.node.actor, {
            jti: token.jti,
            to: target.id,
            downstream_jti: child.jti,
            attempt,
            error: 'revocation_unavailable',
            exposed_until: child.exp,
            retry,
          });
        }
        // Given up: this branch never reports done, so neither does the cascade above it (the PS's poll keeps seeing 202).
        if (retry) this.ctx.sim.schedule(config.retryInterval ?? 0, () => this.callDownstream(token, target, child, recallAll, attempt + 1, childDone));
        return;
      }
      target.cascade.revoke(child, recallAll, () => this.ctx.sim.schedule(config.latency.sample(this.rng), childDone));
    });
  }

  /** A poll of the revocation endpoint. */
  status(jti: string): CascadeStatus {
    return this.done.has(jti) ? 200 : 202;
  }
}
