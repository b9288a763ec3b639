import type { ProcessBody, Signal } from '../engine/process.ts';
import type { Link } from './network.ts';
import type { AuthAnswer } from './ps-messages.ts';
import type { MissionHeader, ResourceAnswer } from './resource-messages.ts';
import type { AgentAttack } from './agent-attack.ts';
import type { Token } from './tokens.ts';
import type { AgentProvider } from './agent-provider.ts';
import { isAgentTokenRefusal } from './agent-token-revocation.ts';
import { retryingRequest } from './retrying-request.ts';
import { refusedByParent } from './via-parent.ts';
import { isClassRefusal, type ClassAttackReport } from './mission-class.ts';
import type { PlannedStep } from './planned-step.ts';
import type { StepOutcome, StepSlot } from './step-slot.ts';
import { DelegatingRuntime } from './agent-delegation.ts';

/**
 * How an agent runtime gets the tokens it acts with: its agent token from
 * its provider (issued again once expired, none after a revocation, and
 * then the runtime stops instead of signing with a dead one), and, for a
 * step with no token that will last, the challenge, person token (r11) and
 * auth token from its PS (or, -11, through its parent: agent-delegation.ts),
 * with what each refusal tells the runtime about its mission and itself.
 *
 * A step holds its auth token until it expires; that check, and the call
 * with a held token, stay on the plan's path in agent.ts, which runs for
 * nearly every event. Only a step with no token that will last (its first
 * call, or one whose token expired or was refused) comes here. A base class
 * of the Agent rather than an object it holds: the agent token goes with
 * every call (resource-call.ts), and the refusals it keeps are read by the
 * pause (agent-pause.ts); as fields of the agent they cost no object or
 * pointer more per agent or per call.
 */
export abstract class TokenHoldingRuntime extends DelegatingRuntime {
  /** The runtime's own agent token: every request is signed with it. */
  protected agentToken: Token | undefined;
  /** Why the runtime can no longer act: its agent token was refused by the PS, or expired with none to follow. */
  protected credentialRefusal: string | undefined;
  /** A class refusal from the PS, kept as the reason the runtime stops (it can never become of the mission's class). */
  protected classRefusal: string | undefined;

  // What of the agent the token requests read and ask (sim/protocol/agent.ts).
  protected abstract readonly provider: AgentProvider;
  protected abstract readonly attack: AgentAttack | undefined;
  protected abstract readonly classAttack?: ClassAttackReport;
  protected abstract callResource(slot: StepSlot, token: Token | undefined): Signal<ResourceAnswer>;
  protected abstract presented(step: PlannedStep): MissionHeader | undefined;
  protected abstract linkTo(peer: string): Link;

  /**
   * No token held for the step: the call without one is challenged
   * (aauth-r11: first for a person token), and the agent asks its PS (or,
   * -11, its parent) for the auth token. The token, the step's outcome if
   * it ends here, or 'waited' once a refusal that passes (an outage, a
   * suspended mission) was waited out.
   */
  protected *obtainToken(slot: StepSlot): ProcessBody<Token | StepOutcome | 'waited'> {
    const step = slot.step;
    let challenge: ResourceAnswer = yield this.callResource(slot, undefined);
    if (challenge.status === 'person_required') {
      if (this.cannotSign()) return 'stop';
      const agentToken = this.signingToken();
      const named = this.presented(step)?.s256 ?? null;
      // -11: a sub-agent's person token is its parent's request (`subagent_token`); its cnf is still the sub-agent's key.
      const issued: AuthAnswer = this.mediated
        ? yield* this.viaParent.ask<AuthAnswer>(
            this.mission,
            () => ({ kind: 'person_token', child: this.agentId, resource: step.resource.id, mission: named, subagentToken: this.signingToken() }),
            refusedByParent,
          )
        : yield this.callPs((reply) => this.ps.requestPersonToken(this.agentId, step.resource.id, named, reply, agentToken));
      this.answered(issued, 'person');
      if (!issued.granted) {
        if (issued.final) return 'stop';
        if (issued.reason !== 'ps unavailable') return 'skipped';
        yield issued.retryAfter ?? OWN_RETRY_US; // an outage is waited out, as for auth tokens
        return 'waited';
      }
      slot.person.personToken = issued.token;
      challenge = yield this.callResource(slot, undefined);
    }
    if (challenge.status !== 'unauthorized') return 'skipped';
    if (this.cannotSign()) return 'stop';
    const agentToken = this.signingToken() as Token;
    const call = { args: step.args, stage: step.stage, signer: this.agentId, mission: this.presented(step)?.s256 ?? null, agentToken };
    const captured = this.attack?.capturedResourceToken();
    // A replay of another agent's resource token goes first; its answer teaches the attacker nothing it acts on.
    if (captured) {
      const replayed: AuthAnswer = yield this.callPs((reply) => this.ps.requestAuthToken(captured, agentToken.exp, reply, call));
      this.attack?.answeredReplay(this.ps.actor, replayed.granted, replayed.granted ? 'accepted' : replayed.reason);
    }
    this.sightings?.resourceTokenSent(this.def.id, challenge.resourceToken);
    // -11: the sub-agent hands its resource token to its parent, which asks for the auth token (bound to the sub-agent's key).
    const { agentToken: _own, ...details } = call;
    const auth: AuthAnswer = this.mediated
      ? yield* this.viaParent.ask<AuthAnswer>(
          this.mission,
          () => ({ kind: 'auth_token', child: this.agentId, resourceToken: challenge.resourceToken, call: details, subagentToken: this.signingToken() }),
          refusedByParent,
        )
      : yield this.callPs((reply) => this.ps.requestAuthToken(challenge.resourceToken, agentToken.exp, reply, call));
    // A replay of its own resource token: the same token presented again once it has been answered.
    if (this.attack?.replaysOwn()) {
      const replayed: AuthAnswer = yield this.callPs((reply) => this.ps.requestAuthToken(challenge.resourceToken, agentToken.exp, reply, call));
      this.attack?.answeredReplay(this.ps.actor, replayed.granted, replayed.granted ? 'accepted' : replayed.reason);
    }
    this.answered(auth, 'auth');
    if (!auth.granted) {
      if (auth.final) return 'stop';
      if (auth.reason === 'mission suspended' || auth.reason === 'ps unavailable') {
        // A suspended mission or a PS outage is waited out (after the answer's Retry-After).
        yield auth.retryAfter ?? OWN_RETRY_US;
        return 'waited';
      }
      return 'skipped';
    }
    slot.auth.authToken = auth.token;
    return auth.token;
  }

