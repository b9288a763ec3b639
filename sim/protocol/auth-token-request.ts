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
