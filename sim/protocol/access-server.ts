import type { Distribution } from '../engine/distribution.ts';
import type { CompiledAccessServer } from '../scenario/compile.ts';
import type { Rng } from '../engine/random.ts';
import type { Station } from '../engine/station.ts';
import { createAuthorityModel } from '../authority/create.ts';
import { EnvelopeModel } from '../authority/envelope-model.ts';
import { compilationErrorModel, compileApproved, type CompilationErrorModel } from '../authority/compilation.ts';
import { envelopeJson, type Envelope } from '../authority/envelope.ts';
import { envelopeS256, projectionRefusal } from '../authority/projection.ts';
import type { AuthorityModel, Decision, MissionAuthority } from '../authority/model.ts';
import type { AccessServerDef, Scenario } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { FederationAnswer, FederationEndpoint, FederationRequest, MissionBody } from './federation.ts';
import type { Profile } from './profiles.ts';
import { keyBinding, TokenIssuer, type Token } from './tokens.ts';
import { federationClassRefusal } from './mission-class.ts';
import { AccessServerRevocation } from './as-revocation.ts';
import type { AccessServerRevocationAnswer, AccessServerRevocationEndpoint, AccessServerRevocationNotice } from './as-revocation-endpoint.ts';
import { endpointDown, type RevocationTarget } from './revocation-target.ts';
import { RateLimiter } from './rate-limiter.ts';

const DEFAULT_SENSITIVE = ['payments', 'confidential'];

/**
 * An Access Server in a resource's domain (four-party mode): it receives a
 * federated request from a PS and decides by its own trust policy, then
 * issues the auth token the PS relays. Requests queue like any server's.
 * trust-all accepts; conservative refuses sensitive classes; clarify asks
 * the PS back for the mission body and judges each call by its own reading
 * of the text the person wrote (never the intent): by default `text`, noise
 * per call around that text from its own stream, so it can disagree with
 * the PS; `envelope`, the text compiled with the AS's own compilation errors
 * (authority.compilation) and evaluated with Cedar. What it reads is logged
 * (policy.compiled, source disclosed). envelope-projection evaluates, with
 * Cedar, the projection of the PS's policy onto its domain.
 */
export class AccessServer implements FederationEndpoint, AccessServerRevocationEndpoint {
  readonly actor: string;
  readonly domain: string;
  /** Classes and resources of this AS's domain (set by the world from the resources it serves). */
  readonly domainClasses = new Set<string>();
  readonly domainResources = new Set<string>();
  private readonly station: Station<() => void>;
  private readonly issuer: TokenIssuer;
  private readonly sensitive: Set<string>;
  private readonly reader: AuthorityModel;
  private readonly cedar = new EnvelopeModel();
  private readonly clarifyLatency: Distribution;
  private readonly rng: Rng;
  /** clarify: the mission bodies this AS has already received, by s256, with the envelope it reads in each. */
  private readonly bodies = new Map<string, { mission: MissionAuthority; reading: Envelope }>();
  /** clarify with the envelope reader: how it compiles a disclosed text, and its own stream of compilation errors. */
  private readonly compilation: CompilationErrorModel;
  private readonly compilationRng: Rng;
  readonly def: Readonly<AccessServerDef>;

  constructor(
    private readonly ctx: ActorContext,
    compiled: CompiledAccessServer,
    private readonly profile: Profile,
    settings: Scenario['authority'],
  ) {
    const def = compiled.def;
    this.def = def;
    this.actor = `as:${def.id}`;
    this.domain = def.domain ?? def.id;
    this.station = ctx.station(compiled.queue, this.actor);
    this.issuer = new TokenIssuer(this.actor);
    this.sensitive = new Set(def.sensitive_classes ?? DEFAULT_SENSITIVE);
    this.reader = createAuthorityModel(def.authority ?? 'text', this.actor, ctx, settings);
    this.clarifyLatency = compiled.clarifyLatency;
    this.rng = ctx.stream(`${this.actor}/clarify`);
    this.compilation = compilationErrorModel(settings);
    this.compilationRng = ctx.stream(`${this.actor}/compilation`);
    this.revocationEndpoint = compiled.revocation;
    this.rateLimiter = compiled.revocation.rateLimit && new RateLimiter(compiled.revocation.rateLimit);
  }

  get id(): string {
    return this.def.id;
  }

