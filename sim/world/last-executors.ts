/**
 * The world's guess, per mission, of the agent that executed under it last:
 * the world record to tell `WorldAgents.expect` before the oracle files the
 * next executed operation under the same mission (docs/benchmarks/worldrecord.md).
 *
 * Kept by the world, indexed by the mission's block number (MissionBlock
 * `number`, dense from 0), and not on the block itself: the block is also
 * the resource's mission-log handle, and a party's handle should carry
 * nothing of the world's. An array rather than a map by mission id: the
 * number finds its slot without hashing a string, and the slots of the
 * missions that are active now sit together (8 bytes each).
 */
export class LastExecutors<R> {
  private readonly byBlock: Array<R | undefined> = [];

  /** The record kept for the block, if any. */
  of(block: number): R | undefined {
    return this.byBlock[block];
  }

  keep(block: number, record: R | undefined): void {
    const slots = this.byBlock;
    // Filled in order, never with a hole: an array written past its end (a hole) can turn into a slower dictionary.
    while (slots.length < block) slots.push(undefined);
    slots[block] = record;
  }
}
