import type { ErrorObject, ValidateFunction } from 'ajv';
import { isMap, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import { DURATION_EXPECTED, parseDuration } from '../engine/duration.ts';
import { parseDistribution } from '../engine/distribution.ts';
import { ExpressionError } from '../engine/duration.ts';
import { loadValidator, type ValidatorSpec } from '../precompiled-validator.ts';
import type { AppliedOverride } from './overrides.ts';
import { describeValue, formatPath, type PathSegment, type ScenarioProblem } from './problems.ts';
import { DURATION_DISTRIBUTION_FORMAT, DURATION_FORMAT, ScenarioSpec } from './schema.ts';

/** The JSON Schema exactly as committed in scenarios/schema.json. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://missionbench.dev/schema/scenario.json',
    ...(JSON.parse(JSON.stringify(ScenarioSpec)) as Record<string, unknown>),
  };
}

/** The scenario schema's validator (compiled by the build, sim/precompiled-validator.ts). */
export const SCENARIO_VALIDATOR: ValidatorSpec = {
  name: 'scenario',
  options: { allErrors: true, verbose: true, strict: true },
  formats: {
    [DURATION_FORMAT]: { type: 'string', validate: (text: string) => parses(() => parseDuration(text)) },
    [DURATION_DISTRIBUTION_FORMAT]: { type: 'string', validate: (text: string) => parses(() => parseDistribution(text, 'duration')) },
  },
  schema: scenarioJsonSchema,
};

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  compiled ??= loadValidator(SCENARIO_VALIDATOR);
  return compiled;
}

function parses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

/** Where a YAML document and its source text live, to locate problems. */
export interface SourceMap {
  file: string;
  doc: Document;
  lines: LineCounter;
  /** Overrides applied to `doc` (--set, --grid): a value without a line came from one of them. */
  overrides?: readonly AppliedOverride[] | undefined;
}

/** Checks a plain scenario object against the schema; every problem located in the source. */
export function validateAgainstSchema(data: unknown, source: SourceMap): ScenarioProblem[] {
  const validate = validator();
  const nonFinite = nonFiniteNumbers(data, source);
  if (validate(data)) return nonFinite;
  // A non-finite number is said once, as such, not also as "expected a number, found number NaN".
  const said = new Set(nonFinite.map((problem) => problem.path));
  const problems = [...nonFinite, ...(validate.errors ?? []).map((error) => toProblem(error, source)).filter((problem) => !said.has(problem.path))];
  // allErrors can report the same spot twice (e.g. a type and a format); keep one line per problem.
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}|${p.expected}|${p.found}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * YAML can write .nan and .inf, which JSON Schema's "number" lets through;
 * no scenario value means either, and the simulator cannot use them.
 */
function nonFiniteNumbers(data: unknown, source: SourceMap): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  // Iterative: a document may nest deeper than the call stack goes.
  const pending: Array<[unknown, PathSegment[]]> = [[data, []]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problems.push(locate(source, path, 'a finite number', Number.isNaN(value) ? '.nan' : value > 0 ? '.inf' : '-.inf'));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], [...path, i]]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value).reverse()) pending.push([item, [...path, key]]);
    }
  }
  return problems;
}

function toProblem(error: ErrorObject, source: SourceMap): ScenarioProblem {
  const path = pointerToPath(error.instancePath);
  const data: unknown = error.data;
  switch (error.keyword) {
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return locate(source, path, `a field "${missing}"`, 'no such field', [...path, missing]);
    }
    case 'additionalProperties': {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return locate(source, [...path, extra], `one of the fields ${allowed.join(', ')}`, `unknown field "${extra}"`, undefined, true);
    }
    case 'type':
      return locate(source, path, typeExpectation(error), describeValue(data));
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const { comparison, limit } = error.params as { comparison: string; limit: number };
      return locate(source, path, `a number ${comparison} ${limit}`, describeValue(data));
    }
    case 'format':
      return locate(source, path, ...formatFailure(error, data));
    case 'pattern':
    case 'minLength':
    case 'maxLength':
      return locate(source, path, (error.parentSchema as { description?: string }).description ?? error.message ?? 'a valid string', describeValue(data));
    case 'enum':
    case 'const': {
      const allowed = error.params as { allowedValues?: unknown[]; allowedValue?: unknown };
      const values = allowed.allowedValues ?? [allowed.allowedValue];
      return locate(source, path, `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, describeValue(data));
    }
    default:
      return locate(source, path, error.message ?? error.keyword, describeValue(data));
  }
}

function formatFailure(error: ErrorObject, data: unknown): [string, string] {
  const format = (error.params as { format: string }).format;
  try {
    if (format === DURATION_FORMAT) parseDuration(String(data));
    else parseDistribution(String(data), 'duration');
  } catch (cause) {
    if (cause instanceof ExpressionError) {
      const found = cause.found === '' ? 'the end of the text' : cause.found;
      return [cause.expected, `${found} at column ${cause.column} of ${describeValue(data)}`];
    }
  }
  return [format, describeValue(data)];
}

/** What a value of the wrong type should have been: for durations, say so rather than "a string". */
function typeExpectation(error: ErrorObject): string {
  const format = (error.parentSchema as { format?: string } | undefined)?.format;
  if (format === DURATION_FORMAT) return DURATION_EXPECTED;
  if (format === DURATION_DISTRIBUTION_FORMAT) return DISTRIBUTION_EXPECTED;
  return article((error.params as { type: string }).type);
}

const DISTRIBUTION_EXPECTED = 'a random duration such as exp(2m), uniform(1s, 5s) or 30s';

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Builds a problem located at the YAML node for `nodePath` (or the key of the
 * last segment when `atKey`). `reportPath` is what the message names.
 */
export function locate(
  source: SourceMap,
  nodePath: PathSegment[],
  expected: string,
  found: string,
  reportPath: PathSegment[] = nodePath,
  atKey = false,
): ScenarioProblem {
  const offset = atKey ? keyOffset(source.doc, nodePath) : nodeOffset(source.doc, nodePath);
  const position = offset === undefined ? { line: 0, col: 0 } : source.lines.linePos(offset);
  const problem: ScenarioProblem = { file: source.file, line: position.line, column: position.col, path: formatPath(reportPath), expected, found };
  if (offset === undefined) problem.via = overrideAt(source, nodePath);
  return problem;
}

/** The last override that set this path, a part of it, or a value inside it. */
function overrideAt(source: SourceMap, path: PathSegment[]): string | undefined {
  const within = (outer: readonly PathSegment[], inner: readonly PathSegment[]) =>
    outer.length <= inner.length && outer.every((segment, i) => String(segment) === String(inner[i]));
  const overrides = source.overrides ?? [];
  for (let i = overrides.length - 1; i >= 0; i--) {
    const override = overrides[i] as AppliedOverride;
    if (within(override.path, path) || within(path, override.path)) return override.via;
  }
  return undefined;
}

function nodeOffset(doc: Document, path: PathSegment[]): number | undefined {
  // A missing value is reported where its nearest existing parent is; a value
  // that exists without a source position came from --set and has no line.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)) as Node | null | undefined;
    if (node) return node.range ? node.range[0] : undefined;
  }
  return undefined;
}

function keyOffset(doc: Document, path: PathSegment[]): number | undefined {
  const parent = (path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents) as unknown;
  const name = path[path.length - 1];
  if (isMap(parent)) {
    for (const pair of parent.items) {
      if (isScalar(pair.key) && pair.key.value === name && pair.key.range) return pair.key.range[0];
    }
  }
  return nodeOffset(doc, path);
}