  /** The revocation endpoints of the resources this AS serves, by resource id (set by the world). */
  readonly revocationTargets = new Map<string, RevocationTarget>();
  private revocation: AccessServerRevocation | undefined;

  /** The auth tokens this AS issued, by jti: what a revocation notice naming one refers to. */
  private readonly issued = new Map<string, Token>();

  /**
   * aauth-latest: a PS notifies this AS that it revoked a token the AS
   * issued. Down (its revocation outages): 503 at once; past its rate limit:
   * 429 with Retry-After. Else queued like any request; the AS revokes the
   * token downstream and answers 200 with its downstream list once it has the
   * recipient's answer (as-revocation.ts). A notice naming no token it
   * issued: an empty list.
   */
  revokeIssued(notice: AccessServerRevocationNotice, from: string, reply: (answer: AccessServerRevocationAnswer) => void): void {
    const now = this.ctx.sim.now;
    // Down: the endpoint answers 503 at once (nothing queued); the PS logs revocation_unavailable.
    // Its Retry-After is the AS's own retry_interval; how often to try again is the PS's choice.
    if (endpointDown(this.revocationEndpoint, now))
      return reply({ status: 503, error: 'revocation_unavailable', retryAfter: this.revocationEndpoint.retryIntervalUs });
    const wait = this.rateLimiter?.admit(from, now) ?? 0;
    if (wait > 0) return reply({ status: 429, error: 'rate_limited', retryAfter: wait });
    this.station.submit(
      () => {
        const token = notice.iss === this.actor ? this.issued.get(notice.jti) : undefined;
        if (!token) return reply({ status: 200, downstream: [] });
        // Made on first use: profiles that never call it draw nothing from its stream.
        this.revocation ??= new AccessServerRevocation(this.ctx, this.actor, this.profile, this.revocationTargets);
        this.revocation.revoke(token, (downstream) => reply({ status: 200, downstream }));
      },
      { finished: (job) => job() },
    );
  }

  /** The revocation endpoint's outages, the Retry-After of its 503s and its rate limit (scenario `revocation` of this AS). */
  private readonly revocationEndpoint: CompiledAccessServer['revocation'];
  private readonly rateLimiter: RateLimiter | undefined;

  get trust(): NonNullable<AccessServerDef['trust']> {
    return this.def.trust ?? 'trust-all';
  }

  federate(request: FederationRequest, reply: (answer: FederationAnswer) => void): void {
    this.station.submit(
      () => {
        const { resource, operation, operationClass } = request;
        this.ctx.record('federation.received', request.mission, this.actor, {
          ps: request.ps,
          agent: request.agent,
          resource,
          scope: operation,
          class: operationClass,
          ...(request.missionClass === undefined ? {} : { mb_class: request.missionClass }),
        });
        const classRefusal = federationClassRefusal(request.missionClass, request.resourceToken);
        if (classRefusal !== null) return this.answer(request, { allow: false, reason: classRefusal }, reply);
        const trust = this.trust;
        if (trust === 'conservative' && operationClass !== null && this.sensitive.has(operationClass)) {
          return this.answer(request, { allow: false, reason: `AS policy: ${operationClass} is a sensitive class` }, reply);
        }
        if (trust === 'envelope-projection') {
          const projection = request.project(this);
          // The projection names the mission it was cut from: one for another mission (or hop) is no authority for this request.
          const unbound = projectionRefusal(projection, request);
          if (unbound !== null) return this.answer(request, { allow: false, reason: `AS policy: ${unbound}` }, reply);
          // Compiled once per projection content: equal projections share one policy set.
          const id = `${this.actor}/projection/${projection.sha256}`;
          const verdict = this.cedar.decide({ mission: NO_MISSION, grant: projection.envelope, grantId: id, op: request.facts });
          return this.answer(request, { allow: verdict.allow, reason: `AS policy: ${verdict.reason}` }, reply);
        }
        if (trust === 'clarify') {
          const judge = ({ mission, reading }: { mission: MissionAuthority; reading: Envelope }) => {
            // r3 per-call approvals are the person's, whom the AS cannot ask: it grants only what is granted outright.
            const verdict = this.reader.decide({ mission, grant: reading, grantId: `${this.actor}/${request.mission}`, op: request.facts });
            const allow = verdict.allow && verdict.approval === undefined;
            this.answer(request, { allow, reason: `AS reading of the mission: ${verdict.reason}` }, reply);
          };
          // A body already received is kept: the AS asks back once per mission.
          const known = this.bodies.get(request.mission ?? '');
          if (known) return judge(known);
          // Ask back: the PS discloses the body; someone at the AS reads it (latency) and judges the call by that reading.
          this.ctx.record('federation.clarify', request.mission, this.actor, { ps: request.ps, agent: request.agent, resource, scope: operation });
          const body = this.read(request.mission, request.disclose(this));
          this.bodies.set(request.mission ?? '', body);
          this.ctx.sim.schedule(this.clarifyLatency.sample(this.rng), () => judge(body));
          return;
        }
        this.answer(request, { allow: true, reason: `AS policy: ${trust}` }, reply);
      },
      { finished: (job) => job() },
    );
  }

