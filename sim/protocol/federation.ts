import type { OpFacts } from '../authority/envelope.ts';
import type { BoundProjection } from '../authority/projection.ts';
import type { MissionAuthority } from '../authority/model.ts';
import type { Token } from './tokens.ts';
import type { AccessServerRevocationEndpoint } from './as-revocation-endpoint.ts';

/** Who a federating PS discloses to: an Access Server's address and domain (classes and resources it serves). */
export interface FederationPeer {
  readonly actor: string;
  readonly domain: string;
  readonly domainClasses: ReadonlySet<string>;
  readonly domainResources: ReadonlySet<string>;
}

/** A disclosed mission body: what the person wrote (text and renderings), and the root agent the approved blob names. */
export interface MissionBody {
  agent: string;
  authority: MissionAuthority;
}

/** What a federating PS sends: the mission by reference (s256), never its body unless asked (clarify). */
export interface FederationRequest {
  ps: string;
  psDomain: string;
  agent: string;
  resource: string;
  /** The operation's class as the resource publishes it (null: none declared). */
  operationClass: string | null;
  operation: string;
  mission: string | null;
  /** The latest expiry the PS allows (agent token, mission). */
  expCap: number;
  /** The call as the AS sees it (class, action, arguments), and ids for the truth records. */
  facts: OpFacts;
  requestId: string;
  /** Where the PS checks class (seed 002, this project's own): the class the mission (or hop) is bound to, as the PS asserts it. */
  missionClass?: string;
  /** Where the PS checks class: the resource token it relays (issued in the AS's domain; its `mb_class` names the class of the runtime that asked). */
  resourceToken?: Token;
  /** -11: the person the resource token names (`ps`, `sub`), copied into the AS's auth token. */
  subject?: { ps: string; sub: string };
  /** clarify: the PS sends the mission body to this AS (a disclosure): its text, its renderings, and the root agent its blob names. */
  disclose: (to: FederationPeer) => MissionBody;
  /** envelope-projection: what the PS enforces in this AS's domain (not why), bound to the mission's s256. */
  project: (to: FederationPeer) => BoundProjection;
}

export type FederationAnswer = { granted: true; token: Token } | { granted: false; reason: string };

/** An Access Server as a PS reaches it. */
export interface FederationEndpoint extends FederationPeer, Partial<Pick<AccessServerRevocationEndpoint, 'revokeIssued'>> {
  readonly id: string;
  federate(request: FederationRequest, reply: (answer: FederationAnswer) => void): void;
}
