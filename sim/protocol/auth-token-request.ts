import type { OpFacts } from '../authority/envelope.ts';
import type { Hop } from './delegation-tree.ts';
import type { FederationEndpoint } from './federation.ts';
import type { Reservation } from './mission-budget.ts';
import type { MissionRecord } from './mission-record.ts';
import type { AuthAnswer, CallDetails } from './ps-messages.ts';
import type { DoorRequest } from './service-door.ts';
import type { Token } from './tokens.ts';

/** What serves an auth-token request: the endpoint's decision, and the Retry-After of its 503. */
export interface AuthTokenDecider {
  decide(request: AuthTokenRequest): void;
  readonly retryAfterUs: number;
}

/** A request once the PS located its mission. */
export type LocatedAuthTokenRequest = AuthTokenRequest & { record: MissionRecord };

/** A request once the PS judged its call inside that mission (what NARROWED in test/sim/protocol/auth-token-request.test.ts lists). */
export type JudgedAuthTokenRequest = LocatedAuthTokenRequest & { hop: Hop; facts: OpFacts };

/**
 * One auth-token request, from the PS's queue to its answer: what the
 * request carried, and what the PS has judged of it so far (the mission it
 * located, the hop and call it judged, the budget it reserved), read again
 * where the answer is deferred (the person's approval, the Access
 * Server's). One object per request in place of a closure per step.
 */
export class AuthTokenRequest implements DoorRequest {
  /** The resource the resource token's issuer names. */
  readonly resource: string;
  /** The mission the request was located under (undefined until located, or if none was). */
  record: MissionRecord | undefined = undefined;
  /** Once judged inside the mission: the hop the caller acts at, the call, and the decision's id and reason. */
  hop: Hop | undefined = undefined;
  facts: OpFacts | undefined = undefined;
  requestId = '';
  reason = '';
  /** The request's share of its mission's budget, held until its token is issued (or released). */
  reserved: Reservation | undefined = undefined;
  /** Four-party: the resource's Access Server, which issues the token. */
  accessServer: FederationEndpoint | undefined = undefined;

  constructor(
    private readonly decider: AuthTokenDecider,
    readonly resourceToken: Token,
    readonly agentTokenExp: number,
    readonly reply: (answer: AuthAnswer) => void,
    readonly call: CallDetails,
    readonly upstream: Token | undefined,
    resource: string,
  ) {
    this.resource = resource;
  }

  /** The PS located the mission the request is judged under: from here on `record` is set (the type says so). */
  located(record: MissionRecord): asserts this is LocatedAuthTokenRequest {
    this.record = record;
  }

  /**
   * The PS judged the call inside the located mission: the hop the caller
   * acts at, the call's facts, the decision's id and (four-party) the
   * resource's Access Server. From here on the type says they are set, so
   * the steps after (issuing, the oracle's decision record, the Access
   * Server's request) read them without a cast; test/sim/protocol/auth-token-request.test.ts
   * checks that each is. Only a located request can be judged (`this:`), so
   * leaving out `located` fails to compile too.
   */
  judged(
    this: LocatedAuthTokenRequest,
    hop: Hop,
    facts: OpFacts,
    requestId: string,
    accessServer: FederationEndpoint | undefined,
  ): asserts this is JudgedAuthTokenRequest {
    this.hop = hop;
    this.facts = facts;
    this.requestId = requestId;
    this.accessServer = accessServer;
  }

  /** The agent the log names: the one that signed the request (it differs from the token's only when a token is replayed by another). */
  get requester(): string {
    return this.call.signer ?? this.resourceToken.agent;
  }

  work(): void {
    this.decider.decide(this);
  }

  unavailable(): void {
    this.reply({ granted: false, reason: 'ps unavailable', final: false, retryAfter: this.decider.retryAfterUs });
  }
}
