import { parseDistribution } from '../engine/distribution.ts';
import { checkOrchestration } from './orchestration-references.ts';
import { parseDuration } from '../engine/duration.ts';
import { parseHours } from './working-hours.ts';
import { nearestMatch } from './near-match.ts';
import type { PathSegment, ScenarioProblem } from './problems.ts';
import { MISSION_UPDATE_PROFILES, ONE_LEVEL_SUB_AGENTS, type IntentDef, type Scenario } from './schema.ts';
import { locate, type SourceMap } from './validate.ts';
import { checkClasses } from './agent-classes.ts';

/**
 * Checks what a JSON Schema cannot: ids are unique and every reference names
 * something that exists. Runs only on documents that passed the schema.
 */
export function checkReferences(scenario: Scenario, source: SourceMap): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const resourceIds = uniqueIds(scenario.topology.resources, ['topology', 'resources'], source, problems);
  uniqueIds(scenario.workload ?? [], ['workload'], source, problems);
  (scenario.workload ?? []).forEach((stream, index) => {
    if (!resourceIds.has(stream.resource)) {
      problems.push(locate(source, ['workload', index, 'resource'], `the id of a resource (${list(resourceIds)})`, `unknown resource "${stream.resource}"`));
    }
  });
  checkPositiveDurations(scenario, source, problems);
  checkProtocol(scenario, resourceIds, source, problems);
  checkBudgets(scenario, source, problems);
  if (scenario.monitor?.cusum !== undefined && scenario.monitor.detector !== 'cusum') {
    // Settings that would be silently ignored are a mistake worth naming.
    problems.push(
      locate(source, ['monitor', 'cusum'], 'cusum settings only with monitor.detector: cusum', `detector ${scenario.monitor.detector ?? 'window'}`),
    );
  }
  problems.push(...checkOrchestration(scenario, source));
  problems.push(...checkClasses(scenario, source));
  return problems;
}

/**
 * A Person Server's mission budget must limit something, on an argument some
 * call passes: a budget on an argument nothing carries would enforce nothing,
 * silently.
 */
function checkBudgets(scenario: Scenario, source: SourceMap, problems: ScenarioProblem[]): void {
  const passed = new Set<string>();
  for (const agent of scenario.agents ?? []) for (const step of agent.plan ?? []) for (const arg of Object.keys(step.args ?? {})) passed.add(arg);
  for (const resource of scenario.topology.resources)
    for (const op of resource.operations ?? []) for (const call of op.calls ?? []) for (const arg of Object.keys(call.args ?? {})) passed.add(arg);
  (scenario.topology.person_servers ?? []).forEach((ps, index) => {
    const path: PathSegment[] = ['topology', 'person_servers', index, 'budget'];
    if (ps.budget === undefined) return;
    if (ps.budget.sum === undefined && ps.budget.distinct === undefined) {
      problems.push(locate(source, path, 'at least one of sum and distinct', 'neither'));
    }
    for (const kind of ['sum', 'distinct'] as const) {
      const arg = ps.budget[kind]?.arg;
      if (arg !== undefined && !passed.has(arg)) {
        const near = nearestMatch(arg, passed);
        const args = [...passed].sort();
        problems.push(
          locate(
            source,
            [...path, kind, 'arg'],
            `an argument some call passes (${args.length > 0 ? args.join(', ') : 'no call passes any'})`,
            `${JSON.stringify(arg)}${near ? ` (did you mean ${near}?)` : ''}`,
          ),
        );
      }
    }
  });
}

