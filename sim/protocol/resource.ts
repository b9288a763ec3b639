import type { Distribution } from '../engine/distribution.ts';
import type { CompiledResource } from '../scenario/compile.ts';
import type { JobListener } from '../engine/station.ts';
import type { Station } from '../engine/station.ts';
import type { OperationDef, RecallPolicy, ResourceDef, RevocationMode } from '../scenario/schema.ts';
import type { ActorContext, MissionLog } from '../context/actor-context.ts';
import type { Network } from './network.ts';
import type { AuthTokenEndpoint } from './ps-messages.ts';
import type { Profile } from './profiles.ts';
import type { ResourceAnswer, ResourceEndpoint, ResourceRequest } from './resource-messages.ts';
import {
  endpointDown,
  REVOKED,
  UNAVAILABLE,
  UNSUPPORTED,
  type CascadeAnswer,
  type CascadeStatus,
  type RevocationAnswer,
  type RevocationCall,
  type RevocationConfig,
  type RevocationTarget,
} from './revocation-target.ts';
import { RateLimiter } from './rate-limiter.ts';
import type { RuntimeMonitorPort } from './release-gate.ts';
import type { TokenStatus } from './token-status.ts';
import { missionLogOf, type Token } from './tokens.ts';
import { ResourceTokenMinter } from './resource-token-minter.ts';
import { resourceClassRefusal } from './mission-class.ts';
import { callDownstream, type ChainTarget } from './chained-caller.ts';
import { asksTokenStatus } from './token-retention.ts';
import { RevocationCascade } from './revocation-cascade.ts';
import { operationFacts } from '../authority/renderings.ts';
import { CompensationLedger } from '../lifecycle/compensation.ts';

/** A Person Server as a resource reaches it, by the `ps` claim: token status, and (call chaining) its auth-token endpoint. */
export type PersonServerPort = TokenStatus & AuthTokenEndpoint;

// The answers that carry nothing but their status, made once: a resource gives one for every operation.
const DONE: ResourceAnswer = Object.freeze({ status: 'done' });
const PERSON_REQUIRED: ResourceAnswer = Object.freeze({ status: 'person_required' });
const RECALLED: ResourceAnswer = Object.freeze({ status: 'recalled' });
const REVOKED_200: CascadeAnswer = Object.freeze({ status: 200 });

class OperationJob {
  constructor(
    readonly request: ResourceRequest,
    readonly token: Token,
    readonly operation: OperationDef,
    /** The token's mission as the log follows it, found once for the job's three records (beside the token, nearly always). */
    readonly mission: MissionLog | null,
  ) {}
}

/**
 * A resource: answers token-less requests with a resource token (401),
 * accepts auth tokens after checking binding, expiry, scope and what it
 * knows of revocation, and queues accepted work. What happens to queued
 * work after a revocation is its recall policy.
 */
export class Resource implements ResourceEndpoint, RevocationTarget, ChainTarget {
  readonly actor: string;
  readonly revocation: RevocationConfig;
  private readonly recall: RecallPolicy;
  private readonly station: Station<unknown>;
  private readonly operations = new Map<string, { def: OperationDef; service: Distribution | undefined }>();
  /** Issues (and logs) the resource tokens of token-less requests. */
  private readonly minter: ResourceTokenMinter;
  private readonly revoked = new Set<string>();
  private readonly statusCache = new Map<string, { active: boolean; at: number }>();
  readonly def: Readonly<ResourceDef>;

  constructor(
    private readonly ctx: ActorContext,
    compiled: CompiledResource,
    private readonly profile: Profile,
    private readonly network: Network,
    defaultLatency: Distribution,
    /** The resource's queue, shared with any background load it serves. */
    station: Station<unknown>,
  ) {
    const def = compiled.def;
    this.def = def;
    this.actor = `resource:${def.id}`;
    this.station = station;
    for (const operation of def.operations ?? []) {
      this.operations.set(operation.name, { def: operation, service: compiled.operationService.get(operation.name) });
    }
    this.minter = new ResourceTokenMinter(ctx, this.actor, def, profile);
    const revocation = compiled.revocation;
    this.revocation = {
      mode: revocation.mode ?? profile.defaultRevocation,
      latency: revocation.latency ?? defaultLatency,
      loss: revocation.loss,
      retries: revocation.retries,
      retryInterval: revocation.retryIntervalUs,
      retryAfter: revocation.retryAfterUs,
      cacheTtl: revocation.cacheTtlUs,
      outages: revocation.outages,
      rateLimit: revocation.rateLimit,
    };
    this.rateLimiter = revocation.rateLimit && new RateLimiter(revocation.rateLimit);
    this.recall = def.recall ?? 'none';
    this.cascade = new RevocationCascade(ctx, this, profile.revocationOutcomes);
    this.ledger = new CompensationLedger(ctx, this.actor);
  }

