import type { Rng } from '../engine/random.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { CascadePoller } from './cascade-poller.ts';
import type { MissionRecord } from './mission-record.ts';
import type { AccessServerRevocationEndpoint, DownstreamEntry } from './as-revocation-endpoint.ts';
import type { Profile } from './profiles.ts';
import { endpointDown, type RevocationTarget } from './revocation-target.ts';
import type { Token } from './tokens.ts';

/**
 * How a Person Server tells resources that tokens are revoked: a push call
 * to the resource's revocation endpoint (latency, loss, retries; r11 sends
 * {jti, exp} and gets the cascade's 200/202 answers), or an event on a
 * CAEP-like stream (latency; a dropped event is never redelivered).
 * Resources that learn only by TTL, introspection or a status cache get
 * nothing. Draws come from the PS's revocation stream, shared with its other
 * notices, so the order of draws is the PS's order of sending.
 */
export class RevocationSender {
  /** r11 cascade: the PS's side (answers, polling, completion). */
  private readonly cascades: CascadePoller;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly profile: Profile,
    private readonly resources: ReadonlyMap<string, RevocationTarget>,
    private readonly rng: Rng,
    /** aauth-latest, four-party: the revocation endpoints of the Access Servers whose tokens this PS relayed, by AS actor id. */
    private readonly accessServers: ReadonlyMap<string, AccessServerRevocationEndpoint> = new Map(),
    /** An AS's sender: told each recipient's outcome once its answer (or the lack of one) is known, for the AS's downstream list. */
    private readonly report?: (entry: DownstreamEntry) => void,
  ) {
    this.cascades = new CascadePoller(ctx, actor, rng);
  }

  /**
   * A mission ended: revoke its live tokens. Under r11 a chained token is
   * left to the cascade of the resource that holds its upstream token; the
   * poller waits for every push endpoint's 200. `recallAll`: work already
   * queued or in service under the tokens is recalled too (terminated-policy).
   */
  revokeMission(record: MissionRecord, live: Token[], recallAll: boolean): void {
    // aauth-latest, four-party: the PS revokes an AS-issued token at the resource itself (as -11), then also notifies the AS.
    const issuedByAs = this.profile.revocationOutcomes ? live.filter((token) => this.accessServers.has(token.iss)) : [];
    const direct = this.profile.revocationCascade ? this.outsideCascade(live) : live;
    if (this.profile.revocationCascade)
      this.cascades.start(
        record,
        direct.filter((token) => this.resources.get(token.aud ?? '')?.revocation.mode === 'push'),
      );
    for (const token of direct) this.revoke(token, recallAll);
    for (const token of issuedByAs) this.notifyAccessServer(this.accessServers.get(token.iss) as AccessServerRevocationEndpoint, token);
  }

  private revoke(token: Token, recallAll: boolean): void {
    const resource = this.resources.get(token.aud ?? '');
    if (!resource) return;
    const mode = resource.revocation.mode;
    if (mode === 'push') this.push(resource, token, 0, recallAll);
    else if (mode === 'events') this.stream(resource, token, recallAll);
    else if (mode === 'none' && this.profile.revocationOutcomes) this.unsupported(resource, token);
    else this.outcome(resource, token, 'status_checked', false);
  }

  /**
   * aauth-latest, four-party (-11: "The PS MAY also notify the AS"): the
   * notice {iss, jti, exp} goes to the AS (one latency each way, the
   * resource's); the AS queues it, revokes downstream and answers with what
   * its recipients answered, which the PS logs as revocation.downstream.
   */
  private notifyAccessServer(as: AccessServerRevocationEndpoint, token: Token): void {
    const latency = this.resources.get(token.aud ?? '')?.revocation.latency;
    const delay = () => (latency ? latency.sample(this.rng) : 0);
    this.ctx.record('revocation.sent', token.mission, this.actor, { resource: as.id, attempt: 0, jti: token.jti, exp: token.exp });
    this.ctx.sim.schedule(delay(), () =>
      as.revokeIssued({ iss: token.iss, jti: token.jti, exp: token.exp }, (downstream) =>
        this.ctx.sim.schedule(delay(), () => this.ctx.record('revocation.downstream', token.mission, this.actor, { as: as.id, jti: token.jti, downstream })),
      ),
    );
  }

  /** An AS's sender: a recipient's outcome for the AS's downstream list. */
  private outcome(resource: RevocationTarget, token: Token, outcome: DownstreamEntry['outcome'], exposed: boolean): void {
    this.report?.({ to: resource.id, jti: token.jti, outcome, ...(exposed ? { exposed_until: token.exp } : {}) });
  }

  /**
   * aauth-latest: a resource that cannot revoke answers the PS's call
   * `revocation_unsupported`; the token stays usable there until its exp,
   * and the log says so (r01/r11: such a resource is not called at all).
   */
  private unsupported(resource: RevocationTarget, token: Token): void {
    const config = resource.revocation;
    this.ctx.record('revocation.sent', token.mission, this.actor, { resource: resource.id, attempt: 0, jti: token.jti, exp: token.exp });
    this.ctx.sim.schedule(config.latency.sample(this.rng) + config.latency.sample(this.rng), () => {
      this.ctx.record('revocation.unsupported', token.mission, this.actor, {
        jti: token.jti,
        to: resource.id,
        error: 'revocation_unsupported',
        exposed_until: token.exp,
      });
      this.outcome(resource, token, 'revocation_unsupported', true);
    });
  }

  /**
   * The endpoint is down when the call arrives. aauth-latest: it answers
   * `revocation_unavailable` and the PS logs the exposure (the token stays
   * usable until its exp unless a retry gets through); elsewhere the PS
   * gets no answer and logs the call as lost. Either way it retries after
   * retry_interval, at most `retries` times.
   */
  private down(resource: RevocationTarget, token: Token, attempt: number, recallAll: boolean): void {
    const config = resource.revocation;
    const retry = attempt < config.retries;
    if (this.profile.revocationOutcomes) {
      this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
        this.ctx.record('revocation.unavailable', token.mission, this.actor, {
          jti: token.jti,
          to: resource.id,
          attempt,
          error: 'revocation_unavailable',
          exposed_until: token.exp,
          retry,
        });
        if (retry) this.ctx.sim.schedule(config.retryInterval, () => this.push(resource, token, attempt + 1, recallAll));
        else this.outcome(resource, token, 'revocation_unavailable', true);
      });
      return;
    }
    this.ctx.record('revocation.lost', token.mission, this.actor, { resource: resource.id, jti: token.jti, attempt });
    if (retry) this.ctx.sim.schedule(config.retryInterval, () => this.push(resource, token, attempt + 1, recallAll));
    else this.outcome(resource, token, 'no_answer', true);
  }

  /**
   * r11 cascade: the tokens the PS must revoke itself. A chained token whose
   * upstream token is revoked at a push endpoint is left to that resource's
   * cascade (if both ends have a revocation endpoint).
   */
  private outsideCascade(live: Token[]): Token[] {
    const byJti = new Map(live.map((token) => [token.jti, token]));
    const pushes = (token: Token | undefined) => token !== undefined && this.resources.get(token.aud ?? '')?.revocation.mode === 'push';
    // aauth-latest: a downstream resource that cannot revoke is the cascade's to report (revocation_unsupported), not the PS's to call.
    const cascadable = (token: Token) =>
      pushes(token) || (this.profile.revocationOutcomes === true && this.resources.get(token.aud ?? '')?.revocation.mode === 'none');
    return live.filter((token) => !(token.upstream !== undefined && pushes(byJti.get(token.upstream)) && cascadable(token)));
  }

  private push(resource: RevocationTarget, token: Token, attempt: number, recallAll: boolean): void {
    const config = resource.revocation;
    const body = this.profile.revocationCarriesExp ? { jti: token.jti, exp: token.exp } : { jti: token.jti };
    this.ctx.record('revocation.sent', token.mission, this.actor, { resource: resource.id, attempt, ...body });
    if (this.rng() < config.loss) {
      this.ctx.record('revocation.lost', token.mission, this.actor, { resource: resource.id, jti: token.jti, attempt });
      if (attempt < config.retries) this.ctx.sim.schedule(config.retryInterval, () => this.push(resource, token, attempt + 1, recallAll));
      else this.outcome(resource, token, 'no_answer', true);
      return;
    }
    if (this.profile.revocationCascade) {
      this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
        if (endpointDown(config, this.ctx.sim.now)) return this.down(resource, token, attempt, recallAll);
        const status = resource.cascadeRevoke(token, recallAll);
        this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
          this.outcome(resource, token, 'sent', false);
          this.cascades.answered(resource, token, status);
        });
      });
      return;
    }
    this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
      if (endpointDown(config, this.ctx.sim.now)) return this.down(resource, token, attempt, recallAll);
      resource.receiveRevocation(token, 'push', recallAll);
      this.outcome(resource, token, 'sent', false);
    });
  }

  private stream(resource: RevocationTarget, token: Token, recallAll: boolean): void {
    const config = resource.revocation;
    this.ctx.record('revocation.event_published', token.mission, this.actor, { resource: resource.id, jti: token.jti });
    this.outcome(resource, token, 'event', false);
    if (this.rng() < config.loss) return; // a dropped stream event is never redelivered
    this.ctx.sim.schedule(config.latency.sample(this.rng), () => resource.receiveRevocation(token, 'events', recallAll));
  }
}
