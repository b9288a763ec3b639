import type { Rng } from '../engine/random.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { MissionRecord } from '../protocol/mission-record.ts';
import type { Profile } from '../protocol/profiles.ts';
import type { RevocationTarget } from '../protocol/revocation-target.ts';
import type { Token } from '../protocol/tokens.ts';
import { sendCancellation } from './compensation.ts';
import type { Reproposals } from './reproposal.ts';
import { isEnded, R11_REASON, type EndState } from './states.ts';

/** What the endings need of the Person Server's books: its own mission records and delegation tree. */
export interface MissionBook {
  get(agent: string): MissionRecord | undefined;
  /** The minted sub-agents under a root agent, in the order they were minted. */
  descendants(root: string): string[];
}

/**
 * How a Person Server ends, pauses and resumes its missions, and what each
 * means downstream (sim/lifecycle/states.ts): termination revokes
 * outstanding tokens (terminated-policy recalls their work too), completion
 * lets work drain, cancellation recalls and rolls back, a time-out issues
 * no more tokens; suspension holds work at the resources (mission-authority),
 * stops only new tokens (m0), or terminates for a re-proposal on resume
 * (terminate-only profiles). The Person Server keeps the missions; this is
 * what happens to them.
 */
export class MissionEndings {
  constructor(
    private readonly ctx: ActorContext,
    private readonly actor: string,
    private readonly profile: Profile,
    /** The PS's own missions: the record of an agent's own mission. */
    private readonly missions: MissionBook,
    private readonly resources: ReadonlyMap<string, RevocationTarget>,
    private readonly revocations: { revokeMission(record: MissionRecord, live: Token[], recallAll: boolean): void },
    private readonly reproposals: Reproposals,
    /** The PS's revocation stream: notices of suspension and cancellation travel like revocations. */
    private readonly rng: Rng,
  ) {}

  /** The person ends the mission: no more tokens; revocation calls for outstanding ones. */
  terminate(agent: string, reason: string, policy = false): void {
    const record = this.missions.get(agent);
    if (!record || isEnded(record.state)) return;
    record.state = 'terminated';
    record.terminatedAt = this.ctx.sim.now;
    record.terminationReason = reason;
    this.ctx.record('mission.terminated', record.s256, this.actor, { agent, reason });
    this.ctx.outcomes.terminated(agent, this.ctx.sim.now);
    // Sub-agents act under the same mission: their work after this counts against the same window.
    for (const child of this.missions.descendants(agent)) this.ctx.outcomes.terminated(child, this.ctx.sim.now);
    const now = this.ctx.sim.now;
    // Tokens whose work is parked (mission-authority) are revoked even if expired: the parked work must be dropped.
    const held = new Set(record.heldTokens ?? []);
    const live = record.outstanding.all().filter((token) => token.exp > now || held.has(token));
    record.heldTokens = undefined;
    record.outstanding.clear();
    // terminated-policy (mission-authority): issued tokens are invalid now, so work already queued or in service under them is recalled too.
    const recallAll = policy && this.profile.policyRecall;
    this.revocations.revokeMission(record, live, recallAll);
    if (record.s256 !== null) this.ctx.sealMission(record.s256, this.actor);
  }

  /**
   * An alarm or a policy ends the mission. Under mission-authority this is
   * seed 000's terminated-policy (tokens invalid now, work recalled);
   * elsewhere it is an ordinary administrative termination.
   */
  terminateForPolicy(agent: string): void {
    this.terminate(agent, this.profile.policyRecall ? 'terminated-policy' : 'administrative', true);
  }

  /**
   * The person (or the plan's end) completes the mission. mission-authority:
   * no new tokens, but nothing is revoked: outstanding work drains.
   */
  complete(agent: string, by: 'person' | 'plan'): void {
    const record = this.missions.get(agent);
    if (!record || record.state === 'pending' || isEnded(record.state)) return;
    if (!this.profile.richEndings) return this.terminate(agent, R11_REASON.completed);
    const wasSuspended = record.state === 'suspended';
    record.state = 'completed';
    this.ctx.record('mission.completed', record.s256, this.actor, { agent, by });
    // Parked work drains too: completion is not a reason to drop it.
    if (wasSuspended) this.notifySuspension(record, false);
    if (record.s256 !== null) this.ctx.sealMission(record.s256, this.actor);
  }