function checkPositiveDurations(scenario: Scenario, source: SourceMap, problems: ScenarioProblem[]): void {
  const positive = (value: string | undefined, path: PathSegment[], what: string) => {
    if (value !== undefined && parseDuration(value) <= 0) problems.push(locate(source, path, `${what} greater than 0s`, JSON.stringify(value)));
  };
  positive(scenario.duration, ['duration'], 'a horizon');
  // Every sample of a distribution is >= 0, so a mean of 0 means every arrival
  // comes at once: the stream would never let simulated time advance.
  (scenario.workload ?? []).forEach((stream, index) => {
    if (parseDistribution(stream.interarrival, 'duration').mean === 0) {
      problems.push(
        locate(
          source,
          ['workload', index, 'interarrival'],
          'a time between arrivals that can be above 0s (with only 0s the stream never leaves t = 0)',
          JSON.stringify(stream.interarrival),
        ),
      );
    }
  });
  for (const key of ['agent_ttl', 'resource_ttl', 'auth_ttl', 'person_ttl'] as const) {
    positive(scenario.tokens?.[key], ['tokens', key], 'a token lifetime');
  }
  // Waits before asking again: at 0s an agent would ask again at the same instant, forever.
  (scenario.topology.person_servers ?? []).forEach((ps, index) =>
    positive(ps.poll_interval, ['topology', 'person_servers', index, 'poll_interval'], 'a polling interval'),
  );
  scenario.topology.resources.forEach((resource, index) =>
    positive(resource.revocation?.retry_after, ['topology', 'resources', index, 'revocation', 'retry_after'], 'a Retry-After'),
  );
}

