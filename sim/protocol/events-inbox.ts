import type { ActorContext } from '../context/actor-context.ts';
import type { Network } from './network.ts';

/** An event a PS pushes to an agent provider's inbox. */
export interface AgentEvent {
  /** mission.resumed: the person resumed the mission a pause terminated; the agent may propose a new one. */
  type: 'mission.terminated' | 'mission.resumed';
  mission: string | null;
  /** The agent the event is about (the provider routes it to that agent's runtime). */
  agent: string;
  /** mission.terminated: why (r11's termination_reason). The draft names no PS event types: this payload is the project's. */
  reason?: string;
}

/** An agent provider's events inbox as a PS reaches it. */
export interface EventsInbox {
  readonly actor: string;
  deliver(event: AgentEvent): void;
}

/**
 * aauth-latest (the companion events draft, draft-hardt-aauth-events):
 * the agent provider is the agent's event inbox, and an event source posts
 * to it for a subscription the agent registered. Here the PS is the event
 * source (the subscription is assumed made at approval, not modelled; the
 * draft names no PS event types), so a PS can tell an agent that its mission ended instead of
 * waiting for the agent to ask for a token and be refused (r01/r11: the
 * agent learns only from a refusal, or never while its tokens last at a
 * resource that is not told). The PS pushes `mission.terminated` to the
 * inbox of the mission's agent and of every sub-agent under it, one network
 * latency away; the provider stops the runtime before its next request.
 */
export class EventsPublisher {
  /** Agent providers' inboxes, by agent id (set by the world). */
  readonly inboxes = new Map<string, EventsInbox>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly network: Network,
  ) {}

  /** The mission of `agents[0]` (and its sub-agents, the rest) ended (`reason`: why). */
  missionEnded(mission: string | null, agents: readonly string[], reason?: string): void {
    for (const agent of agents) this.push({ type: 'mission.terminated', mission, agent, ...(reason === undefined ? {} : { reason }) });
  }

  /** The person resumed the mission a pause terminated: its agent may propose a new one (it acts on nothing before this arrives). */
  missionResumed(mission: string | null, agent: string): void {
    this.push({ type: 'mission.resumed', mission, agent });
  }

  private push(event: AgentEvent): void {
    const inbox = this.inboxes.get(event.agent);
    if (!inbox) return;
    this.ctx.record('event.pushed', event.mission, this.actor, { to: inbox.actor, agent: event.agent, event: event.type });
    this.network.send(this.actor, inbox.actor, () => inbox.deliver(event), undefined);
  }
}
