import type { PathSegment, ScenarioProblem } from './problems.ts';
import type { AgentDef, Scenario } from './schema.ts';
import { locate, type SourceMap } from './validate.ts';

/**
 * Seed 002's class in a scenario: which class each agent's runtimes name
 * (sim/protocol/mission-class.ts puts it on the wire), and the checks a
 * JSON Schema cannot make on `class`, `acts_under` and `class_check`.
 */

/** The class an agent's runtimes name: its own `class`, else (acts_under) the class of the agent it acts under, else its id. */
export function runtimeClass(def: AgentDef, agents: ReadonlyMap<string, AgentDef>): string {
  if (def.class !== undefined) return def.class;
  const target = def.acts_under === undefined ? undefined : agents.get(def.acts_under);
  // References were checked at load time (no chains of acts_under): one step is enough.
  return target ? (target.class ?? target.id) : def.id;
}

/** Problems with the class configuration of a scenario whose schema and ids are valid. */
export function checkClasses(scenario: Scenario, source: SourceMap): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const all = scenario.agents ?? [];
  const byId = new Map(all.map((agent) => [agent.id, agent]));
  if (scenario.class_check === true && scenario.profile === 'oauth') {
    problems.push(locate(source, ['class_check'], 'class_check only under a profile with missions (oauth has none to bind a class to)', 'profile oauth'));
  }
  // A class is the runtimes acting under one mission (or hop): two agents that each open one cannot share it.
  const owners = new Map<string, string>();
  all.forEach((agent, index) => {
    if (agent.token_cache !== undefined && agent.acts_under === undefined) {
      problems.push(
        locate(source, ['agents', index, 'token_cache'], 'acts_under beside it (only a runtime acting under another agent shares its tokens)', 'no acts_under'),
      );
    }
    if (agent.acts_under !== undefined) {
      checkActsUnder(agent, index, byId, source, problems);
      return;
    }
    const cls = agent.class ?? agent.id;
    const owner = owners.get(cls);
    if (owner !== undefined) {
      const path: PathSegment[] = ['agents', index, agent.class === undefined ? 'id' : 'class'];
      problems.push(
        locate(
          source,
          path,
          `a class no other mission or hop is bound to (a class is the runtimes acting under one mission; for another runtime of "${owner}", use acts_under: ${owner})`,
          `class "${cls}", already the class of agent "${owner}"`,
        ),
      );
    } else owners.set(cls, agent.id);
  });
  // A person acts on a mission: a runtime acting under another agent's has none of its own to act on.
  (scenario.interventions ?? []).forEach((intervention, index) => {
    const target = byId.get(intervention.agent)?.acts_under;
    if (target === undefined) return;
    problems.push(
      locate(
        source,
        ['interventions', index, 'agent'],
        `an agent with a mission of its own ("${intervention.agent}" acts under the mission of "${target}": name "${target}")`,
        `"${intervention.agent}"`,
      ),
    );
  });
  return problems;
}

/** A runtime acting under another agent's mission: that agent exists, opens a mission or hop itself, and lives at the same PS. */
function checkActsUnder(agent: AgentDef, index: number, byId: ReadonlyMap<string, AgentDef>, source: SourceMap, problems: ScenarioProblem[]): void {
  const path: PathSegment[] = ['agents', index, 'acts_under'];
  const target = byId.get(agent.acts_under as string);
  if (agent.mission !== undefined || agent.parent !== undefined) {
    problems.push(
      locate(
        source,
        ['agents', index],
        "acts_under instead of a mission or a parent (it acts under another agent's)",
        agent.mission ? 'a mission too' : 'a parent too',
      ),
    );
  }
  if (agent.authority_binding === 'runtime') {
    problems.push(
      locate(
        source,
        ['agents', index, 'authority_binding'],
        'class (a runtime acting under another agent has no mission or hop of its own to ask for again)',
        '"runtime"',
      ),
    );
  }
  if (!target) {
    problems.push(locate(source, path, `the id of an agent (${[...byId.keys()].join(', ')})`, `unknown agent "${agent.acts_under}"`));
    return;
  }
  if (target.id === agent.id) problems.push(locate(source, path, 'another agent', 'itself'));
  else if (target.acts_under !== undefined) {
    problems.push(locate(source, path, 'an agent with a mission or a parent of its own', `"${target.id}", itself acting under "${target.acts_under}"`));
  }
  if (target.ps !== agent.ps) {
    problems.push(locate(source, ['agents', index, 'ps'], `"${target.ps}", the Person Server of "${target.id}" (its mission is there)`, `"${agent.ps}"`));
  }
}