function checkProtocol(scenario: Scenario, resourceIds: Set<string>, source: SourceMap, problems: ScenarioProblem[]): void {
  const people = uniqueIds(scenario.people ?? [], ['people'], source, problems);
  const servers = uniqueIds(scenario.topology.person_servers ?? [], ['topology', 'person_servers'], source, problems);
  (scenario.people ?? []).forEach((person, index) => {
    const hours = person.availability?.hours;
    if (hours === undefined) return;
    const { start, end } = parseHours(hours);
    if (start >= end)
      problems.push(locate(source, ['people', index, 'availability', 'hours'], 'HH:MM-HH:MM with the start before the end', JSON.stringify(hours)));
  });
  const agents = uniqueIds(scenario.agents ?? [], ['agents'], source, problems);
  const accessServers = uniqueIds(scenario.topology.access_servers ?? [], ['topology', 'access_servers'], source, problems);
  const operations = new Map(scenario.topology.resources.map((r) => [r.id, r.operations?.map((o) => o.name)]));
  const known = (path: PathSegment[], ids: Set<string>, id: string, what: string) => {
    if (!ids.has(id)) problems.push(locate(source, path, `the id of a ${what} (${list(ids)})`, `unknown ${what} "${id}"`));
  };
  const knownOperation = (path: PathSegment[], ref: string) => {
    const [resource = '', operation = ''] = ref.split('/');
    if (!resourceIds.has(resource)) {
      problems.push(locate(source, path, `resource/operation with a known resource (${list(resourceIds)})`, `unknown resource "${resource}"`));
      return;
    }
    const names = operations.get(resource);
    if (names && !names.includes(operation)) {
      problems.push(locate(source, path, `an operation of ${resource} (${list(names)})`, `unknown operation "${operation}"`));
    }
  };
  scenario.topology.resources.forEach((resource, index) => {
    resource.operations?.forEach((op, o) =>
      op.calls?.forEach((call, c) => knownOperation(['topology', 'resources', index, 'operations', o, 'calls', c, 'op'], call.op)),
    );
    if (resource.access_server !== undefined) {
      known(['topology', 'resources', index, 'access_server'], accessServers, resource.access_server, 'Access Server');
    }
  });
  (scenario.topology.person_servers ?? []).forEach((ps, index) =>
    ps.administrators?.forEach((id, a) => known(['topology', 'person_servers', index, 'administrators', a], people, id, 'person')),
  );
  (scenario.agents ?? []).forEach((agent, index) => {
    known(['agents', index, 'person'], people, agent.person, 'person');
    known(['agents', index, 'ps'], servers, agent.ps, 'Person Server');
    // A runtime acting under another agent's mission has neither (sim/scenario/agent-classes.ts checks it).
    if (agent.acts_under === undefined && (agent.mission === undefined) === (agent.parent === undefined)) {
      problems.push(locate(source, ['agents', index], 'either a mission (a root agent) or a parent (a sub-agent)', agent.mission ? 'both' : 'neither'));
    }
    if (agent.mission && agent.mission.scope === undefined && agent.mission.intent === undefined && agent.mission.written === undefined) {
      problems.push(
        locate(
          source,
          ['agents', index, 'mission'],
          'a scope, an intent or a written text (without a scope, it is rendered from what the person writes)',
          'none',
        ),
      );
    }
    agent.mission?.scope?.forEach((ref, i) => knownOperation(['agents', index, 'mission', 'scope', i], ref));
    agent.mission?.r3_granted?.forEach((ref, i) => knownOperation(['agents', index, 'mission', 'r3_granted', i], ref));
    agent.mission?.r3_per_call?.forEach((ref, i) => knownOperation(['agents', index, 'mission', 'r3_per_call', i], ref));
    const grantResources = (intent: IntentDef | undefined, path: PathSegment[]) =>
      intent?.grants.forEach((grant, g) => grant.resources?.forEach((id, r) => known([...path, 'grants', g, 'resources', r], resourceIds, id, 'resource')));
    grantResources(agent.mission?.intent, ['agents', index, 'mission', 'intent']);
    grantResources(agent.mission?.approved, ['agents', index, 'mission', 'approved']);
    grantResources(agent.mission?.written, ['agents', index, 'mission', 'written']);
    grantResources(agent.grant, ['agents', index, 'grant']);
    if (agent.parent !== undefined) checkParent(scenario, index, source, problems, agents);
    if (agent.sub_agents !== undefined) checkSubAgentPolicy(scenario, index, source, problems, resourceIds);
    const target = agent.attack?.of;
    if (target !== undefined && target !== 'unapproved' && target !== 'self' && target !== 'concurrent')
      known(['agents', index, 'attack', 'of'], agents, target, 'agent');
    if (agent.attack?.kind === 'assert-mission' && target === 'self') {
      problems.push(locate(source, ['agents', index, 'attack', 'of'], "another agent's id or `unapproved`", '"self" (its own mission is no attack)'));
    }
    if (target === 'concurrent' && (agent.attack?.kind !== 'assert-mission' || agent.concurrent_mission === undefined)) {
      problems.push(locate(source, ['agents', index, 'attack', 'of'], 'an assert-mission attack by an agent with a concurrent_mission', '"concurrent"'));
    }
    if (agent.concurrent_mission !== undefined) {
      if (
        agent.mission?.scope === undefined ||
        agent.mission.intent !== undefined ||
        agent.concurrent_mission.intent !== undefined ||
        agent.concurrent_mission.scope === undefined
      ) {
        problems.push(locate(source, ['agents', index, 'concurrent_mission'], 'both missions given as a scope, without an intent', 'an intent or no scope'));
      }
      agent.concurrent_mission.scope?.forEach((ref, i) => knownOperation(['agents', index, 'concurrent_mission', 'scope', i], ref));
    }
    agent.plan.forEach((step, i) => {
      if (step.under === 'concurrent' && agent.concurrent_mission === undefined) {
        problems.push(
          locate(source, ['agents', index, 'plan', i, 'under'], "a step under the agent's concurrent_mission, which it does not have", '"concurrent"'),
        );
      }
    });
    if (agent.attack?.kind === 'replay-resource-token' && target === 'unapproved') {
      problems.push(locate(source, ['agents', index, 'attack', 'of'], "`self` or another agent's id", '"unapproved"'));
    }
    agent.plan.forEach((step, i) => {
      const kinds = (['op', 'permission', 'audit', 'interact', 'update'] as const).filter((kind) => step[kind] !== undefined);
      if (kinds.length !== 1) {
        problems.push(
          locate(
            source,
            ['agents', index, 'plan', i],
            'exactly one of op, permission, audit, interact, update',
            kinds.length === 0 ? 'none' : kinds.join(' and '),
          ),
        );
      }
      const profile = scenario.profile ?? 'aauth-r01';
      if (step.update !== undefined && !MISSION_UPDATE_PROFILES.includes(profile)) {
        problems.push(
          locate(
            source,
            ['agents', index, 'plan', i, 'update'],
            `a profile whose source text has mission updates (${MISSION_UPDATE_PROFILES.join(', ')}: -11 and later)`,
            `profile ${profile}`,
          ),
        );
      }
      if (step.op !== undefined) knownOperation(['agents', index, 'plan', i, 'op'], step.op);
      if (step.permission !== undefined) knownOperation(['agents', index, 'plan', i, 'permission'], step.permission);
      if (step.at !== undefined && step.after !== undefined) {
        problems.push(locate(source, ['agents', index, 'plan', i], 'either at or after, not both', 'both'));
      }
    });
    checkDrift(agent, index, source, problems, knownOperation);
  });
  (scenario.network?.links ?? []).forEach((link, index) => {
    known(['network', 'links', index, 'agent'], agents, link.agent, 'agent');
    if (!servers.has(link.peer) && !resourceIds.has(link.peer)) {
      problems.push(
        locate(
          source,
          ['network', 'links', index, 'peer'],
          `the id of a Person Server or resource (${list([...servers, ...resourceIds])})`,
          `unknown peer "${link.peer}"`,
        ),
      );
    }
  });
  (scenario.network?.server_links ?? []).forEach((link, index) => {
    known(['network', 'server_links', index, 'ps'], servers, link.ps, 'Person Server');
    known(['network', 'server_links', index, 'as'], accessServers, link.as, 'Access Server');
  });
  checkLatestOnly(scenario, source, problems);
  (scenario.faults ?? []).forEach((fault, index) => {
    known(['faults', index, 'agent'], agents, fault.agent, 'agent');
  });
  (scenario.interventions ?? []).forEach((intervention, index) => {
    known(['interventions', index, 'person'], people, intervention.person, 'person');
    known(['interventions', index, 'agent'], agents, intervention.agent, 'agent');
  });
}