  /** aauth-r11: the downstream tokens obtained under each upstream token, and the revocation cascade over them. */
  readonly cascade: RevocationCascade;

  /** What executed here under each mission, for a cancellation to roll back (kept only where missions can be cancelled). */
  private readonly ledger: CompensationLedger;

  get id(): string {
    return this.def.id;
  }

  /** Every resource of the world, for call chaining (set by the world). */
  peers: ReadonlyMap<string, ChainTarget> = new Map();

  /** The Person Servers a token's `ps` claim can name, by actor id (set by the world). */
  personServers: ReadonlyMap<string, PersonServerPort> = new Map();

  /** The runtime alignment monitor, when the scenario has one: it observes executions and gates irreversible work. */
  monitor: RuntimeMonitorPort | undefined;

  /** Four-party: the actor id of the Access Server that issues this resource's auth tokens (the resource token's aud). */
  accessServer: string | undefined;

  /** The Person Server a request's `ps` claim names. */
  private psOf(request: ResourceRequest): PersonServerPort {
    return this.personServers.get(request.ps) as PersonServerPort; // the world knows every PS
  }

  operationDef(name: string): OperationDef | undefined {
    return this.operations.get(name)?.def;
  }

  get revocationMode(): RevocationMode {
    return this.revocation.mode;
  }

  /** A request arriving from an agent. */
  receive(request: ResourceRequest): void {
    const { token, operation, agent } = request;
    if (!token || token.scope !== operation || token.aud !== this.id) {
      if (this.profile.personTokens && request.upstream === undefined && !this.validPersonToken(request)) {
        request.reply(PERSON_REQUIRED);
        return;
      }
      const resourceToken = this.minter.mint(request, this.accessServer ?? request.ps);
      request.reply({ status: 'unauthorized', resourceToken });
      return;
    }
    // -11: the token names a key, not an agent; it must be the key that signed this request. Elsewhere, the agent it names.
    if (this.profile.keyBound) {
      if (token.cnf !== request.signatureKey) return this.reject(request, token, 'token bound to another key');
    } else if (token.agent !== agent) return this.reject(request, token, 'token bound to another agent');
    // Seed 002 (where class is checked): the token's class against the class of the runtime signing the request.
    const classRefusal = this.profile.classCheck ? resourceClassRefusal(token, request.agentToken) : null;
    if (classRefusal !== null) return this.reject(request, token, classRefusal);
    if (token.exp <= this.ctx.sim.now) return this.reject(request, token, 'token expired');
    const mode = this.revocation.mode;
    // Modes that know the answer locally go straight on: no callback per request.
    if (!asksTokenStatus(mode)) return this.admit(request, token, mode === 'none' || !this.revoked.has(token.jti));
    this.checkStatus(token, this.psOf(request), (active) => this.admit(request, token, active));
  }

  /** A token request past binding and expiry, once its status is known. */
  private admit(request: ResourceRequest, token: Token, active: boolean): void {
    if (!active) return this.reject(request, token, 'token revoked');
    if (token.exp <= this.ctx.sim.now) return this.reject(request, token, 'token expired');
    if (this.suspended.has(token.jti)) return this.park(request, token);
    this.accept(request, token);
  }

  /** aauth-r11: a person token for this resource, bound to the caller, live and not known to be revoked. */
  private validPersonToken(request: ResourceRequest): boolean {
    const person = request.personToken;
    const bound = this.profile.keyBound ? person?.cnf === request.signatureKey : person?.agent === request.agent;
    return person !== undefined && person.aud === this.id && bound && person.exp > this.ctx.sim.now && !this.revoked.has(person.jti);
  }

  /** This endpoint's limit on revocation calls per caller, if it has one. */
  private readonly rateLimiter: RateLimiter | undefined;

