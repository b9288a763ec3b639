import { isMap, isSeq, parse as parseYamlValue, type Document } from 'yaml';
import { formatPath, type PathSegment, type ScenarioProblem } from './problems.ts';

/** A `--set path=value` override, parsed. */
export interface Override {
  text: string;
  path: PathSegment[];
  value: unknown;
}

/**
 * Parses `topology.resources[2].queue.servers=3`. A bracket holds an index or
 * the `id` of a list item (`resources[export-db].queue.servers=2`); the value
 * is read as YAML, so `3` is a number and `exp(2s)` a string.
 */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--set expects path=value, found ${JSON.stringify(text)}`);
  const pathText = text.slice(0, eq).trim();
  const path: PathSegment[] = [];
  const segmentPattern = /([^.[\]]+)|\[([^\]]*)\]|\./gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = segmentPattern.exec(pathText)) !== null) {
    consumed = segmentPattern.lastIndex;
    if (match[1] !== undefined) path.push(match[1]);
    else if (match[2] !== undefined) path.push(/^\d+$/.test(match[2]) ? Number(match[2]) : `[${match[2]}]`);
  }
  if (consumed !== pathText.length || path.length === 0) {
    throw new Error(`--set path ${JSON.stringify(pathText)} is not of the form a.b[2].c or a.b[id].c`);
  }
  return { text, path, value: parseYamlValue(text.slice(eq + 1)) };
}

/** Applies overrides to the parsed document in place; returns problems for paths that lead nowhere. */
export function applyOverrides(doc: Document, overrides: readonly Override[], file: string): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  for (const override of overrides) {
    const resolved: PathSegment[] = [];
    let node: unknown = doc.contents;
    let failed = false;
    for (let i = 0; i < override.path.length; i++) {
      const segment = override.path[i] as PathSegment;
      const isLast = i === override.path.length - 1;
      let key: PathSegment = segment;
      if (typeof segment === 'string' && segment.startsWith('[')) {
        const id = segment.slice(1, -1);
        const index = isSeq(node) ? node.items.findIndex((item) => isMap(item) && item.get('id') === id) : -1;
        if (index < 0) {
          problems.push(problem(file, resolved, `a list item with id ${JSON.stringify(id)}`, 'none', override));
          failed = true;
          break;
        }
        key = index;
      }
      resolved.push(key);
      if (!isLast) {
        node = isMap(node) || isSeq(node) ? node.get(key, true) : undefined;
        if (node === undefined) {
          problems.push(problem(file, resolved, 'an existing mapping or list to set a value in', 'nothing', override));
          failed = true;
          break;
        }
      }
    }
    if (!failed) doc.setIn(resolved, doc.createNode(override.value));
  }
  return problems;
}

function problem(file: string, path: PathSegment[], expected: string, found: string, override: Override): ScenarioProblem {
  return { file, line: 0, column: 0, path: formatPath(path), expected, found: `${found} (--set ${override.text})` };
}
