/**
 * The middle of the op line written last, from its mission's value to its
 * jti's closing quote (`"<mission>","actor":"<resource>","agent":"<agent>",
 * "op":"<op>","jti":"<jti>"`): where the audit writer's chunk holds it, and
 * the strings it was written from. A resource logs `op.queued` and
 * `op.started` of one operation back to back (nearly a third of a protocol
 * run's lines), so the second line's middle is the same bytes: the writer
 * copies them in one piece instead of encoding five strings again. The op
 * types' member names are the same (op-events.ts: agent, op, jti), and the
 * bytes come from the same strings, so a line is the same either way.
 */
export class OpLineMiddle {
  /** Where the middle starts in the chunk, or -1 when the chunk no longer holds it (written out since). */
  from = -1;
  /** Where it ends (after the jti's closing quote). */
  to = -1;
  private mission = '';
  private actor = '';
  private agent = '';
  private op = '';
  private jti = '';

  /** Whether an op line of these strings has this middle, still in the chunk. */
  repeats(mission: string, actor: string, agent: string, op: string, jti: string): boolean {
    return this.from >= 0 && jti === this.jti && mission === this.mission && agent === this.agent && op === this.op && actor === this.actor;
  }

  remember(from: number, to: number, mission: string, actor: string, agent: string, op: string, jti: string): void {
    this.from = from;
    this.to = to;
    this.mission = mission;
    this.actor = actor;
    this.agent = agent;
    this.op = op;
    this.jti = jti;
  }

  /** The chunk was written out: the middle is no longer there. */
  forget(): void {
    this.from = -1;
  }
}