  /**
   * The person cancels the mission. mission-authority: every resource that
   * accepted a token of the mission hears of it (revocation latency), recalls
   * all work under those tokens and rolls back what already executed there
   * (sim/lifecycle/compensation.ts).
   */
  cancel(agent: string): void {
    const record = this.missions.get(agent);
    if (!record || record.state === 'pending' || isEnded(record.state)) return;
    if (!this.profile.richEndings) return this.terminate(agent, R11_REASON.cancelled);
    this.markEnded(record, 'cancelled');
    this.ctx.record('mission.cancelled', record.s256, this.actor, { agent });
    if (record.s256 !== null) sendCancellation(this.ctx, this.rng, this.resources, record.s256, [...record.outstanding.all(), ...(record.heldTokens ?? [])]);
    record.outstanding.clear();
    record.heldTokens = undefined;
    if (record.s256 !== null) this.ctx.sealMission(record.s256, this.actor);
  }

  /** mission-authority: expires_at passes. No new tokens; tokens inside their window may finish (none outlives expires_at). */
  timeOut(record: MissionRecord): void {
    if (record.state !== 'active' && record.state !== 'suspended') return;
    const wasSuspended = record.state === 'suspended';
    this.markEnded(record, 'timed-out');
    this.ctx.record('mission.timed_out', record.s256, this.actor, { agent: record.agent, expires_at: record.expiresAt as number });
    if (wasSuspended) this.notifySuspension(record, false);
    if (record.s256 !== null) this.ctx.sealMission(record.s256, this.actor);
  }

  /** An ending that stops the mission's work (not completion): later executions count against the revocation window. */
  private markEnded(record: MissionRecord, state: EndState): void {
    record.state = state;
    record.terminatedAt = this.ctx.sim.now;
    this.ctx.outcomes.terminated(record.agent, this.ctx.sim.now);
    for (const child of this.missions.descendants(record.agent)) this.ctx.outcomes.terminated(child, this.ctx.sim.now);
  }

  suspend(agent: string): void {
    const record = this.missions.get(agent);
    if (!record || record.state !== 'active') return;
    if (!this.profile.suspendable) {
      // r01/r11 have no suspend: a pause means terminating, and proposing again when the person resumes.
      this.terminate(agent, 'administrative');
      this.reproposals.paused(agent);
      return;
    }
    record.state = 'suspended';
    this.ctx.record('mission.suspended', record.s256, this.actor, { agent });
    this.notifySuspension(record, true);
  }

  /**
   * mission-authority: tell every resource holding a live token of the
   * mission that it is suspended (or resumed), over the revocation channel's
   * latency. Tokens stay valid: the resources park work under them.
   */
  private notifySuspension(record: MissionRecord, suspended: boolean): void {
    if (!this.profile.suspendHolds) return;
    const now = this.ctx.sim.now;
    // On resume every token told of the suspension hears of it again, expired or not: work parked under it must not wait forever.
    const tokens = suspended ? record.outstanding.unexpired(now) : (record.heldTokens ?? []);
    record.heldTokens = suspended ? tokens : undefined;
    for (const token of tokens) {
      const resource = this.resources.get(token.aud ?? '');
      if (!resource) continue;
      this.ctx.sim.schedule(resource.revocation.latency.sample(this.rng), () => resource.receiveSuspension(token, suspended));
    }
  }

  /** The person resumes the mission. Terminate-only profiles: true if that invited the agent to re-propose after a pause (the PS tells it so only if it can push: aauth-latest). */
  resume(agent: string): boolean {
    const record = this.missions.get(agent);
    if (record && !this.profile.suspendable) return this.reproposals.invite(agent);
    if (!record || record.state !== 'suspended') return false;
    record.state = 'active';
    this.ctx.record('mission.resumed', record.s256, this.actor, { agent });
    this.notifySuspension(record, false);
    return false;
  }
}
