import type { PathSegment, ScenarioProblem } from './problems.ts';
import type { Scenario } from './schema.ts';
import { locate, type SourceMap } from './validate.ts';
import { findCycle, planNodes } from './plan-graph.ts';

const list = (ids: Iterable<string>) => {
  const all = [...ids];
  return all.length === 0 ? 'none defined' : all.join(', ');
};

/**
 * What the schema cannot check in an `orchestration:` section: ids are
 * unique, every reference names something that exists, the sub-goals form
 * a tree under the orchestrator, and the plan is acyclic (a cycle is named
 * by its path). Scope violations are deliberately not refused here: they
 * are what the GEC refuses at run time, and the attack scenarios rely on it.
 */
export function checkOrchestration(scenario: Scenario, source: SourceMap): ScenarioProblem[] {
  const def = scenario.orchestration;
  if (!def) return [];
  const problems: ScenarioProblem[] = [];
  const at = (...path: PathSegment[]): PathSegment[] => ['orchestration', ...path];
  const people = new Set((scenario.people ?? []).map((p) => p.id));
  const known = (path: PathSegment[], ids: Set<string>, id: string, what: string) => {
    if (!ids.has(id)) problems.push(locate(source, path, `the id of a ${what} (${list(ids)})`, `unknown ${what} "${id}"`));
  };
  known(at('principal'), people, def.principal, 'person');
  if (def.person_server !== undefined)
    known(at('person_server'), new Set((scenario.topology.person_servers ?? []).map((ps) => ps.id)), def.person_server, 'Person Server');

  const goals = new Set<string>();
  const agents = new Set<string>([def.orchestrator.id]);
  def.sub_goals.forEach((goal, i) => {
    if (goals.has(goal.id)) problems.push(locate(source, at('sub_goals', i, 'id'), 'a sub-goal id not used before', `duplicate id "${goal.id}"`));
    if (agents.has(goal.agent))
      problems.push(
        locate(
          source,
          at('sub_goals', i, 'agent'),
          'an agent id not used before (one sub-agent per sub-goal, distinct from the orchestrator)',
          `duplicate agent "${goal.agent}"`,
        ),
      );
    goals.add(goal.id);
    agents.add(goal.agent);
  });
  def.sub_goals.forEach((goal, i) => {
    if (goal.parent !== undefined) {
      known(at('sub_goals', i, 'parent'), goals, goal.parent, 'sub-goal');
      if (goal.parent === goal.id) problems.push(locate(source, at('sub_goals', i, 'parent'), 'another sub-goal', 'itself'));
    }
    (goal.depends_on ?? []).forEach((dep, j) => {
      known(at('sub_goals', i, 'depends_on', j, 'on'), goals, dep.on, 'sub-goal');
      if (dep.on === goal.id) problems.push(locate(source, at('sub_goals', i, 'depends_on', j, 'on'), 'another sub-goal', 'a dependency on itself'));
    });
    if (goal.approval_gate) {
      known(at('sub_goals', i, 'approval_gate', 'approver'), people, goal.approval_gate.approver, 'person');
      goal.approval_gate.of.forEach((other, j) => known(at('sub_goals', i, 'approval_gate', 'of', j), goals, other, 'sub-goal'));
    }
    (goal.eod.plan_b ?? []).forEach((planB, j) => known(at('sub_goals', i, 'eod', 'plan_b', j, 'replaces'), goals, planB.replaces, 'sub-goal'));
  });
  (def.eod.plan_b ?? []).forEach((planB, j) => known(at('eod', 'plan_b', j, 'replaces'), goals, planB.replaces, 'sub-goal'));
  const planBs = new Set([...(def.eod.plan_b ?? []), ...def.sub_goals.flatMap((g) => g.eod.plan_b ?? [])].map((p) => p.id));

  (def.attacks ?? []).forEach((attack, i) => {
    const needs = (field: keyof typeof attack) => {
      if (attack[field] === undefined)
        problems.push(locate(source, at('attacks', i), `a field "${field}" for a ${attack.kind} attack`, 'no such field', at('attacks', i, field)));
    };
    if (attack.kind === 'spawn') {
      needs('by');
      needs('scope');
      if (attack.by !== undefined) known(at('attacks', i, 'by'), agents, attack.by, 'agent');
    } else if (attack.kind === 'status_write') {
      needs('by');
      needs('sub_goal');
      if (attack.by !== undefined) known(at('attacks', i, 'by'), agents, attack.by, 'agent');
      if (attack.sub_goal !== undefined) known(at('attacks', i, 'sub_goal'), goals, attack.sub_goal, 'sub-goal');
    } else if (attack.kind === 'direct_message') {
      needs('by');
      needs('to');
      if (attack.by !== undefined) known(at('attacks', i, 'by'), agents, attack.by, 'agent');
      if (attack.to !== undefined) known(at('attacks', i, 'to'), agents, attack.to, 'agent');
    } else {
      needs('plan_b');
      needs(attack.kind === 'spo_tamper' ? 'spo' : 'spo_ref');
      if (attack.plan_b !== undefined) known(at('attacks', i, 'plan_b'), planBs, attack.plan_b, 'Plan B');
    }
  });

  (def.revocations ?? []).forEach((revocation, i) => known(at('revocations', i, 'agent'), agents, revocation.agent, 'agent'));

  // Only a plan whose references all resolve can be checked for cycles.
  if (problems.length === 0) {
    const cycle = findCycle(planNodes(def.sub_goals));
    if (cycle) {
      const index = def.sub_goals.findIndex((g) => g.id === cycle[0]);
      problems.push(locate(source, at('sub_goals', index), 'an acyclic Mission Plan', `a cycle ${cycle.join(' -> ')}`));
    }
  }
  return problems;
}
