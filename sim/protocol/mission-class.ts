import type { ActorContext } from '../context/actor-context.ts';
import type { Token } from './tokens.ts';

/**
 * Seed 002's class, as this simulator puts it on the wire. A class is "the
 * set of interchangeable runtimes of one agent provider acting under one
 * mission": authority is bound to mission AND class, so a replacement or an
 * extra runtime of the class acts under the mission without a new approval,
 * and a runtime of another class presenting the mission is refused.
 *
 * No AAuth draft defines class (../shared/reference/aauth-protocol-facts.md):
 * the claim and the check are this project's own (docs/mission-class.md).
 * The agent provider names the runtime's class in the agent token it issues
 * (`mb_class`); the PS binds each mission (and each delegated hop) to the
 * class of the runtime that proposed (or was delegated) it, checks the class
 * of the agent token that signs every token request, and scopes the tokens
 * it issues by mission and class (`mb_class` beside `mission_s256`).
 */

/** The token claim that carries a class: `mb_` marks it as missionbench's own (no draft defines it). */
export const CLASS_CLAIM = 'mb_class';

/** The stable code every class refusal starts with (log reason, attack ledger). */
export const CLASS_MISMATCH = 'class_mismatch';

/** Whether a PS refusal is a class refusal. */
export function isClassRefusal(reason: string): boolean {
  return reason.startsWith(CLASS_MISMATCH);
}

/**
 * The PS's book of which class each mission and hop is bound to (by the
 * agent id the mission or hop was opened for), and the check it makes at
 * every token issuance. Built only when the PS checks class.
 */
export class MissionClasses {
  private readonly bound = new Map<string, string>();

  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
  ) {}

  /** Classes named by proposals not yet approved, by proposing agent. */
  private readonly proposed = new Map<string, string>();

  /**
   * A proposal arrived signed with `presented`: the mission it opens will be
   * bound to that token's class once approved. Callers the simulator models
   * without agent tokens (the AOP chain, chained resources) present none:
   * their missions stay unbound and unchecked.
   */
  propose(agent: string, presented: Token | undefined): void {
    if (presented?.class === undefined) this.proposed.delete(agent);
    else this.proposed.set(agent, presented.class);
  }

  /** The mission proposed by `agent` was approved: bind it to the proposal's class. */
  approved(mission: string | null, agent: string): void {
    const cls = this.proposed.get(agent);
    if (cls !== undefined) this.bind(mission, agent, cls);
  }

  /** A hop was minted for `agent`, asked for with `presented`: bind it to that token's class. */
  minted(mission: string | null, agent: string, presented: Token | undefined): void {
    if (presented?.class !== undefined) this.bind(mission, agent, presented.class);
  }

  /** Logged, so a reader of the log alone can check every later token against the binding. */
  private bind(mission: string | null, agent: string, cls: string): void {
    this.bound.set(agent, cls);
    this.ctx.record('mission.class_bound', mission, this.actor, { agent, class: cls });
  }

  /** The class the mission (or hop) of `agent` is bound to, if one was bound. */
  classOf(agent: string): string | undefined {
    return this.bound.get(agent);
  }

  /**
   * Null if the runtime that signed the request (its agent token) may act
   * for `agent` under its mission; else the refusal reason. A request with
   * no agent token names no class and is refused.
   */
  check(agent: string, presented: Token | undefined, resourceToken?: Token): string | null {
    const expected = this.bound.get(agent);
    if (expected === undefined) return null; // opened before the check could bind it: nothing to compare with
    const cls = presented?.class;
    if (cls === undefined) return `${CLASS_MISMATCH}: the request names no class (expected "${expected}")`;
    if (cls !== expected) return `${CLASS_MISMATCH}: runtime class "${cls}" is not the mission's class "${expected}"`;
    // The resource scoped its token to the class of the runtime it answered: another runtime's token does not transfer.
    if (resourceToken?.class !== undefined && resourceToken.class !== cls) {
      return `${CLASS_MISMATCH}: the resource token is scoped to class "${resourceToken.class}", the request is signed by a runtime of class "${cls}"`;
    }
    return null;
  }
}

/**
 * What a runtime the scenario injected as an attacker (a runtime of another
 * class presenting a mission) tells the oracle about what became of it:
 * write-only, like sim/aop/attack-ledger.ts. The world decides what the log
 * shows; the runtime only reports the answers it received.
 */
export interface ClassAttackReport {
  /** A PS (`by`) answered a token request (or a resource refused the request): granted or refused with its reason, as the event the party logs it with. */
  answered(
    by: string,
    event: 'token.auth_granted' | 'token.auth_denied' | 'token.person_issued' | 'token.person_denied' | 'request.rejected',
    granted: boolean,
    reason: string,
  ): void;
  /** An operation the runtime asked for executed. */
  executed(): void;
}

/**
 * The resource's check, where class is checked: an auth token scoped to a
 * class (`mb_class`, by the PS or the AS that issued it) is accepted only on
 * a request signed by an agent token of that class. Null if it may be
 * accepted; else the refusal reason. A token with no class was issued where
 * class is not checked: nothing to compare.
 */
export function resourceClassRefusal(token: Token, agentToken: Token | undefined): string | null {
  if (token.class === undefined || agentToken?.class === token.class) return null;
  if (agentToken?.class === undefined) return `${CLASS_MISMATCH}: the request names no class (the token is scoped to class "${token.class}")`;
  return `${CLASS_MISMATCH}: the token is scoped to class "${token.class}", the request is signed by a runtime of class "${agentToken.class}"`;
}

/**
 * An Access Server's check, where the PS checks class. The AS holds no
 * mission: it learns the mission's class only from the PS that asserts it
 * (`missionClass`), and the class of the runtime from the resource token its
 * own domain's resource issued (`mb_class`). Null if they agree, or if
 * either is missing (a PS that does not check class asserts none; callers
 * without agent tokens get resource tokens without class); else the
 * refusal. A PS that checks class has already compared the two, so with
 * an honest PS this never refuses: it is the AS's own check, not a second
 * opinion on the runtime (which the AS never sees: the resource checks it).
 */
export function federationClassRefusal(missionClass: string | undefined, resourceToken: Token | undefined): string | null {
  const runtime = resourceToken?.class;
  if (missionClass === undefined || runtime === undefined || runtime === missionClass) return null;
  return `${CLASS_MISMATCH}: the resource token names class "${runtime}", the PS asserts the mission's class "${missionClass}"`;
}
