import type { Token } from './tokens.ts';

/** What a resource answers a request (the message, not the resource). */
export type ResourceAnswer =
  | { status: 'done' }
  | { status: 'unauthorized'; resourceToken: Token }
  /** aauth-r11: 401 requirement=person-token: who does the agent act for? */
  | { status: 'person_required' }
  | { status: 'rejected'; reason: string }
  | { status: 'recalled' }
  | { status: 'blocked'; reason: string };

/** r01's `AAuth-Mission: approver="..."; s256="..."` request header: what the agent asserts, unchecked by anyone it reaches. */
export interface MissionHeader {
  approver: string;
  s256: string;
}

/** A request to a resource, as it arrives: read-only to the resource, which learns what it carries and answers through `reply`. */
export interface ResourceRequest {
  readonly agent: string;
  /** The agent's Person Server, by actor id (the `ps` claim of its agent token). */
  readonly ps: string;
  readonly operation: string;
  /** Numeric arguments and stage of the call (what authority and the oracle judge). */
  readonly args?: Readonly<Record<string, number>> | undefined;
  readonly stage?: string | undefined;
  readonly token: Token | undefined;
  /** r01 (and m0): the AAuth-Mission header, sent on requests that carry no auth token. */
  readonly mission?: MissionHeader | undefined;
  /** aauth-r11: the person token the agent holds for this resource. */
  readonly personToken?: Token | undefined;
  /** Call chaining: the caller's auth token (upstream_token) stands in for a person token. */
  readonly upstream?: Token | undefined;
  /** The agent token the request is signed with: where the PS checks class, its class claim scopes the resource token (sim/protocol/mission-class.ts). */
  readonly agentToken?: Token | undefined;
  /**
   * The thumbprint of the key the request is signed with, as the resource
   * learns it from the HTTP Message Signature (its Signature-Key): the key
   * of the agent that sent it (sim/protocol/agent-keys.ts).
   */
  readonly signatureKey: string;
  readonly reply: (answer: ResourceAnswer) => void;
}

/** A resource as a caller reaches it: its address and its request endpoint. */
export interface ResourceEndpoint {
  readonly id: string;
  readonly actor: string;
  receive(request: ResourceRequest): void;
}
