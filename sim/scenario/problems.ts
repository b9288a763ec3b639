/** One thing wrong with a scenario, located precisely enough to fix it. */
export interface ScenarioProblem {
  file: string;
  /** 1-based; 0 when the value came from --set rather than the file. */
  line: number;
  column: number;
  /** Path into the document, e.g. `topology.resources[2].queue.servers`. */
  path: string;
  expected: string;
  found: string;
  /**
   * The command-line option a value without a line came from, e.g.
   * `--set tokens.auth_ttl=5` or `--grid duration=5x`; undefined when the
   * problem is with the file itself (missing, empty, not a mapping).
   */
  via?: string | undefined;
}

export function formatProblem(problem: ScenarioProblem): string {
  const where =
    problem.line > 0 ? `${problem.file}:${problem.line}:${problem.column}` : problem.via !== undefined ? `${problem.file} (${problem.via})` : problem.file;
  const path = problem.path === '' ? '(document)' : problem.path;
  return `${where}: ${path}: expected ${problem.expected}, found ${problem.found}`;
}

/** Thrown when a scenario cannot be run; carries every problem found, not just the first. */
export class ScenarioError extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
  }
}

export type PathSegment = string | number;

/** `['topology', 'resources', 2, 'id']` -> `topology.resources[2].id` */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

/** A short, quoted rendering of a found value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${String(value)}`;
}
