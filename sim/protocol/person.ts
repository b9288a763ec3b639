import type { Distribution } from '../engine/distribution.ts';
import type { Rng } from '../engine/random.ts';
import type { CompiledPerson } from '../scenario/compile.ts';
import type { PersonDef } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import { Availability } from './availability.ts';
import type { PersonChannel, PersonQuestion } from './person-channel.ts';

/**
 * A person: slow, only at work some hours, and the only one who can approve
 * or end a mission. They see the request and the mission they approved,
 * never the oracle's intent: they approve what does not look covered at
 * `off_mission_approval`, refuse what does at `on_mission_refusal`, refuse
 * a proposed mission at `mission_refusal`, and answer slower the more
 * questions are already waiting for them (`fatigue`).
 */
export class Person implements PersonChannel {
  private readonly approvalLatency: Distribution;
  private readonly rng: Rng;
  /** Their judgement's own stream, apart from their latencies: a decision never shifts a latency draw. */
  private readonly judgement: Rng;
  private readonly availability: Availability | undefined;
  /** Questions asked and not yet answered. */
  private pending = 0;
  readonly def: PersonDef;

  constructor(
    private readonly ctx: ActorContext,
    compiled: CompiledPerson,
    clockOrigin = '00:00',
  ) {
    this.def = compiled.def;
    this.approvalLatency = compiled.approvalLatency;
    this.rng = ctx.stream(`person:${this.def.id}`);
    this.judgement = ctx.stream(`person:${this.def.id}/judgement`);
    const hours = this.def.availability;
    this.availability = hours ? new Availability(hours.hours, hours.days ?? 'mon-sun', clockOrigin) : undefined;
  }

  get id(): string {
    return this.def.id;
  }

  /** The first instant at or after now when the person is at work (now, without working hours). */
  availableAt(now: number): number {
    return this.availability ? this.availability.nextAvailable(now) : now;
  }

  /**
   * Asks the person; `answer` runs when they have read and answered it.
   * Outside working hours the question waits for the next start of hours
   * (a `person.unavailable` event), then takes one human latency, longer by
   * `fatigue` for each question already waiting.
   */
  requestApproval(agent: string, answer: () => void, question = 'approve mission'): void {
    const now = this.ctx.sim.now;
    this.ctx.record('person.asked', null, `person:${this.id}`, { agent, question });
    const wait = this.availableAt(now) - now;
    if (wait > 0) this.ctx.record('person.unavailable', null, `person:${this.id}`, { agent, question, until: now + wait });
    const fatigue = this.def.fatigue ?? 0;
    const latency = this.approvalLatency.sample(this.rng);
    // Without fatigue the latency is the sample itself (no float product), so existing logs stay identical.
    const slowed = fatigue === 0 ? latency : Math.round(latency * (1 + fatigue * this.pending));
    this.pending++;
    this.ctx.sim.schedule(wait + slowed, () => {
      this.pending--;
      answer();
    });
  }

  decide(request: PersonQuestion, answer: (yes: boolean) => void): void {
    this.requestApproval(
      request.agent,
      () => {
        const draw = this.judgement();
        answer(request.covered ? draw >= (this.def.on_mission_refusal ?? 0) : draw < (this.def.off_mission_approval ?? 0));
      },
      request.question,
    );
  }

  decideMission(agent: string, answer: (yes: boolean) => void): void {
    this.requestApproval(agent, () => answer(this.judgement() >= (this.def.mission_refusal ?? 0)));
  }

  /** The missions this person was told of, by the handle they were proposed under: the s256 they name each by. */
  private readonly missions = new Map<string, string | null>();

  missionApproved(handle: string, s256: string | null): void {
    this.missions.set(handle, s256);
  }

  /** The mission of `handle` as this person was told it (a later approval, a re-proposal's, replaces it); undefined if never told. */
  missionKnown(handle: string): { s256: string | null } | undefined {
    return this.missions.has(handle) ? { s256: this.missions.get(handle) as string | null } : undefined;
  }

  /** Draws a time for one of this person's actions from their own stream. */
  draw(distribution: Distribution): number {
    return distribution.sample(this.rng);
  }
}
