import { isMap, isScalar, isSeq, parse as parseYamlValue, type Document } from 'yaml';
import { nearestMatch } from './near-match.ts';
import { formatPath, type PathSegment, type ScenarioProblem } from './problems.ts';

/** The command-line option an override came from, named in error messages. */
export type OverrideFlag = '--set' | '--grid';

/** A `--set path=value` (or one `--grid` value), parsed. */
export interface Override {
  text: string;
  flag: OverrideFlag;
  path: PathSegment[];
  value: unknown;
}

/** Where an applied override landed: its path with `[id]` resolved to indices. */
export interface AppliedOverride {
  path: PathSegment[];
  /** e.g. `--set tokens.auth_ttl=5`, for ScenarioProblem.via. */
  via: string;
}

/**
 * Parses `topology.resources[2].queue.servers=3`. A bracket holds an index or
 * the `id` of a list item (`resources[export-db].queue.servers=2`); the value
 * is read as YAML, so `3` is a number and `exp(2s)` a string.
 */
export function parseOverride(text: string, flag: OverrideFlag = '--set'): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`${flag} expects path=value, found ${JSON.stringify(text)}`);
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
    throw new Error(`${flag} path ${JSON.stringify(pathText)} is not of the form a.b[2].c or a.b[id].c`);
  }
  return { text, flag, path, value: parseYamlValue(text.slice(eq + 1)) };
}

/**
 * Applies overrides to the parsed document in place. Returns problems for
 * paths that lead nowhere, and where each applied override landed (so that a
 * problem with a value without a line can name the option it came from).
 */
export function applyOverrides(doc: Document, overrides: readonly Override[], file: string): { problems: ScenarioProblem[]; applied: AppliedOverride[] } {
  const problems: ScenarioProblem[] = [];
  const applied: AppliedOverride[] = [];
  for (const override of overrides) {
    const via = `${override.flag} ${override.text}`;
    const fail = (path: PathSegment[], expected: string, found: string) =>
      problems.push({ file, line: 0, column: 0, path: formatPath(path), expected, found, via });
    // The document itself must be a mapping to set anything in (load.ts refuses other documents first).
    if (!isMap(doc.contents)) {
      fail([], 'a scenario mapping to set a value in', 'none');
      continue;
    }
    const resolved: PathSegment[] = [];
    let node: unknown = doc.contents;
    let failed = false;
    for (let i = 0; i < override.path.length; i++) {
      const segment = override.path[i] as PathSegment;
      const isLast = i === override.path.length - 1;
      let key: PathSegment = segment;
      if (typeof segment === 'string' && segment.startsWith('[')) {
        const id = segment.slice(1, -1);
        const ids = isSeq(node) ? node.items.map((item) => (isMap(item) ? item.get('id') : undefined)) : [];
        const index = ids.indexOf(id);
        if (index < 0) {
          fail(resolved, idExpectation(ids, isSeq(node), id), idFound(id, ids));
          failed = true;
          break;
        }
        key = index;
      }
      if (isSeq(node) && (typeof key !== 'number' || key > node.items.length)) {
        fail([...resolved, key], `an index from 0 to ${node.items.length} or an [id] in this list`, describeKey(key));
        failed = true;
        break;
      }
      if (isMap(node) && typeof key === 'number') key = String(key);
      if (!isMap(node) && !isSeq(node)) {
        fail(resolved, 'an existing mapping or list to set a value in', isScalar(node) ? 'a single value' : 'nothing');
        failed = true;
        break;
      }
      resolved.push(key);
      if (!isLast) {
        node = node.get(key, true);
        const rest = override.path.slice(i + 1);
        // A section not written in the file (`tokens.auth_ttl=5m` without a
        // tokens: mapping) is created, as long as the rest names fields only.
        if (node === undefined && rest.every((part) => typeof part === 'string' && !part.startsWith('['))) {
          resolved.push(...rest);
          break;
        }
        if (node === undefined) {
          fail(resolved, 'an existing mapping or list to set a value in', 'nothing');
          failed = true;
          break;
        }
      }
    }
    if (!failed) {
      doc.setIn(resolved, doc.createNode(override.value));
      applied.push({ path: resolved, via });
    }
  }
  return { problems, applied };
}

const stringIds = (ids: unknown[]) => ids.filter((value): value is string => typeof value === 'string');

function idExpectation(ids: unknown[], isList: boolean, id: string): string {
  if (!isList) return `a list to pick the item [${id}] from`;
  const known = stringIds(ids);
  if (known.length === 0) return 'an index (the items of this list have no ids)';
  return `the id of an item in this list (${known.join(', ')})`;
}

function idFound(id: string, ids: unknown[]): string {
  const near = nearestMatch(id, stringIds(ids));
  return near === undefined ? JSON.stringify(id) : `${JSON.stringify(id)} (did you mean [${near}]?)`;
}

function describeKey(key: PathSegment): string {
  return typeof key === 'number' ? `index ${key}` : JSON.stringify(key);
}