  /**
   * A revocation call arriving here, answered from this resource's own
   * state: without a revocation endpoint (mode other than push) 403
   * revocation_unsupported; down (its outages) 503; past its rate limit 429
   * with Retry-After; else it revokes (r11: and starts its cascade, 200 or 202).
   */
  answerRevocation(call: RevocationCall): RevocationAnswer {
    if (this.revocation.mode !== 'push') return UNSUPPORTED;
    const now = this.ctx.sim.now;
    if (endpointDown(this.revocation, now)) return UNAVAILABLE;
    const wait = this.rateLimiter?.admit(call.from, now) ?? 0;
    if (wait > 0) return { status: 429, error: 'rate_limited', retryAfter: wait };
    if (this.profile.revocationCascade) return this.cascadeAnswer(this.cascade.revoke(call.token, call.recallAll, call.onCascadeDone));
    this.receiveRevocation(call.token, 'push', call.recallAll);
    return REVOKED;
  }

  /** r11: a poll of the revocation endpoint. */
  cascadeStatus(jti: string): CascadeAnswer {
    return this.cascadeAnswer(this.cascade.status(jti));
  }

  /** A 202 says when to poll (this endpoint's Retry-After): the caller reads it from the answer. */
  private cascadeAnswer(status: CascadeStatus): CascadeAnswer {
    return status === 200 ? REVOKED_200 : { status: 202, retryAfter: this.revocation.retryAfter };
  }

  /** A revocation reaching this resource (push call or stream event). */
  receiveRevocation(token: Token, via: 'push' | 'events', recallAll = false): void {
    this.ctx.record('revocation.received', token.mission, this.actor, { jti: token.jti, via });
    this.withdraw(token, recallAll ? 'any' : this.recall);
  }

  /**
   * mission-authority: the mission was cancelled. Its tokens are revoked
   * here, all work under them is recalled (queued, parked or in service),
   * then what already executed here under the mission is rolled back.
   */
  receiveCancellation(mission: string, tokens: Token[]): void {
    this.ctx.record('cancellation.received', mission, this.actor, { tokens: tokens.length });
    for (const token of tokens) this.withdraw(token, 'any');
    this.ledger.compensate(mission);
  }

  /** Marks a token revoked and recalls the work under it, as far as `recall` says. */
  private withdraw(token: Token, recall: RecallPolicy): void {
    this.revoked.add(token.jti);
    // Work parked under a suspended token is dropped with it: it never started.
    for (const parked of this.unpark(token.jti)) {
      this.ctx.record('op.recalled', token.mission, this.actor, { agent: parked.request.agent, op: parked.request.operation, jti: token.jti, stage: 'queued' });
      parked.request.reply(RECALLED);
    }
    const matches = (job: unknown) => job instanceof OperationJob && job.token.jti === token.jti;
    if (recall === 'none') return;
    for (const job of this.station.withdrawWaiting(matches) as OperationJob[]) {
      this.ctx.record('op.recalled', token.mission, this.actor, { agent: job.request.agent, op: job.operation.name, jti: token.jti, stage: 'queued' });
      job.request.reply(RECALLED);
    }
    if (recall !== 'any') return;
    for (const job of this.station.abortInService(matches) as OperationJob[]) {
      this.ctx.record('op.recalled', token.mission, this.actor, { agent: job.request.agent, op: job.operation.name, jti: token.jti, stage: 'in service' });
      job.request.reply(RECALLED);
    }
  }

  /** Tokens of suspended missions (mission-authority), and the work parked under them until resume. */
  private readonly suspended = new Set<string>();
  private parked: Array<{ request: ResourceRequest; token: Token }> = [];

  /**
   * mission-authority: the PS says a token's mission is suspended (or
   * resumed). Suspended: work waiting in the queue under it is parked, and so
   * is every new request; work in service finishes. Resumed: parked work
   * goes back into the queue, in the order it arrived.
   */
  receiveSuspension(token: Token, suspended: boolean): void {
    this.ctx.record('suspension.received', token.mission, this.actor, { jti: token.jti, suspended });
    if (suspended) {
      this.suspended.add(token.jti);
      const matches = (job: unknown) => job instanceof OperationJob && job.token.jti === token.jti;
      for (const job of this.station.withdrawWaiting(matches) as OperationJob[]) this.park(job.request, job.token);
      return;
    }
    this.suspended.delete(token.jti);
    for (const { request, token: held } of this.unpark(token.jti)) {
      // A token that expired while its work was parked is refused as any expired token is: the agent asks again.
      if (held.exp <= this.ctx.sim.now) {
        this.reject(request, held, 'token expired');
        continue;
      }
      this.ctx.record('op.unparked', held.mission, this.actor, { agent: request.agent, op: request.operation, jti: held.jti });
      this.accept(request, held);
    }
  }

