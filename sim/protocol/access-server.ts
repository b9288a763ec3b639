import type { Station } from '../engine/station.ts';
import type { AccessServerDef } from '../scenario/schema.ts';
import type { WorldContext } from '../world/context.ts';
import type { Profile } from './profiles.ts';
import type { Resource } from './resource.ts';
import { TokenIssuer, type Token } from './tokens.ts';

/** What a federating PS sends: the mission by reference (s256), never its body. */
export interface FederationRequest {
  ps: string;
  agent: string;
  resource: Resource;
  operation: string;
  mission: string | null;
  /** The latest expiry the PS allows (agent token, mission). */
  expCap: number;
}

export type FederationAnswer = { granted: true; token: Token } | { granted: false; reason: string };

const DEFAULT_SENSITIVE = ['payments', 'confidential'];

/**
 * An Access Server in a resource's domain (four-party mode): it receives a
 * federated request from a PS and decides by its own trust policy, then
 * issues the auth token the PS relays. Requests queue like any server's.
 */
export class AccessServer {
  readonly actor: string;
  private readonly station: Station<() => void>;
  private readonly issuer: TokenIssuer;
  private readonly sensitive: Set<string>;

  constructor(
    private readonly ctx: WorldContext,
    readonly def: AccessServerDef,
    private readonly profile: Profile,
  ) {
    this.actor = `as:${def.id}`;
    const queue = def.queue ?? { servers: 4, service: 'exp(2ms)' };
    this.station = ctx.station(queue, this.actor);
    this.issuer = new TokenIssuer(this.actor);
    this.sensitive = new Set(def.sensitive_classes ?? DEFAULT_SENSITIVE);
  }

  federate(request: FederationRequest, reply: (answer: FederationAnswer) => void): void {
    this.station.submit(() => {
      const { resource, operation } = request;
      const operationClass = resource.operationDef(operation)?.class ?? null;
      this.ctx.record('federation.received', request.mission, this.actor, { ps: request.ps, agent: request.agent, resource: resource.id, scope: operation, class: operationClass });
      if ((this.def.trust ?? 'trust-all') === 'conservative' && operationClass !== null && this.sensitive.has(operationClass)) {
        const reason = `AS policy: ${operationClass} is a sensitive class`;
        this.ctx.record('token.as_denied', request.mission, this.actor, { agent: request.agent, resource: resource.id, scope: operation, reason });
        reply({ granted: false, reason });
        return;
      }
      const now = this.ctx.sim.now;
      const exp = Math.min(now + this.profile.authTtl, request.expCap);
      const token = this.issuer.issue({ kind: 'auth', aud: resource.id, agent: request.agent, scope: operation, mission: request.mission, iat: now, exp });
      this.ctx.record('token.as_issued', request.mission, this.actor, { agent: request.agent, resource: resource.id, jti: token.jti, scope: operation, exp });
      reply({ granted: true, token });
    }, { finished: (job) => job() });
  }
}
