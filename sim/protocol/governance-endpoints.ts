import type { Decision } from '../authority/model.ts';
import type { OpFacts } from '../authority/envelope.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { PersonChannel } from './person-channel.ts';
import type { Token } from './tokens.ts';
import { looksCovered } from './plausible-reading.ts';

/**
 * What the PS's governance endpoints answer. A question that needs the
 * person is answered 202-style (`pending` with a request id and
 * Retry-After) and polled, as deferred mission approvals are: an agent
 * never holds a request open for a human's minutes or hours.
 */
export type GovernanceAnswer =
  | { status: 'pending'; request: string; retryAfter: number }
  | { status: 'unavailable'; retryAfter: number }
  | { status: 'answered'; granted: boolean; reason: string };

/** An action an agent asks permission for: resource/operation with its arguments, as plan steps name calls. */
export interface ActionRef {
  resource: string;
  operation: string;
  args?: Record<string, number> | undefined;
  stage?: string | undefined;
}

/** What the endpoints need of their Person Server. */
export interface GovernanceHost {
  readonly pollIntervalUs: number;
  serve(work: () => void, unavailable: () => void): void;
  /** The active mission the request names (`mission_s256`; r01 the mission object's s256), if it is this agent's, or why there is none. */
  activeMission(agent: string, mission: string | null): { s256: string | null; person: PersonChannel } | { refusal: string };
  /** The PS's own authority decision on an action under that mission, as for a token request, and the approved scope as the person sees it. */
  judge(agent: string, mission: string | null, action: ActionRef): { verdict: Decision; facts: OpFacts; approved: OpFacts[] };
  /**
   * Why the PS refuses a request presenting this agent token (revoked or expired; logged), or null: the check every agent-facing endpoint makes.
   * -11: with the parent's token that signs a sub-agent's request (`parentToken`), both tokens and the parent binding are checked, and a sub-agent's own request is refused.
   */
  refusesAgentToken(agent: string, agentToken: Token | undefined, parentToken?: Token): string | null;
}

/**
 * The PS governance endpoints (aauth-protocol-facts, "Governance endpoints
 * on the PS"): permission (may I do this action no token covers? answered
 * from the mission, else the person decides), audit (fire-and-forget
 * record in the mission log) and interaction (relay a question to the
 * person). Human answers take the person's latency and wait for their
 * working hours.
 */
export class GovernanceEndpoints {
  /** Requests waiting for the person: undefined until answered. */
  private readonly open = new Map<string, GovernanceAnswer | undefined>();
  private requests = 0;

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly host: GovernanceHost,
  ) {}

  permission(agent: string, named: string | null, action: ActionRef, reply: (answer: GovernanceAnswer) => void, agentToken?: Token, parentToken?: Token): void {
    this.host.serve(
      () => {
        const credential = this.host.refusesAgentToken(agent, agentToken, parentToken);
        if (credential !== null) return reply({ status: 'answered', granted: false, reason: credential });
        const name = `${action.resource}/${action.operation}`;
        const mission = this.host.activeMission(agent, named);
        const s256 = 'refusal' in mission ? null : mission.s256;
        this.ctx.record('permission.requested', s256, this.actor, { agent, action: name, ...signedBy(parentToken) });
        const decided = (granted: boolean, by: 'mission' | 'person', reason: string): GovernanceAnswer => {
          this.ctx.record('permission.decided', s256, this.actor, { agent, action: name, decision: granted ? 'granted' : 'denied', decided_by: by, reason });
          return { status: 'answered', granted, reason };
        };
        if ('refusal' in mission) return reply(decided(false, 'mission', mission.refusal));
        const { verdict, facts, approved } = this.host.judge(agent, named, action);
        if (verdict.allow && verdict.approval !== 'person') return reply(decided(true, 'mission', verdict.reason || 'inside the mission'));
        // Not covered by the mission (or it needs a per-call approval): the person decides from the request
        // and the mission they approved, never from what they meant (the oracle's).
        const request = this.openRequest();
        mission.person.decide({ agent, op: facts, covered: looksCovered(facts, approved), question: `permit ${name}` }, (yes) => {
          this.open.set(request, decided(yes, 'person', yes ? 'the person approved' : 'the person refused'));
        });
        reply({ status: 'pending', request, retryAfter: this.host.pollIntervalUs });
      },
      () => reply({ status: 'unavailable', retryAfter: this.host.pollIntervalUs }),
    );
  }

  /** Fire-and-forget: the agent reports an action; nothing is answered (a PS that is down loses it). */
  audit(agent: string, named: string | null, action: string, agentToken?: Token, parentToken?: Token): void {
    this.host.serve(
      () => {
        if (this.host.refusesAgentToken(agent, agentToken, parentToken) !== null) return;
        const mission = this.host.activeMission(agent, named);
        this.ctx.record('audit.reported', 'refusal' in mission ? null : mission.s256, this.actor, { agent, action, ...signedBy(parentToken) });
      },
      () => undefined,
    );
  }

  interaction(agent: string, named: string | null, question: string, reply: (answer: GovernanceAnswer) => void, agentToken?: Token, parentToken?: Token): void {
    this.host.serve(
      () => {
        const credential = this.host.refusesAgentToken(agent, agentToken, parentToken);
        if (credential !== null) return reply({ status: 'answered', granted: false, reason: credential });
        const mission = this.host.activeMission(agent, named);
        if ('refusal' in mission) return reply({ status: 'answered', granted: false, reason: mission.refusal });
        this.ctx.record('interaction.requested', mission.s256, this.actor, { agent, question, ...signedBy(parentToken) });
        const request = this.openRequest();
        const asked = this.ctx.sim.now;
        mission.person.requestApproval(
          agent,
          () => {
            this.ctx.record('interaction.answered', mission.s256, this.actor, { agent, question, waited_us: this.ctx.sim.now - asked });
            this.open.set(request, { status: 'answered', granted: true, reason: 'answered' });
          },
          question,
        );
        reply({ status: 'pending', request, retryAfter: this.host.pollIntervalUs });
      },
      () => reply({ status: 'unavailable', retryAfter: this.host.pollIntervalUs }),
    );
  }

  /** Polling a pending request: its answer once the person gave it. */
  poll(request: string, reply: (answer: GovernanceAnswer) => void, agent?: string, agentToken?: Token, parentToken?: Token): void {
    this.host.serve(
      () => {
        const credential = agent === undefined ? null : this.host.refusesAgentToken(agent, agentToken, parentToken);
        if (credential !== null) return reply({ status: 'answered', granted: false, reason: credential });
        const answer = this.open.get(request);
        if (answer === undefined) return reply({ status: 'pending', request, retryAfter: this.host.pollIntervalUs });
        // A poll sent again because its answer was lost must get the answer again: keep it.
        reply(answer);
      },
      () => reply({ status: 'pending', request, retryAfter: this.host.pollIntervalUs }),
    );
  }

  private openRequest(): string {
    const id = `${this.actor}/governance#${this.requests++}`;
    this.open.set(id, undefined);
    return id;
  }
}

/** -11, parent-mediated: the agent whose agent token signed a sub-agent's request (its parent), as the PS logs it. */
function signedBy(parentToken: Token | undefined): { signed_by?: string } {
  return parentToken === undefined ? {} : { signed_by: parentToken.agent };
}
