import type { Distribution } from '../engine/distribution.ts';
import type { Rng } from '../engine/random.ts';
import type { OpFacts } from '../authority/envelope.ts';
import type { CompiledPerson } from '../scenario/compile.ts';
import type { PersonDef } from '../scenario/schema.ts';
import type { ActorContext } from '../context/actor-context.ts';
import type { DeclaredIntentReader } from '../truth/intent-leak.ts';
import { Availability } from './availability.ts';
import type { PersonChannel } from './person-channel.ts';

/** A person: slow, only at work some hours, and the only one who can approve or end a mission. */
export class Person implements PersonChannel {
  private readonly approvalLatency: Distribution;
  private readonly rng: Rng;
  private readonly availability: Availability | undefined;
  readonly def: PersonDef;

  constructor(
    private readonly ctx: ActorContext,
    compiled: CompiledPerson,
    clockOrigin = '00:00',
    /** Only where the scenario's design declares the person answers by the intent (permission requests, the release gate). */
    private readonly intent: DeclaredIntentReader | undefined = undefined,
  ) {
    this.def = compiled.def;
    this.approvalLatency = compiled.approvalLatency;
    this.rng = ctx.stream(`person:${this.def.id}`);
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
   * (a `person.unavailable` event), then takes one human latency.
   */
  requestApproval(agent: string, answer: () => void, question = 'approve mission'): void {
    const now = this.ctx.sim.now;
    this.ctx.record('person.asked', null, `person:${this.id}`, { agent, question });
    const wait = this.availableAt(now) - now;
    if (wait > 0) this.ctx.record('person.unavailable', null, `person:${this.id}`, { agent, question, until: now + wait });
    this.ctx.sim.schedule(wait + this.approvalLatency.sample(this.rng), answer);
  }

  intends(agent: string, op: OpFacts): boolean {
    if (!this.intent) throw new Error(`person ${this.id} was asked what they meant, but the scenario's design does not declare that read (sim/truth/intent-leak.ts)`);
    return this.intent.intends(agent, op);
  }

  /** Draws a time for one of this person's actions from their own stream. */
  draw(distribution: Distribution): number {
    return distribution.sample(this.rng);
  }
}
