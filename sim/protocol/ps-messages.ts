import type { Token } from './tokens.ts';

/** What a Person Server answers on its endpoints: the messages, not the server. */

/**
 * Granted: the mission the sub-agent now acts under (its s256 and approver), which it names on its requests.
 * Pending (202): the PS will answer later (the parent's mission awaits its person, or its hop is not minted yet).
 * Unavailable (503): the PS is down; neither a refusal nor a deferral, ask again after `retryAfter`.
 */
export type DelegationAnswer =
  | { status: 'granted'; s256: string | null; approver: string }
  | { status: 'pending'; retryAfter: number }
  | { status: 'unavailable'; retryAfter: number }
  | { status: 'rejected'; reason: string };

export type MissionAnswer =
  /** r01: the AAuth-Mission header's `approver` and `s256`; -11: the mission's s256 (`approver` stays in the blob). */
  | { status: 'approved'; s256: string | null; approver: string }
  | { status: 'refused' }
  | { status: 'pending'; retryAfter: number }
  | { status: 'unavailable'; retryAfter: number }
  /** The request presented a revoked or expired agent token: final for that runtime. */
  | { status: 'rejected'; reason: string };

/**
 * Refused: `terminationReason`, r11's `termination_reason` of a `403 mission_terminated` (the mission was terminated, and why);
 * `retryAfter`, the Retry-After of a refusal the agent waits out (the PS unavailable, its mission suspended).
 */
export type AuthAnswer = { granted: true; token: Token } | { granted: false; reason: string; final: boolean; terminationReason?: string; retryAfter?: number };

/**
 * Terminate-only profiles without an events inbox: what the PS answers an
 * agent asking whether its administratively terminated mission was a pause
 * its person has resumed: paused (ask again after `retryAfter`), resumed
 * (propose a new mission), ended (no pause: nothing will come).
 */
export type ResumeAnswer =
  | { status: 'paused'; retryAfter: number }
  | { status: 'resumed' }
  | { status: 'ended' }
  | { status: 'unavailable'; retryAfter: number };

/** aauth-r11 person-token endpoint: a token for one resource, or why not (final: the mission is gone). */
export type PersonTokenAnswer = AuthAnswer;

/** Numeric arguments and stage of the call a token is asked for. */
export interface CallDetails {
  args?: Record<string, number> | undefined;
  stage?: string | undefined;
  /** The agent token the request is signed with: the PS reads its class claim where it checks class (sim/protocol/mission-class.ts), and refuses the request if that token was revoked at it. */
  agentToken?: Token | undefined;
  /** The agent whose key signed the token request: the resource token's agent binding (`agent_jkt`) must match it. */
  signer?: string | undefined;
  /** -11, parent-mediated: the parent's agent token, which signs a sub-agent's request (`agentToken` is then the sub-agent's `subagent_token`). */
  parentToken?: Token | undefined;
  /** mission-authority: the mission the agent names in its token request (`mission_s256`); -11 and r01 carry it in the resource token instead. */
  mission?: string | null | undefined;
}

/** The auth-token endpoint of a Person Server, as a caller that holds a resource token (an agent, a chained resource) reaches it. */
export interface AuthTokenEndpoint {
  readonly actor: string;
  requestAuthToken(resourceToken: Token, agentTokenExp: number, reply: (answer: AuthAnswer) => void, call?: CallDetails, upstream?: Token): void;
}
