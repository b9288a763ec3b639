import type { PathSegment, ScenarioProblem } from './problems.ts';
import type { Scenario } from './schema.ts';
import { locate, type SourceMap } from './validate.ts';

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
      problems.push(
        locate(source, ['workload', index, 'resource'], `the id of a resource (${list(resourceIds)})`, `unknown resource "${stream.resource}"`),
      );
    }
  });
  return problems;
}

function uniqueIds(
  items: ReadonlyArray<{ id: string }>,
  path: PathSegment[],
  source: SourceMap,
  problems: ScenarioProblem[],
): Set<string> {
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