  private park(request: ResourceRequest, token: Token): void {
    this.ctx.record('op.parked', token.mission, this.actor, { agent: request.agent, op: request.operation, jti: token.jti });
    this.parked.push({ request, token });
  }

  private unpark(jti: string): Array<{ request: ResourceRequest; token: Token }> {
    const released = this.parked.filter((p) => p.token.jti === jti);
    if (released.length > 0) this.parked = this.parked.filter((p) => p.token.jti !== jti);
    return released;
  }

  /** Cache and introspection modes: the status from the cache while fresh, else asked of the PS. */
  private checkStatus(token: Token, ps: TokenStatus, then: (active: boolean) => void): void {
    if (this.revocation.mode === 'cache') {
      const cached = this.statusCache.get(token.jti);
      if (cached && this.ctx.sim.now - cached.at < this.revocation.cacheTtl) return then(cached.active);
    }
    this.introspect(token, ps, then);
  }

  private introspect(token: Token, ps: TokenStatus, then: (active: boolean) => void): void {
    this.ctx.record('revocation.status_check', token.mission, this.actor, { jti: token.jti });
    this.network.send(
      this.actor,
      ps.actor,
      () => {
        // -11: the token names no agent; a PS can find only the mission it names.
        const active = ps.tokenActive(token.jti, token.mission, this.profile.keyBound ? undefined : token.agent);
        this.network.send(
          ps.actor,
          this.actor,
          () => {
            if (this.revocation.mode === 'cache') this.statusCache.set(token.jti, { active, at: this.ctx.sim.now });
            then(active);
          },
          undefined,
        );
      },
      undefined,
    );
  }

  private reject(request: ResourceRequest, token: Token, reason: string): void {
    this.ctx.record('request.rejected', token.mission, this.actor, { agent: request.agent, op: request.operation, jti: token.jti, reason });
    request.reply({ status: 'rejected', reason });
  }

  private accept(request: ResourceRequest, token: Token): void {
    const known = this.operations.get(request.operation);
    const operation: OperationDef = known?.def ?? { name: request.operation };
    const irreversible = operation.irreversible ?? false;
    const monitor = this.monitor;
    if (irreversible && monitor?.gating) {
      const facts = operationFacts(operation, this.id, operation.name, request.args, request.stage, this.psOf(request).delegationDepth(request.agent));
      monitor.hold(request.agent, request.ps, token.mission, facts, token.jti, {
        release: () => this.enqueue(request, token, operation, known?.service),
        block: (reason) => request.reply({ status: 'blocked', reason }),
      });
      return;
    }
    this.enqueue(request, token, operation, known?.service);
  }

  private enqueue(request: ResourceRequest, token: Token, operation: OperationDef, service: Distribution | undefined): void {
    const job = new OperationJob(request, token, operation, missionLogOf(token, this.ctx));
    this.ctx.recordOpQueued(job.mission, this.actor, request.agent, operation.name, token.jti, this.station.queueLength);
    this.station.submit(job, this.jobListener as JobListener<unknown>, service);
  }

  // One listener for every operation (the job carries what it needs): a
  // fresh listener per operation cost three closures, each named by tsx.
  private readonly jobListener: JobListener<OperationJob> = {
    started: (job) => this.ctx.recordOpStarted(job.mission, this.actor, job.request.agent, job.operation.name, job.token.jti),
    finished: (job) => this.executed(job),
    rejected: (job) => this.reject(job.request, job.token, 'queue full'),
  };

  private executed({ request, token, operation, mission }: OperationJob): void {
    const irreversible = operation.irreversible ?? false;
    this.ctx.recordOpExecuted(mission, this.actor, request.agent, operation.name, token.jti, irreversible);
    if (this.profile.richEndings) this.ledger.note(token.mission, { agent: request.agent, op: operation.name, jti: token.jti, irreversible });
    const facts = operationFacts(operation, this.id, operation.name, request.args, request.stage, this.psOf(request).delegationDepth(request.agent));
    this.ctx.truth.executed(request.agent, facts);
    if (operation.calls?.length) callDownstream(this.network, this, this.peers, this.psOf(request), request.ps, token, operation.calls);
    this.ctx.outcomes.executed(request.agent, this.ctx.sim.now, irreversible);
    // After the outcome tally: an alarm that ends the mission now must not count this op as after termination.
    this.monitor?.observe(request.agent, request.ps, token.mission, facts, irreversible);
    request.reply(DONE);
  }
}
