import { parseDistribution, type Distribution } from '../engine/distribution.ts';
import type { Rng } from '../engine/random.ts';
import type { PersonDef } from '../scenario/schema.ts';
import type { WorldContext } from '../world/context.ts';

/** A person: slow, and the only one who can approve or end a mission. */
export class Person {
  private readonly approvalLatency: Distribution;
  private readonly rng: Rng;

  constructor(
    private readonly ctx: WorldContext,
    readonly def: PersonDef,
  ) {
    this.approvalLatency = parseDistribution(def.approval_latency ?? 'lognormal(1m, 1)', 'duration');
    this.rng = ctx.stream(`person:${def.id}`);
  }

  get id(): string {
    return this.def.id;
  }

  /** Asks the person to approve; `answer` runs when they have read and approved it. */
  requestApproval(agent: string, answer: () => void, question = 'approve mission'): void {
    this.ctx.record('person.asked', null, `person:${this.id}`, { agent, question });
    this.ctx.sim.schedule(this.approvalLatency.sample(this.rng), answer);
  }

  /** Draws a time for one of this person's actions from their own stream. */
  draw(distribution: Distribution): number {
    return distribution.sample(this.rng);
  }
}
