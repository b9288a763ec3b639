import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelegationTree, type Hop } from '../../../sim/protocol/delegation-tree.ts';

const GRANT = { grants: [], exclusions: [], maxDepth: 0 };

function hop(agent: string, root: string, depth: number): Hop {
  return { agent, root, depth, grant: GRANT, grantId: `${agent}/grant`, chain: [] };
}

/** What a sequence may do to the tree: open a root's mission (again), or mint a hop (an agent may be minted after it was a root, or a root minted into its own tree). */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('root' as const), agent: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    kind: fc.constant('mint' as const),
    agent: fc.integer({ min: 0, max: 7 }),
    root: fc.integer({ min: 0, max: 7 }),
    depth: fc.integer({ min: 1, max: 4 }),
  }),
);

describe('DelegationTree', () => {
  it('answers as one map of every hop would: the hop, the depth, and the descendants in the order agents first got a hop', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const tree = new DelegationTree();
        const all = new Map<string, Hop>(); // the reference: every hop in one map, as the desk kept them before
        for (const step of steps) {
          const agent = `a${step.agent}`;
          const next = step.kind === 'root' ? hop(agent, agent, 0) : hop(agent, `a${step.root}`, step.depth);
          if (step.kind === 'root') tree.openRoot(next);
          else tree.addMinted(next);
          all.set(agent, next);
        }
        for (let i = 0; i < 8; i++) {
          const agent = `a${i}`;
          expect(tree.get(agent)).toBe(all.get(agent));
          expect(tree.depth(agent)).toBe(all.get(agent)?.depth ?? 0);
          const descendants = [...all.values()].filter((h) => h.root === agent && h.agent !== agent).map((h) => h.agent);
          expect(tree.descendants(agent)).toEqual(descendants);
        }
      }),
      {
        numRuns: 500,
        // Always tried (found by a review: random runs reach them only after tens or hundreds): a root
        // minted again after being made a root (the reordered walk), and a minted agent made a root (its depth back to 0).
        examples: [
          [
            [
              { kind: 'root', agent: 0 },
              { kind: 'mint', agent: 2, root: 0, depth: 1 },
              { kind: 'mint', agent: 1, root: 0, depth: 1 },
              { kind: 'root', agent: 1 },
              { kind: 'mint', agent: 1, root: 0, depth: 2 },
            ],
          ],
          [
            [
              { kind: 'root', agent: 0 },
              { kind: 'mint', agent: 1, root: 0, depth: 1 },
              { kind: 'root', agent: 1 },
            ],
          ],
        ],
      },
    );
  });
});
