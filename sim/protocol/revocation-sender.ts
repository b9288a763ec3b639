import type { Rng } from '../engine/random.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { CascadePoller } from './cascade-poller.ts';
import type { MissionRecord } from './mission-record.ts';
import type { AccessServerRevocationAnswer, AccessServerRevocationEndpoint, DownstreamEntry } from './as-revocation-endpoint.ts';
import type { Network } from './network.ts';
import type { Profile } from './profiles.ts';
import { NoAnswer, retryingRequest } from './retrying-request.ts';
import { receivesRevocationCalls, type RevocationAnswer, type RevocationTarget } from './revocation-target.ts';
import type { Token } from './tokens.ts';

/**
 * How a Person Server tells resources that tokens are revoked: a push call
 * to the resource's revocation endpoint (latency, loss, retries; r11 sends
 * {jti, exp} and gets the cascade's 200/202 answers), or an event on a
 * CAEP-like stream (latency; a dropped event is never redelivered).
 * Resources that check status per request get nothing; so do, before
 * aauth-latest, resources that learn only by TTL. aauth-latest calls those
 * too: what the PS logs is what the resource answered when the call arrived
 * (`answerRevocation`: 403 revocation_unsupported, 503, 429 rate_limited,
 * 200/202), never the resource's configuration. Draws come from the PS's
 * revocation stream, shared with its other notices, so the order of draws
 * is the PS's order of sending.
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
    /** Four-party: the links to the Access Servers (the notices travel there, with their latency and loss). */
    private readonly network?: Network,
  ) {
    this.cascades = new CascadePoller(ctx, actor, rng);
  }

  /**
   * A mission ended: revoke its live tokens. Under r11 a chained token is
   * left to the cascade of the resource that holds its upstream token; the
   * poller waits for every call's terminal answer. `recallAll`: work already
   * queued or in service under the tokens is recalled too (terminated-policy).
   */
  revokeMission(record: MissionRecord, live: Token[], recallAll: boolean): void {
    // aauth-latest, four-party: the PS revokes an AS-issued token at the resource itself (as -11), then also notifies the AS.
    const issuedByAs = this.profile.revocationOutcomes ? live.filter((token) => this.accessServers.has(token.iss)) : [];
    const direct = this.profile.revocationCascade ? this.outsideCascade(live) : live;
    if (this.profile.revocationCascade)
      this.cascades.start(
        record,
        direct.filter((token) => this.calls(this.resources.get(token.aud ?? ''))),
      );
    for (const token of direct) this.revoke(token, recallAll);
    for (const token of issuedByAs) this.notifyAccessServer(this.accessServers.get(token.iss) as AccessServerRevocationEndpoint, token);
  }

  /**
   * Whether the PS sends this resource a revocation call: a resource with a
   * revocation endpoint (push); under aauth-latest also one that learns only
   * by TTL, which answers the call itself (revocation_unsupported).
   */
  private calls(resource: RevocationTarget | undefined): boolean {
    return resource !== undefined && receivesRevocationCalls(resource.revocation.mode, this.profile.revocationOutcomes === true);
  }

  private revoke(token: Token, recallAll: boolean): void {
    const resource = this.resources.get(token.aud ?? '');
    if (!resource) return;
    if (resource.revocation.mode === 'events') this.stream(resource, token, recallAll);
    else if (this.calls(resource)) this.call(resource, token, 0, 0, recallAll);
    else this.outcome(resource, token, 'status_checked', false);
  }

  /**
   * aauth-latest, four-party (-11: "The PS MAY also notify the AS"): the
   * notice {iss, jti, exp} goes over the PS<->AS link (its own latency; its
   * loss, network.server_links). A notice without an answer within
   * network.timeout is sent again (the retrying-request helper, at most
   * network.retries times; each resend logged as the lost attempt and a new
   * one); none answered: revocation_unavailable, given up. The AS answers
   * 503 while its revocation endpoint is down (revocation_unavailable; the PS
   * notifies again after the answer's Retry-After, at most network.retries
   * times, its own setting), 429 past
   * its rate limit (the PS waits Retry-After), or 200 with the downstream
   * list of what its recipients answered, logged as revocation.downstream.
   */
  private notifyAccessServer(as: AccessServerRevocationEndpoint, token: Token, attempt = 0, waited = 0): void {
    const network = this.network as Network; // a PS with Access Servers has its links
    const notice = { iss: token.iss, jti: token.jti, exp: token.exp };
    const sent = (n: number) => this.ctx.record('revocation.sent', token.mission, this.actor, { resource: as.id, attempt: n, jti: token.jti, exp: token.exp });
    let last = attempt;
    sent(last);
    const resend = (): void => {
      this.ctx.record('revocation.lost', token.mission, this.actor, { resource: as.id, jti: token.jti, attempt: last });
      sent(++last);
    };
    const answer = retryingRequest<AccessServerRevocationAnswer>(
      this.ctx,
      network,
      network.retry,
      network.link(this.actor, as.actor),
      token.mission,
      (reply) => as.revokeIssued(notice, this.actor, reply),
      resend,
    );
    answer.then(
      (answered) => this.accessServerAnswered(as, token, last, waited, answered),
      (cause) => {
        // Only a missing answer is an outcome; anything else is a defect and must not pass as one.
        if (!(cause instanceof NoAnswer)) throw cause;
        // No answer to any attempt: the draft's revocation_unavailable ("no response, timeout"), and the PS has used its resends.
        this.ctx.record('revocation.lost', token.mission, this.actor, { resource: as.id, jti: token.jti, attempt: last });
        this.unavailable(token, as.id, last, false);
      },
    );
  }

  private accessServerAnswered(as: AccessServerRevocationEndpoint, token: Token, attempt: number, waited: number, answer: AccessServerRevocationAnswer): void {
    if (answer.status === 200) {
      this.ctx.record('revocation.downstream', token.mission, this.actor, { as: as.id, jti: token.jti, downstream: answer.downstream });
      return;
    }
    if (answer.status === 429) {
      this.rateLimited(token, as.id, attempt, answer.retryAfter);
      this.ctx.sim.schedule(answer.retryAfter, () => this.notifyAccessServer(as, token, attempt + 1, waited + 1));
      return;
    }
    // 503: the wait is the Retry-After the AS answered; how many times to notify again is the PS's own (network.retries).
    const retry = attempt - waited < (this.network as Network).retry.retries;
    this.unavailable(token, as.id, attempt, retry);
    if (retry) this.ctx.sim.schedule(answer.retryAfter, () => this.notifyAccessServer(as, token, attempt + 1, waited));
  }

  /** An AS's sender: a recipient's outcome for the AS's downstream list. */
  private outcome(resource: RevocationTarget, token: Token, outcome: DownstreamEntry['outcome'], exposed: boolean): void {
    this.report?.({ to: resource.id, jti: token.jti, outcome, ...(exposed ? { exposed_until: token.exp } : {}) });
  }

  /** A recipient answered revocation_unavailable (or never answered, for an AS notice): the token stays usable there until its exp unless a retry gets through. */
  private unavailable(token: Token, to: string, attempt: number, retry: boolean): void {
    this.ctx.record('revocation.unavailable', token.mission, this.actor, {
      jti: token.jti,
      to,
      attempt,
      error: 'revocation_unavailable',
      exposed_until: token.exp,
      retry,
    });
  }

  private rateLimited(token: Token, to: string, attempt: number, retryAfter: number): void {
    this.ctx.record('revocation.rate_limited', token.mission, this.actor, { jti: token.jti, to, attempt, error: 'rate_limited', retry_after_us: retryAfter });
  }

  /**
   * The endpoint was down when the call arrived (it answered 503).
   * aauth-latest: the PS logs `revocation_unavailable` and the exposure (the
   * token stays usable until its exp unless a retry gets through);
   * elsewhere the PS gets no answer and logs the call as lost. Either way
   * it retries after retry_interval, at most `retries` times.
   */
  private down(resource: RevocationTarget, token: Token, attempt: number, waited: number, recallAll: boolean, sentAt: number): void {
    const config = resource.revocation;
    if (this.profile.revocationOutcomes) {
      const retry = attempt - waited < config.retries;
      this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
        this.unavailable(token, resource.id, attempt, retry);
        if (retry) this.ctx.sim.schedule(config.retryInterval, () => this.call(resource, token, attempt + 1, waited, recallAll));
        else this.outcome(resource, token, 'revocation_unavailable', true);
      });
      return;
    }
    // No answer comes back: the PS learns nothing until retry_interval after it sent the call.
    this.ctx.sim.schedule(Math.max(0, sentAt + config.retryInterval - this.ctx.sim.now), () => this.unanswered(resource, token, attempt, waited, recallAll));
  }

  /**
   * No answer within retry_interval of sending (the call was lost on the
   * way, or, before aauth-latest, the endpoint was down): the PS logs the
   * call lost then, not when it was lost (it cannot see that), and sends it
   * again, at most `retries` times.
   */
  private unanswered(resource: RevocationTarget, token: Token, attempt: number, waited: number, recallAll: boolean): void {
    this.ctx.record('revocation.lost', token.mission, this.actor, { resource: resource.id, jti: token.jti, attempt });
    if (attempt - waited < resource.revocation.retries) this.call(resource, token, attempt + 1, waited, recallAll);
    else this.outcome(resource, token, 'no_answer', true);
  }

  /**
   * r11 cascade: the tokens the PS must revoke itself. A chained token whose
   * upstream token is revoked at a push endpoint is left to that resource's
   * cascade (if the PS would call the downstream resource too: aauth-latest
   * leaves a downstream resource that learns only by TTL to the cascade,
   * which reports what it answered).
   */
  private outsideCascade(live: Token[]): Token[] {
    const byJti = new Map(live.map((token) => [token.jti, token]));
    const pushes = (token: Token | undefined) => token !== undefined && this.resources.get(token.aud ?? '')?.revocation.mode === 'push';
    const cascadable = (token: Token) => this.calls(this.resources.get(token.aud ?? ''));
    return live.filter((token) => !(token.upstream !== undefined && pushes(byJti.get(token.upstream)) && cascadable(token)));
  }

  /**
   * One revocation call: sent (maybe lost on the way; then retried after
   * retry_interval, at most `retries` times), answered by the endpoint when
   * it arrives, the answer back one latency later (r01 logs none). `waited`:
   * the calls that were answered rate_limited, which do not count against
   * the retries.
   */
  private call(resource: RevocationTarget, token: Token, attempt: number, waited: number, recallAll: boolean): void {
    const config = resource.revocation;
    const carriesExp = this.profile.revocationCarriesExp;
    const body = carriesExp ? { jti: token.jti, exp: token.exp } : { jti: token.jti };
    this.ctx.record('revocation.sent', token.mission, this.actor, { resource: resource.id, attempt, ...body });
    const sentAt = this.ctx.sim.now;
    if (this.rng() < config.loss) {
      this.ctx.sim.schedule(config.retryInterval, () => this.unanswered(resource, token, attempt, waited, recallAll));
      return;
    }
    this.ctx.sim.schedule(config.latency.sample(this.rng), () => {
      const answer = resource.answerRevocation({ token, from: this.actor, recallAll, carriesExp });
      if (answer.status === 503) return this.down(resource, token, attempt, waited, recallAll, sentAt);
      // r01: the endpoint's 200 is not logged (the PS moves on).
      if (!this.profile.revocationCascade && answer.status === 200) return this.outcome(resource, token, 'sent', false);
      this.ctx.sim.schedule(config.latency.sample(this.rng), () => this.answered(resource, token, attempt, waited, recallAll, answer));
    });
  }

  /** A call's answer, back at the PS. */
  private answered(resource: RevocationTarget, token: Token, attempt: number, waited: number, recallAll: boolean, answer: RevocationAnswer): void {
    if (answer.status === 403) {
      // aauth-latest: the resource cannot revoke; the token stays usable there until its exp, and the log says so. Terminal.
      this.ctx.record('revocation.unsupported', token.mission, this.actor, {
        jti: token.jti,
        to: resource.id,
        error: 'revocation_unsupported',
        exposed_until: token.exp,
      });
      this.outcome(resource, token, 'revocation_unsupported', true);
      this.cascades.terminal(token);
      return;
    }
    if (answer.status === 429) {
      this.rateLimited(token, resource.id, attempt, answer.retryAfter);
      this.ctx.sim.schedule(answer.retryAfter, () => this.call(resource, token, attempt + 1, waited + 1, recallAll));
      return;
    }
    if (answer.status === 503) return; // answered at arrival (down)
    this.outcome(resource, token, 'sent', false);
    if (this.profile.revocationCascade) this.cascades.answered(resource, token, answer);
  }

  private stream(resource: RevocationTarget, token: Token, recallAll: boolean): void {
    const config = resource.revocation;
    this.ctx.record('revocation.event_published', token.mission, this.actor, { resource: resource.id, jti: token.jti });
    this.outcome(resource, token, 'event', false);
    if (this.rng() < config.loss) return; // a dropped stream event is never redelivered
    this.ctx.sim.schedule(config.latency.sample(this.rng), () => resource.receiveRevocation(token, 'events', recallAll));
  }
}
