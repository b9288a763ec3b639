import { sha256Canonical } from './ids.ts';
import type { SubGoalDef } from '../scenario/orchestration-schema.ts';
import { criticalPath, DEFAULT_WORK, findCycle, planNodes, type CriticalPath, type PlanChange, type PlanNode } from '../scenario/plan-graph.ts';

export { criticalPath, DEFAULT_WORK, findCycle, planNodes, type CriticalPath, type PlanChange, type PlanNode };

/**
 * The Mission Plan SO: the committed sub-goal DAG. The orchestrator cannot
 * change it; the GEC applies versioned updates (each re-validated and
 * hashed), so an auditor can tell the declared plan from the executed one.
 */
export class MissionPlan {
  readonly nodes: ReadonlyMap<string, PlanNode>;
  readonly critical: CriticalPath;
  private readonly changes: PlanChange[] = [];

  constructor(
    readonly id: string,
    defs: readonly SubGoalDef[],
  ) {
    const nodes = planNodes(defs);
    const cycle = findCycle(nodes);
    if (cycle) throw new Error(`the Mission Plan has a cycle: ${cycle.join(' -> ')}`);
    this.nodes = new Map(nodes.map((node) => [node.id, node]));
    this.critical = criticalPath(nodes);
  }

  get version(): number {
    return this.changes.length + 1;
  }

  has(subGoalId: string): boolean {
    return this.nodes.has(subGoalId);
  }

  node(subGoalId: string): PlanNode {
    const node = this.nodes.get(subGoalId);
    if (!node) throw new Error(`no sub-goal ${subGoalId} in the plan`);
    return node;
  }

  /** Ancestors of a sub-goal, nearest first. */
  ancestors(subGoalId: string): string[] {
    const out: string[] = [];
    for (let p = this.node(subGoalId).parent; p !== undefined; p = this.node(p).parent) out.push(p);
    return out;
  }

  /** SHA-256 of the plan as committed plus every update so far. */
  hash(): string {
    const structure = [...this.nodes.values()].map((n) => ({
      id: n.id,
      parent: n.parent ?? null,
      agent: n.agent,
      depends_on: n.dependsOn,
      deadline_us: n.deadlineUs ?? null,
    }));
    return sha256Canonical({ id: this.id, version: this.version, structure, changes: this.changes });
  }

  /** Applies one update: the sub-goal must be a node of the committed plan. Returns the new version. */
  update(change: PlanChange): number {
    this.node(change.sub_goal_id);
    this.changes.push(change);
    return this.version;
  }
}
