import { parseDistribution } from '../engine/distribution.ts';
import { parseDuration } from '../engine/duration.ts';
import { DEFAULT_WORK, type DependencyType, type SubGoalDef } from './orchestration-schema.ts';

/*
 * The graph of an orchestration's sub-goals: what the loader checks (a
 * plan that can never complete) and what the AOP world commits to
 * (sim/aop/plan.ts). Pure functions of the scenario section.
 */

export { DEFAULT_WORK };

/** One node of the sub-goal DAG. */
export interface PlanNode {
  id: string;
  parent: string | undefined;
  agent: string;
  dependsOn: ReadonlyArray<{ on: string; type: DependencyType }>;
  children: string[];
  deadlineUs: number | undefined;
  /** Expected work time (µs): the mean of its duration; 0 for a node with children. */
  expectedUs: number;
}

/** A change to the committed plan, made only by the GEC (gec.updateMissionPlan()). */
export interface PlanChange {
  sub_goal_id: string;
  change: 'PLAN_B_ACTIVATED' | 'NEW_EOD';
  ref: string;
}

/**
 * The timing graph of a plan: for each sub-goal a start and a finish event.
 * Edges say "this cannot happen before that": start -> finish (work),
 * SEQUENTIAL and CONDITIONAL: finish(on) -> start; PARALLEL: start(on) ->
 * start; decomposition: start(parent) -> start(child) and finish(child) ->
 * finish(parent). A cycle here is a plan that can never complete.
 */
interface TimingEdge {
  to: number;
  weight: number;
}

function timingGraph(nodes: readonly PlanNode[]): { edges: TimingEdge[][]; index: Map<string, number> } {
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const start = (id: string) => 2 * (index.get(id) as number);
  const finish = (id: string) => start(id) + 1;
  const edges: TimingEdge[][] = Array.from({ length: nodes.length * 2 }, () => []);
  for (const node of nodes) {
    edges[start(node.id)]!.push({ to: finish(node.id), weight: node.expectedUs });
    for (const dep of node.dependsOn) {
      if (!index.has(dep.on)) continue;
      const from = dep.type === 'PARALLEL' ? start(dep.on) : finish(dep.on);
      edges[from]!.push({ to: start(node.id), weight: 0 });
    }
    if (node.parent !== undefined && index.has(node.parent)) {
      edges[start(node.parent)]!.push({ to: start(node.id), weight: 0 });
      edges[finish(node.id)]!.push({ to: finish(node.parent), weight: 0 });
    }
  }
  return { edges, index };
}

/** A cycle through the plan as sub-goal ids (first = last), or undefined if it is acyclic. */
export function findCycle(nodes: readonly PlanNode[]): string[] | undefined {
  const { edges } = timingGraph(nodes);
  const state = new Uint8Array(edges.length); // 0 new, 1 on the stack, 2 done
  const stack: number[] = [];
  const visit = (v: number): number[] | undefined => {
    state[v] = 1;
    stack.push(v);
    for (const { to } of edges[v]!) {
      if (state[to] === 1) return [...stack.slice(stack.indexOf(to)), to];
      if (state[to] === 0) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state[v] = 2;
    return undefined;
  };
  for (let v = 0; v < edges.length; v++) {
    if (state[v] !== 0) continue;
    const cycle = visit(v);
    if (cycle) {
      const ids = cycle.map((event) => nodes[event >> 1]!.id);
      return ids.filter((id, i) => i === 0 || id !== ids[i - 1]);
    }
  }
  return undefined;
}

export interface CriticalPath {
  /** Sub-goals on the longest chain of expected work, in order. */
  path: string[];
  /** Its expected length (µs): the plan's expected makespan. */
  lengthUs: number;
  /** Expected finish (µs from mission open) per sub-goal. */
  expectedFinishUs: Map<string, number>;
}

/** Longest path over the timing graph (acyclic plans only). */
export function criticalPath(nodes: readonly PlanNode[]): CriticalPath {
  const { edges } = timingGraph(nodes);
  const indegree = new Array<number>(edges.length).fill(0);
  for (const out of edges) for (const { to } of out) indegree[to]!++;
  const earliest = new Array<number>(edges.length).fill(0);
  const via = new Array<number>(edges.length).fill(-1);
  const queue = indegree.flatMap((d, v) => (d === 0 ? [v] : []));
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const { to, weight } of edges[v]!) {
      const candidate = earliest[v]! + weight;
      if (via[to] === -1 || candidate > earliest[to]!) {
        earliest[to] = candidate;
        via[to] = v;
      }
      if (--indegree[to]! === 0) queue.push(to);
    }
  }
  if (queue.length < edges.length) throw new Error('critical path of a cyclic plan');
  let end = 0;
  for (let v = 1; v < edges.length; v++) if (earliest[v]! > earliest[end]!) end = v;
  const chain: string[] = [];
  for (let v = end; v !== -1; v = via[v]!) {
    chain.unshift(nodes[v >> 1]!.id);
  }
  const expectedFinishUs = new Map(nodes.map((node, i) => [node.id, earliest[2 * i + 1]!]));
  return { path: [...new Set(chain)], lengthUs: earliest[end] ?? 0, expectedFinishUs };
}

export function planNodes(defs: readonly SubGoalDef[]): PlanNode[] {
  const nodes = defs.map(
    (def): PlanNode => ({
      id: def.id,
      parent: def.parent,
      agent: def.agent,
      dependsOn: def.depends_on ?? [],
      children: [],
      deadlineUs: def.deadline === undefined ? undefined : parseDuration(def.deadline),
      expectedUs: Math.round(parseDistribution(def.duration ?? DEFAULT_WORK, 'duration').mean ?? 0),
    }),
  );
  const byId = new Map(nodes.map((node) => [node.id, node]));
  for (const node of nodes) if (node.parent !== undefined) byId.get(node.parent)?.children.push(node.id);
  for (const node of nodes) if (node.children.length > 0) node.expectedUs = 0;
  return nodes;
}