/**
 * Settings only aauth-latest reads (the later revocation outcomes and the
 * four-party AS notice): under any other profile they would be silently
 * ignored (or, for a resource's rate limit, act where the profile's text
 * has no such answer), so validate refuses them with the reason.
 */
function checkLatestOnly(scenario: Scenario, source: SourceMap, problems: ScenarioProblem[]): void {
  const profile = scenario.profile ?? 'aauth-r01';
  if (profile === 'aauth-latest') return;
  const refuse = (path: PathSegment[], what: string) =>
    problems.push(locate(source, path, `profile aauth-latest (${what}; the other profiles' source texts have none)`, `profile ${profile}`));
  scenario.topology.resources.forEach((resource, index) => {
    if (resource.revocation?.rate_limit !== undefined) {
      refuse(['topology', 'resources', index, 'revocation', 'rate_limit'], "a revocation endpoint's 429 rate_limited answer is aauth-latest's");
    }
  });
  (scenario.topology.access_servers ?? []).forEach((as, index) => {
    if (as.revocation !== undefined)
      refuse(['topology', 'access_servers', index, 'revocation'], "a PS's revocation notice to an Access Server is aauth-latest's");
  });
  if (scenario.network?.server_links !== undefined) {
    refuse(['network', 'server_links'], "PS<->AS links carry only the revocation notice to an Access Server, which is aauth-latest's");
  }
}

/** A drift model names known operations and the field its model needs. */
function checkDrift(
  agent: NonNullable<Scenario['agents']>[number],
  index: number,
  source: SourceMap,
  problems: ScenarioProblem[],
  knownOperation: (path: PathSegment[], ref: string) => void,
): void {
  const drift = agent.drift;
  if (!drift) return;
  drift.toward.forEach((ref, i) => knownOperation(['agents', index, 'drift', 'toward', i], ref));
  if (drift.model === 'injection' && drift.at === undefined) {
    problems.push(locate(source, ['agents', index, 'drift'], 'an `at` time for the injection', 'none'));
  }
  if (drift.model !== 'injection' && drift.at !== undefined) {
    problems.push(
      locate(source, ['agents', index, 'drift', 'at'], '`at` only with model injection (gradual drift starts at `from`)', JSON.stringify(drift.at)),
    );
  }
  if ((drift.model === 'gradual' || drift.model === 'injection') && drift.vary !== undefined) {
    problems.push(locate(source, ['agents', index, 'drift', 'vary'], '`vary` only with model plausible (or none)', JSON.stringify(drift.vary)));
  }
}

/**
 * `sub_agents` (a parent's policy) exists only where the parent mediates
 * its sub-agents' requests (-11: aauth-r11, aauth-latest), and what it
 * refuses are this agent's sub-agents.
 */
