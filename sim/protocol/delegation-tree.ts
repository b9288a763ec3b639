import type { Envelope } from '../authority/envelope.ts';

/** One agent's place in a mission's delegation tree, and the grant in force for it. */
export interface Hop {
  agent: string;
  root: string;
  depth: number;
  grant: Envelope;
  grantId: string;
  /** Grants from the root down to this hop (at-evaluation checks them all). */
  chain: ReadonlyArray<{ grant: Envelope; grantId: string }>;
}

/**
 * The hops a Person Server opened (a root agent's, depth 0) or minted (a
 * sub-agent's, depth 1 and more): its own record of every delegation tree.
 * In a large world nearly every agent is a root, so the minted hops are
 * also kept apart: the depth a resource asks about for each operation it
 * executes, and a mission's descendants when it ends, are looked up among
 * the sub-agents only, not among every agent this PS serves.
 */
export class DelegationTree {
  private readonly hops = new Map<string, Hop>();
  /** The agents whose hop is a minted one, with its depth, in the order they were first minted. */
  private readonly minted = new Map<string, number>();
  /**
   * Whether `minted`'s order may differ from `hops`' (an agent minted after
   * it had a root hop, or minted again after one): `descendants` then walks
   * every hop, so their order stays the order agents first got a hop.
   */
  private reordered = false;

  get(agent: string): Hop | undefined {
    return this.hops.get(agent);
  }

  /** The agent's delegation depth: 0 for a root agent or one this PS never minted. */
  depth(agent: string): number {
    return this.minted.size === 0 ? 0 : (this.minted.get(agent) ?? 0);
  }

  /** A root agent's hop (its mission opened, or opened again). */
  openRoot(hop: Hop): void {
    this.hops.set(hop.agent, hop);
    this.minted.delete(hop.agent);
  }

  /** A sub-agent's hop, minted under its parent's. */
  addMinted(hop: Hop): void {
    if (!this.minted.has(hop.agent) && this.hops.has(hop.agent)) this.reordered = true;
    this.hops.set(hop.agent, hop);
    this.minted.set(hop.agent, hop.depth);
  }

  /** The minted sub-agents under a root agent, in the order they first got a hop. */
  descendants(root: string): string[] {
    if (this.reordered) return [...this.hops.values()].filter((hop) => hop.root === root && hop.agent !== root).map((hop) => hop.agent);
    const found: string[] = [];
    for (const agent of this.minted.keys()) if (agent !== root && (this.hops.get(agent) as Hop).root === root) found.push(agent);
    return found;
  }
}
