import { outsideReason, type Envelope, type OpFacts } from './envelope.ts';

/** How close an operation is to a grant, as a reader of the prose would perceive it. */
export type Closeness = 'inside' | 'near' | 'far';

/**
 * The operation taxonomy a prose interpreter confuses: which resource
 * classes read as related (`vendors` ~ `procurement` ~ `finance` ~
 * `payments`). Symmetric, built from the scenario's `authority.taxonomy`.
 */
export class Taxonomy {
  private readonly related = new Map<string, Set<string>>();

  constructor(definition: Readonly<Record<string, readonly string[]>> = {}) {
    for (const key of Object.keys(definition).sort()) {
      for (const other of definition[key] ?? []) {
        this.link(key, other);
        this.link(other, key);
      }
    }
  }

  private link(a: string, b: string): void {
    let set = this.related.get(a);
    if (!set) {
      set = new Set();
      this.related.set(a, set);
    }
    set.add(b);
  }

  areRelated(a: string, b: string): boolean {
    return a === b || (this.related.get(a)?.has(b) ?? false);
  }

  /**
   * Inside the grant; near it (a class it names or one related to it, with
   * a bound, stage, resource, exclusion or depth the prose does not make
   * checkable); or far from anything it says.
   */
  closeness(grant: Envelope, op: OpFacts): Closeness {
    if (outsideReason(grant, op) === null) return 'inside';
    return grant.grants.some((g) => this.areRelated(g.class, op.class)) ? 'near' : 'far';
  }
}