  /** The provider revokes the runtime's agent token, and issues it no other (AgentProvider.revoke). */
  revokeAgentToken(): void {
    if (!this.agentToken || this.provider.revoked) return;
    this.provider.revoke(this.network, this.ps, this.agentToken);
  }

  /**
   * The agent token a PS request is signed with: the provider issues a new
   * one once the last has expired, unless it revoked it (then it issues
   * none, and the expired token is all the runtime has: see cannotSign).
   */
  signingToken(): Token | undefined {
    if (this.agentToken === undefined || this.agentToken.exp <= this.ctx.sim.now) this.renewAgentToken();
    return this.agentToken;
  }

  /**
   * The provider revoked the agent token and it has now expired: no PS
   * would accept a request signed with it and no other will come, so the
   * runtime stops (reason `expired_agent_token`) instead of asking.
   */
  private cannotSign(): boolean {
    if (!this.provider.revoked || (this.agentToken?.exp ?? 0) > this.ctx.sim.now) return false;
    this.credentialRefusal = 'expired_agent_token';
    return true;
  }

  /** A new agent token from the provider (none once it revoked one: the runtime keeps the one it has). */
  protected renewAgentToken(): void {
    this.agentToken = this.provider.issueAgentToken() ?? this.agentToken;
  }

  /** The PS answered a token request: a class refusal is remembered; an injected intruder of another class reports the answer to the oracle. */
  private answered(answer: AuthAnswer, token: 'auth' | 'person'): void {
    if (!answer.granted && answer.terminationReason !== undefined) this.endedReason = answer.terminationReason;
    if (!answer.granted && answer.final) this.finalRefusal = answer.reason;
    if (!answer.granted && isClassRefusal(answer.reason)) this.classRefusal = answer.reason;
    if (!answer.granted && isAgentTokenRefusal(answer.reason)) this.credentialRefusal = answer.reason;
    this.attack?.answered(this.ps.actor, token, answer.granted, answer.granted ? 'accepted' : answer.reason);
    if (!this.classAttack) return;
    const event =
      token === 'auth' ? (answer.granted ? 'token.auth_granted' : 'token.auth_denied') : answer.granted ? 'token.person_issued' : 'token.person_denied';
    this.classAttack.answered(this.ps.actor, event, answer.granted, answer.granted ? 'accepted' : answer.reason);
  }

  /**
   * A request to the PS. The body yields it and gets the answer back; when
   * every attempt went unanswered the signal fails, so NoAnswer is thrown at
   * that yield instead, which ends the runtime (see Agent.runtimeBody).
   */
  protected callPs<T>(invoke: (reply: (answer: T) => void) => void): Signal<T> {
    return retryingRequest(this.ctx, this.network, this.network.retry, this.linkTo(this.ps.actor), this.mission, invoke);
  }
}

/** The agent's own wait before asking again when a refusal it waits out names no Retry-After (a relayed one may not). */
const OWN_RETRY_US = 5_000_000;
