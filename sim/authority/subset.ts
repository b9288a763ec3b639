import { evaluate, type CompiledEnvelope } from './cedar.ts';
import type { Envelope, OpFacts } from './envelope.ts';

/** Stands for "any resource" or "any stage" of a grant that names none: no enumerated list contains it. */
export const ANY = '*';
/** An argument a child leaves unbounded can take any value: test the largest. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export type SubsetAnswer = { subset: true } | { subset: false; reason: string };

/**
 * Whether everything the child grant permits, the parent grant permits
 * too, decided with Cedar: every grant is a box (class x actions x
 * resources x stages x upper bounds), so it suffices to evaluate the
 * parent's policies on the box's extreme corner for each discrete point
 * (resources and stages a grant leaves open become ANY, bounds it leaves
 * open become the largest value). Corners the child itself forbids (its own
 * exclusions) are skipped. The delegation bound may not grow either.
 */
export function isSubset(child: Envelope, childPolicies: CompiledEnvelope, parent: Envelope, parentPolicies: CompiledEnvelope): SubsetAnswer {
  if (child.maxDepth > parent.maxDepth) {
    return { subset: false, reason: `child delegation bound ${child.maxDepth} exceeds the parent's ${parent.maxDepth}` };
  }
  const attrs = [...new Set([...parent.grants, ...child.grants].flatMap((g) => g.bounds.map((b) => b.attr)))].sort();
  for (const grant of child.grants) {
    for (const action of grant.actions) {
      for (const resource of grant.resources ?? [ANY]) {
        for (const stage of grant.stages ?? [ANY]) {
          const args: Record<string, number> = {};
          for (const attr of attrs) args[attr] = grant.bounds.find((b) => b.attr === attr)?.max ?? UNBOUNDED;
          const corner: OpFacts = { resource, operation: action, class: grant.class, action, args, stage, depth: child.maxDepth };
          if (!evaluate(childPolicies, corner).allow) continue;
          const verdict = evaluate(parentPolicies, corner);
          if (!verdict.allow) {
            const where = resource === ANY ? 'any resource' : resource;
            return { subset: false, reason: `child grant ${grant.class}/${action} on ${where} exceeds the parent grant: ${verdict.reason}` };
          }
        }
      }
    }
  }
  return { subset: true };
}
