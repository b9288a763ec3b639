import type { ProposedMission } from '../authority/renderings.ts';
import type { IntentDef } from '../scenario/schema.ts';
import type { ActionRef, GovernanceAnswer } from './governance-endpoints.ts';
import type { PersonChannel } from './person-channel.ts';
import type { Token } from './tokens.ts';
import type { AgentTokenRevocationEndpoint } from './agent-token-revocation.ts';
import type { AuthAnswer, AuthTokenEndpoint, DelegationAnswer, MissionAnswer, PersonTokenAnswer, ResumeAnswer } from './ps-messages.ts';

/** The PS governance endpoints as an agent reaches them. */
export interface GovernancePort {
  /**
   * Each request names the mission it belongs to (`mission_s256`; r01 the `mission` object): null for none; and the agent token it is signed with.
   * -11, parent-mediated: `parentToken` is the parent's agent token, which signs a sub-agent's request (`agentToken` is then the sub-agent's, its `subagent_token`).
   */
  permission(
    agent: string,
    mission: string | null,
    action: ActionRef,
    reply: (answer: GovernanceAnswer) => void,
    agentToken?: Token,
    parentToken?: Token,
  ): void;
  audit(agent: string, mission: string | null, action: string, agentToken?: Token, parentToken?: Token): void;
  interaction(
    agent: string,
    mission: string | null,
    question: string,
    reply: (answer: GovernanceAnswer) => void,
    agentToken?: Token,
    parentToken?: Token,
  ): void;
  poll(request: string, reply: (answer: GovernanceAnswer) => void, agent?: string, agentToken?: Token, parentToken?: Token): void;
}

/**
 * A Person Server as its agents reach it: the endpoints they send
 * requests to (each request travels over the network; the answer comes
 * back the same way), never the server itself.
 */
export interface AgentFacingEndpoints extends AuthTokenEndpoint, AgentTokenRevocationEndpoint {
  /** `agent` names the proposal (its handle); `owner`, the agent it is for when that is not the handle (a concurrent mission); `agentToken`: the agent token a request is signed with; every endpoint refuses a revoked or expired one (sim/protocol/agent-token-revocation.ts); the PS also reads its class claim where it checks class (sim/protocol/mission-class.ts). */
  proposeMission(
    agent: string,
    person: PersonChannel,
    spec: ProposedMission,
    reply: (answer: MissionAnswer) => void,
    reproposal?: boolean,
    agentToken?: Token,
    owner?: string,
  ): void;
  pollMission(agent: string, reply: (answer: MissionAnswer) => void, agentToken?: Token): void;
  /** -11: a person token for one resource, naming the mission the agent acts under (`mission_s256`). */
  requestPersonToken(
    agent: string,
    resource: string,
    mission: string | null,
    reply: (answer: PersonTokenAnswer | AuthAnswer) => void,
    agentToken?: Token,
    /** -11, parent-mediated: the parent's agent token, which signs a sub-agent's request (`agentToken` is then the sub-agent's, its `subagent_token`). */
    parentToken?: Token,
  ): void;
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
  /** -11 and later: propose a mission update (the person accepts or refuses it; sim/protocol/mission-update.ts); a sub-agent's is its parent's request (`parentToken` signs it). */
  proposeUpdate(agent: string, description: string, agentToken?: Token, parentToken?: Token): void;
  readonly governance: GovernancePort;
  /**
   * Terminate-only profiles without an events inbox: the agent whose mission
   * (`mission`, its s256) was terminated administratively asks whether that
   * was a pause its person has resumed (the PS answers paused with a
   * Retry-After of its `pause_poll`). aauth-latest pushes the resume instead.
   */
  pollResume(agent: string, mission: string | null, reply: (answer: ResumeAnswer) => void, agentToken?: Token): void;
}
