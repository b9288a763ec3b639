import type { Signal } from '../engine/process.ts';
import type { ProposedMission } from '../authority/renderings.ts';
import type { IntentDef } from '../scenario/schema.ts';
import type { ActionRef, GovernanceAnswer } from './governance-endpoints.ts';
import type { PersonChannel } from './person-channel.ts';
import type { Token } from './tokens.ts';
import type { AgentTokenRevocationEndpoint } from './agent-token-revocation.ts';
import type { AuthAnswer, AuthTokenEndpoint, DelegationAnswer, MissionAnswer, PersonTokenAnswer } from './ps-messages.ts';

/** The PS governance endpoints as an agent reaches them. */
export interface GovernancePort {
  permission(agent: string, action: ActionRef, reply: (answer: GovernanceAnswer) => void, agentToken?: Token): void;
  audit(agent: string, action: string, agentToken?: Token): void;
  interaction(agent: string, question: string, reply: (answer: GovernanceAnswer) => void, agentToken?: Token): void;
  poll(request: string, reply: (answer: GovernanceAnswer) => void, agent?: string, agentToken?: Token): void;
}

/**
 * A Person Server as its agents reach it: the endpoints they send
 * requests to (each request travels over the network; the answer comes
 * back the same way), never the server itself.
 */
export interface AgentFacingEndpoints extends AuthTokenEndpoint, AgentTokenRevocationEndpoint {
  /** Retry-After of the PS's 202 answers. */
  readonly pollIntervalUs: number;
  /** `agentToken`: the agent token a request is signed with; every endpoint refuses a revoked or expired one (sim/protocol/agent-token-revocation.ts); the PS also reads its class claim where it checks class (sim/protocol/mission-class.ts). */
  proposeMission(
    agent: string,
    person: PersonChannel,
    spec: ProposedMission,
    reply: (answer: MissionAnswer) => void,
    reproposal?: boolean,
    agentToken?: Token,
  ): void;
  pollMission(agent: string, reply: (answer: MissionAnswer) => void, agentToken?: Token): void;
  requestPersonToken(agent: string, resource: string, reply: (answer: PersonTokenAnswer | AuthAnswer) => void, agentToken?: Token): void;
  requestDelegation(
    parent: string,
    child: string,
    task: string,
    grant: IntentDef | undefined,
    reply: (answer: DelegationAnswer) => void,
    agentToken?: Token,
    /** -11, parent-mediated: the parent's agent token, which signs the request. */
    parentToken?: Token,
  ): void;
  complete(agent: string, by: 'person' | 'plan'): void;
  /** aauth-latest: propose a mission update (the person accepts or refuses it; sim/protocol/mission-update.ts). */
  proposeUpdate(agent: string, description: string, agentToken?: Token): void;
  readonly governance: GovernancePort;
  /**
   * Shortcuts the agent takes without a message (the agent learns them in
   * the real protocol from answers it already has): the s256 it acts
   * under after a delegation, whether its proposal reached the PS before a
   * crash, and the signal that the person resumed a paused mission.
   */
  missionOf(agent: string): string | null;
  hasProposal(agent: string): boolean;
  readonly reproposals: { invitation(agent: string): Signal<void> | undefined; consumed(agent: string): void };
}
