import type { Rng } from '../engine/random.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { MissionRecord } from './mission-record.ts';
import type { CascadeAnswer, RevocationTarget } from './revocation-target.ts';
import type { Token } from './tokens.ts';

/**
 * The PS's side of the aauth-r11 revocation cascade: it records each
 * revocation endpoint's answer, polls a 202 every Retry-After until the
 * endpoint answers 200, and when every revocation of a termination has
 * answered 200 (or, aauth-latest, the terminal revocation_unsupported)
 * records the control plane's completion (`revocation.complete`).
 * A revocation lost for good never answers, so its termination never
 * completes: the log shows the control plane did not finish.
 */
export class CascadePoller {
  /** Per termination: the jtis still waiting for their 200, and when it started. */
  private readonly pending = new Map<string, { record: MissionRecord; left: Set<string>; started: number }>();
  private readonly terminationOf = new Map<string, string>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly rng: Rng,
  ) {}

  /** A termination's revocations are about to be sent to these push endpoints. */
  start(record: MissionRecord, tokens: Token[]): void {
    if (tokens.length === 0) return;
    const key = `${record.s256}@${this.ctx.sim.now}`;
    this.pending.set(key, { record, left: new Set(tokens.map((token) => token.jti)), started: this.ctx.sim.now });
    for (const token of tokens) this.terminationOf.set(token.jti, key);
  }

  /** The endpoint's answer has reached the PS. */
  answered(resource: RevocationTarget, token: Token, answer: CascadeAnswer): void {
    this.ctx.record('revocation.answered', token.mission, this.actor, {
      resource: resource.id,
      jti: token.jti,
      status: answer.status,
      ...(answer.status === 202 ? { retry_after_us: answer.retryAfter } : {}),
    });
    if (answer.status === 200) return this.completed(token);
    // The Retry-After the answer carried, not the endpoint's configuration.
    this.ctx.sim.schedule(answer.retryAfter, () => {
      this.ctx.sim.schedule(resource.revocation.latency.sample(this.rng), () => {
        const polled = resource.cascadeStatus(token.jti);
        this.ctx.sim.schedule(resource.revocation.latency.sample(this.rng), () => this.answered(resource, token, polled));
      });
    });
  }

  /** A terminal answer other than 200 (aauth-latest: revocation_unsupported): nothing is left to wait for at that recipient. */
  terminal(token: Token): void {
    this.completed(token);
  }

  private completed(token: Token): void {
    const key = this.terminationOf.get(token.jti);
    if (key === undefined) return;
    this.terminationOf.delete(token.jti);
    const termination = this.pending.get(key);
    if (!termination) return;
    termination.left.delete(token.jti);
    if (termination.left.size > 0) return;
    this.pending.delete(key);
    this.ctx.record('revocation.complete', termination.record.s256, this.actor, {
      agent: termination.record.agent,
      elapsed_us: this.ctx.sim.now - termination.started,
    });
  }
}