  /**
   * clarify: what this AS reads in a disclosed body: the text the person
   * wrote (its `text` reader adds its noise per call; its `envelope` reader
   * compiles it, with errors). Logged and told to the oracle like a PS's
   * compiled policy; other readers decide by the renderings and log nothing.
   */
  private read(mission: string | null, body: MissionBody): { mission: MissionAuthority; reading: Envelope } {
    const text = body.authority.text;
    if (this.reader.name !== 'text' && this.reader.name !== 'envelope') return { mission: body.authority, reading: text };
    const { enforced, errors } =
      this.reader.name === 'envelope' ? compileApproved(text, this.compilation, this.compilationRng) : { enforced: text, errors: [] };
    this.ctx.record('policy.compiled', mission, this.actor, {
      agent: body.agent,
      source: 'disclosed',
      policy_sha256: envelopeS256(enforced),
      policy: envelopeJson(enforced),
    });
    this.ctx.truth.policy(
      { kind: 'policy', mission, agent: body.agent, decider: this.actor, model: this.reader.name, source: 'disclosed', compilation_errors: errors },
      enforced,
    );
    return { mission: body.authority, reading: enforced };
  }

  private answer(request: FederationRequest, decision: Decision, reply: (answer: FederationAnswer) => void): void {
    const { resource, operation } = request;
    if (!decision.allow) {
      this.ctx.record('token.as_denied', request.mission, this.actor, { agent: request.agent, resource, scope: operation, reason: decision.reason });
      this.truth(request, decision);
      reply({ granted: false, reason: decision.reason });
      return;
    }
    const now = this.ctx.sim.now;
    const exp = Math.min(now + this.profile.authTtl, request.expCap);
    // Where the PS checks class, the token is scoped by mission and class, as a PS-issued one is (the resource checks it).
    const scoped = request.missionClass === undefined ? {} : { class: request.missionClass };
    const token = this.issuer.issue({
      kind: 'auth',
      aud: resource,
      agent: request.agent,
      ...keyBinding(this.profile, request.agent),
      ...(request.subject ?? {}),
      scope: operation,
      mission: request.mission,
      iat: now,
      exp,
      ...scoped,
    });
    const claims = request.missionClass === undefined ? {} : { mb_class: request.missionClass };
    this.ctx.record('token.as_issued', request.mission, this.actor, { agent: request.agent, resource, jti: token.jti, scope: operation, exp, ...claims });
    if (this.profile.revocationOutcomes) this.issued.set(token.jti, token);
    this.truth(request, decision);
    reply({ granted: true, token });
  }

  private truth(request: FederationRequest, decision: Decision): void {
    const f = request.facts;
    this.ctx.truth.decision(
      {
        kind: 'decision',
        mission: request.mission,
        request: request.requestId,
        agent: request.agent,
        depth: f.depth,
        decider: this.actor,
        domain: this.domain,
        model: this.trust,
        resource: f.resource,
        op: f.operation,
        class: f.class,
        action: f.action,
        args: f.args,
        stage: f.stage ?? null,
        allow: decision.allow,
        reason: decision.reason,
      },
      f,
    );
  }
}

/** An AS holds no mission renderings: only what the PS sends it. */
const NO_MISSION: MissionAuthority = {
  description: '',
  scope: new Set(),
  tools: new Set(),
  r3Granted: new Set(),
  r3PerCall: new Set(),
  text: { grants: [], exclusions: [], maxDepth: 0 },
  intent: { grants: [], exclusions: [], maxDepth: 0 },
  approved: { grants: [], exclusions: [], maxDepth: 0 },
};
