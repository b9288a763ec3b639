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
    if (this.attack?.kind !== 'assert-mission') return mine;
    let asserted: MissionHeader | undefined;
    if (this.attack.of === 'unapproved') asserted = { approver, s256: missionS256(`{"unapproved":"${this.agent}"}`) };
    else if (this.attack.of === 'concurrent') asserted = other;
    else asserted = this.sightings?.missionOf(this.attack.of);
    if (!asserted) return mine;
    this.tellOracle();
    return asserted;
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
