import type { ActorContext } from '../context/actor-context.ts';
import { envelopeJson } from '../authority/envelope.ts';
import type { MissionAuthority } from '../authority/model.ts';
import { bindProjection, projectEnvelope, type BoundProjection } from '../authority/projection.ts';
import { isEnded } from '../lifecycle/states.ts';
import type { JudgedAuthTokenRequest } from './auth-token-request.ts';
import type { AuthorityDesk } from './authority-desk.ts';
import type { FederationEndpoint, FederationPeer } from './federation.ts';
import type { MissionClasses } from './mission-class.ts';
import type { MissionRecord } from './mission-record.ts';
import type { Network } from './network.ts';
import type { Token } from './tokens.ts';

/** How the auth-token endpoint learns what became of a request it sent to an Access Server. */
export interface FederationOutcome {
  /** The PS's own decision (allowed, for the judged reason), for the oracle, as the request leaves for the AS. */
  judged(request: JudgedAuthTokenRequest): void;
  refused(request: JudgedAuthTokenRequest, reason: string, final: boolean): void;
  granted(request: JudgedAuthTokenRequest, token: Token): void;
  /** The request's share of its mission's budget goes back (no token came of it). */
  release(request: JudgedAuthTokenRequest): void;
}

/** The parts of the PS the four-party path sends with. */
export interface FederationParts {
  readonly desk: AuthorityDesk;
  readonly network: Network;
  readonly classes: MissionClasses | undefined;
  readonly domain: string;
}

/**
 * Four-party issuance: for a resource behind an Access Server, the PS
 * does not issue the auth token itself but asks the AS, over the network,
 * sending the mission's s256 and the call, and disclosing the mission's
 * body or a projection of what it enforces only when the AS asks for it
 * (each disclosure logged, and written to the oracle when it crosses
 * domains).
 */
export class FederatedIssuance {
  private readonly desk: AuthorityDesk;
  private readonly network: Network;
  private readonly classes: MissionClasses | undefined;
  private readonly domain: string;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    parts: FederationParts,
    private readonly outcome: FederationOutcome,
  ) {
    this.desk = parts.desk;
    this.network = parts.network;
    this.classes = parts.classes;
    this.domain = parts.domain;
  }

  /** Asks the resource's AS to issue the token the PS judged inside the mission; `exp` is the latest expiry the PS allows. */
  send(request: JudgedAuthTokenRequest, accessServer: FederationEndpoint, exp: number): void {
    const { resourceToken, resource, record } = request;
    const authority = record.authority as MissionAuthority;
    const operation = resourceToken.scope;
    this.ctx.record('federation.sent', record.s256, this.actor, { as: accessServer.id, agent: resourceToken.agent, resource, scope: operation });
    this.outcome.judged(request);
    const missionClass = this.classes?.classOf(resourceToken.agent);
    const federation = {
      ps: this.actor,
      psDomain: this.domain,
      agent: resourceToken.agent,
      resource,
      operationClass: this.desk.ops.get(`${resource}/${operation}`)?.class ?? null,
      operation,
      mission: record.s256,
      expCap: exp,
      facts: request.facts,
      requestId: request.requestId,
      // Where the PS checks class: the class it bound the mission to, and the resource token carrying the runtime's.
      ...(missionClass === undefined ? {} : { missionClass, resourceToken }),
      // -11: the person the resource token names (`ps`, `sub`), which the AS copies into its auth token.
      ...(resourceToken.sub !== undefined && resourceToken.ps !== undefined ? { subject: { ps: resourceToken.ps, sub: resourceToken.sub } } : {}),
      disclose: (to: FederationPeer) => {
        this.disclose(record, to);
        return { agent: record.agent, authority };
      },
      project: (to: FederationPeer) => {
        // Cut from what this PS itself enforces for the hop, never from the intent; bound to the mission's s256.
        const projection = bindProjection(
          record.s256,
          resourceToken.agent,
          projectEnvelope(this.desk.enforcedEnvelope(authority, request.hop), to.domainClasses, to.domainResources),
        );
        this.disclose(record, to, projection);
        return projection;
      },
    };
    this.network.send(
      this.actor,
      accessServer.actor,
      () =>
        accessServer.federate(federation, (answer) =>
          this.network.send(
            accessServer.actor,
            this.actor,
            () => {
              if (!answer.granted || record.state !== 'active') this.outcome.release(request);
              if (!answer.granted) return this.outcome.refused(request, answer.reason, false);
              if (record.state !== 'active') return this.outcome.refused(request, `mission ${record.state}`, isEnded(record.state));
              record.outstanding.add(answer.token, this.ctx.sim.now);
              this.outcome.granted(request, answer.token);
            },
            undefined,
          ),
        ),
      undefined,
    );
  }

  /** Something about the mission leaves this PS for another domain's AS (its body, or a projection): an audit event, and a truth record. */
  private disclose(record: MissionRecord, to: FederationPeer, projection?: BoundProjection): void {
    const what = projection ? 'projection' : 'body';
    if (!projection)
      this.ctx.record('mission.disclosed', record.s256, this.actor, { to: to.actor, to_domain: to.domain, description: record.authority?.description ?? '' });
    else {
      // The log holds what was disclosed: the projection itself, its hash, and the hop it is bound to.
      const fields = {
        to: to.actor,
        to_domain: to.domain,
        agent: projection.agent,
        projection_sha256: projection.sha256,
        projection: envelopeJson(projection.envelope),
      };
      this.ctx.record('mission.projected', record.s256, this.actor, fields);
    }
    if (to.domain === this.domain) return;
    this.ctx.truth.disclosure({ kind: 'disclosure', mission: record.s256, from_domain: this.domain, to_domain: to.domain, what });
  }
}
