import type { ActorContext } from '../context/actor-context.ts';
import type { AgentDef } from '../scenario/schema.ts';
import { missionS256 } from './mission.ts';
import type { MissionHeader } from './resource-messages.ts';
import type { Token } from './tokens.ts';
import type { WireSightings } from './wire-sightings.ts';

/**
 * What an attacking agent (`attack:` in the scenario, issue 17 item 3) does
 * differently on the wire, and its one write to the oracle. An honest agent
 * has no attack: every answer here is then the honest one.
 */
export class AgentAttack {
  private toldOracle = false;
  /** Whether the step under way presents an asserted mission (its answers are the attack's). */
  private asserting = false;
  /** What the oracle has been told of the attack's outcome so far. */
  private outcome: 'none' | 'refused' | 'took_effect' = 'none';

  constructor(
    private readonly ctx: ActorContext,
    private readonly agent: string,
    private readonly attack: AgentDef['attack'],
    /** What went over the wire, as an eavesdropper saw it: the only thing an attacker learns of others. */
    private readonly sightings: WireSightings | undefined,
  ) {}

  /**
   * The mission to present for a step that belongs to `mine`: that one, or
   * under `assert-mission` another agent's (as seen on the wire; its own
   * until one was seen), an s256 no PS approved, or (`concurrent`) the
   * agent's other mission, `other`.
   */
  presented(mine: MissionHeader | undefined, other: MissionHeader | undefined, approver: string): MissionHeader | undefined {
    this.asserting = false;
    if (this.attack?.kind !== 'assert-mission') return mine;
    let asserted: MissionHeader | undefined;
    if (this.attack.of === 'unapproved') asserted = { approver, s256: missionS256(`{"unapproved":"${this.agent}"}`) };
    else if (this.attack.of === 'concurrent') asserted = other;
    else asserted = this.sightings?.missionOf(this.attack.of);
    if (!asserted) return mine;
    this.tellOracle();
    this.asserting = true;
    return asserted;
  }

  /**
   * The PS answered a token request of the step under way: when that step
   * presents an asserted mission, the answer is the attack's (an auth token
   * granted under it: it took effect; a refusal: refused by the PS). A
   * person token issued is not yet an effect: only the auth token authorises
   * the operation.
   */
  answered(by: string, token: 'auth' | 'person', granted: boolean, reason: string): void {
    if (this.asserting) this.settle(by, token, granted, reason);
  }

  /** The PS answered a replayed resource token (another agent's, or its own a second time). */
  answeredReplay(by: string, granted: boolean, reason: string): void {
    this.settle(by, 'auth', granted, reason);
  }

  /**
   * Writes the oracle's `attack` record when the outcome changes: the first
   * refusal, and the first effect (a refused attack that later takes effect
   * took effect). Waiting out an outage or a suspension is no refusal.
   */
  private settle(by: string, token: 'auth' | 'person', granted: boolean, reason: string): void {
    if (granted && token === 'person') return;
    if (!granted && (this.outcome !== 'none' || reason === 'ps unavailable' || reason === 'mission suspended')) return;
    if (granted && this.outcome === 'took_effect') return;
    this.outcome = granted ? 'took_effect' : 'refused';
    const event = granted ? 'token.auth_granted' : token === 'auth' ? 'token.auth_denied' : 'token.person_denied';
    this.ctx.truth.attack({
      kind: 'attack',
      attack: this.label(),
      attacker: this.agent,
      outcome: this.outcome,
      decider: granted ? null : by,
      reason: `${event}: ${granted ? 'accepted' : reason}`,
      visible: granted ? this.visibleWhenEffective() : 'log',
    });
  }

  /** The attack in words, stable for the attacker. */
  private label(): string {
    const attack = this.attack;
    if (attack?.kind === 'assert-mission') {
      if (attack.of === 'unapproved') return `${this.agent}: asserts a mission no PS approved`;
      if (attack.of === 'concurrent') return `${this.agent}: presents its other concurrent mission`;
      return `${this.agent}: asserts the mission of ${attack.of}`;
    }
    if (attack?.kind === 'replay-resource-token')
      return attack.of === 'self' ? `${this.agent}: replays its own resource tokens` : `${this.agent}: replays the resource token of ${attack.of}`;
    return `${this.agent}: attacks`;
  }

  /**
   * Whether the log alone shows the attack once it took effect. Another
   * agent's mission: the grant names this agent under a mission whose
   * mission.approved names another. A replay: two grants for one resource
   * token, or a grant for a token bound to another agent. The agent's own
   * other mission: the log is self-consistent, only the oracle knows.
   */
  private visibleWhenEffective(): 'log' | 'oracle' {
    return this.attack?.kind === 'assert-mission' && this.attack.of === 'concurrent' ? 'oracle' : 'log';
  }

  /** replay-resource-token of another agent: the last resource token it was seen carrying to its PS. */
  capturedResourceToken(): Token | undefined {
    if (this.attack?.kind !== 'replay-resource-token' || this.attack.of === 'self') return undefined;
    const captured = this.sightings?.resourceTokenOf(this.attack.of);
    if (captured) this.tellOracle();
    return captured;
  }

  /** replay-resource-token of itself: each resource token is presented twice. */
  replaysOwn(): boolean {
    const replays = this.attack?.kind === 'replay-resource-token' && this.attack.of === 'self';
    if (replays) this.tellOracle();
    return replays;
  }

  /** The attacker tells the oracle it is one (write-only: nothing comes back, no party reads it). */
  private tellOracle(): void {
    if (this.toldOracle) return;
    this.toldOracle = true;
    this.ctx.truth.adversary(this.agent);
  }
}