function checkSubAgentPolicy(scenario: Scenario, index: number, source: SourceMap, problems: ScenarioProblem[], resourceIds: Set<string>): void {
  const all = scenario.agents ?? [];
  const agent = all[index] as NonNullable<Scenario['agents']>[number];
  const profile = scenario.profile ?? 'aauth-r01';
  if (!ONE_LEVEL_SUB_AGENTS.includes(profile)) {
    problems.push(
      locate(
        source,
        ['agents', index, 'sub_agents'],
        `a profile whose parents mediate their sub-agents' requests (${ONE_LEVEL_SUB_AGENTS.join(', ')}; under ${profile} a sub-agent asks its PS itself)`,
        `profile ${profile}`,
      ),
    );
  }
  const children = new Set(all.filter((a) => a.parent === agent.id).map((a) => a.id));
  (agent.sub_agents?.refuse ?? []).forEach((child, at) => {
    if (!children.has(child)) {
      problems.push(locate(source, ['agents', index, 'sub_agents', 'refuse', at], `a sub-agent of "${agent.id}" (${list(children)})`, `"${child}"`));
    }
  });
  // A narrowing to names the scenario does not have would leave every grant empty: say so here, not by sub-agents that silently do nothing.
  const narrow = agent.sub_agents?.narrow;
  narrow?.resources?.forEach((id, at) => {
    if (!resourceIds.has(id)) {
      problems.push(
        locate(source, ['agents', index, 'sub_agents', 'narrow', 'resources', at], `the id of a resource (${list(resourceIds)})`, `unknown resource "${id}"`),
      );
    }
  });
  const actions = new Set(scenario.topology.resources.flatMap((resource) => (resource.operations ?? []).map((op) => op.action ?? op.name)));
  narrow?.actions?.forEach((action, at) => {
    if (!actions.has(action)) {
      problems.push(
        locate(
          source,
          ['agents', index, 'sub_agents', 'narrow', 'actions', at],
          `an action some resource's operation has (${list(actions)})`,
          `unknown action "${action}"`,
        ),
      );
    }
  });
}

/** A sub-agent's parent exists, holds its mission at the same PS, and the chain leads to a root (no cycle). */
function checkParent(scenario: Scenario, index: number, source: SourceMap, problems: ScenarioProblem[], agents: Set<string>): void {
  const all = scenario.agents ?? [];
  const agent = all[index] as NonNullable<Scenario['agents']>[number];
  const path: PathSegment[] = ['agents', index, 'parent'];
  if (!agents.has(agent.parent as string)) {
    problems.push(locate(source, path, `the id of an agent (${list(agents)})`, `unknown agent "${agent.parent}"`));
    return;
  }
  const parent = all.find((a) => a.id === agent.parent);
  if (parent && parent.ps !== agent.ps) {
    problems.push(
      locate(source, ['agents', index, 'ps'], `the parent's Person Server "${parent.ps}" (a sub-agent acts under its parent's mission)`, `"${agent.ps}"`),
    );
  }
  const profile = scenario.profile ?? 'aauth-r01';
  if (parent?.parent !== undefined && ONE_LEVEL_SUB_AGENTS.includes(profile)) {
    problems.push(
      locate(
        source,
        path,
        `under profile ${profile} a sub-agent's parent is a root agent (draft-hardt-aauth-protocol-11 allows sub-agents one level deep, parent-mediated; use aauth-r01 or mission-authority for deeper chains)`,
        `"${parent.id}", itself a sub-agent of "${parent.parent}"`,
      ),
    );
  }
  const seen = new Set([agent.id]);
  for (let next = parent; next?.parent !== undefined; next = all.find((a) => a.id === next?.parent)) {
    if (seen.has(next.id)) {
      problems.push(locate(source, path, 'a chain of parents that ends at an agent with a mission', `a cycle through "${next.id}"`));
      return;
    }
    seen.add(next.id);
  }
}

function uniqueIds(items: ReadonlyArray<{ id: string }>, path: PathSegment[], source: SourceMap, problems: ScenarioProblem[]): Set<string> {
  const ids = new Set<string>();
  items.forEach((item, index) => {
    if (ids.has(item.id)) {
      problems.push(locate(source, [...path, index, 'id'], 'an id not used before in this list', `duplicate id "${item.id}"`));
    }
    ids.add(item.id);
  });
  return ids;
}

export function list(ids: Iterable<string>): string {
  const all = [...ids];
  return all.length === 0 ? 'none defined' : all.join(', ');
}
