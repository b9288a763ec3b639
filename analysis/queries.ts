import { readdirSync, readFileSync } from 'node:fs';

const SQL_DIR = new URL('./sql/', import.meta.url);

/** A typed parameter of a named query, bound as a DuckDB variable (getvariable). */
export interface QueryParameter {
  name: string;
  type: 'number';
  description: string;
}

/** A named query: what the CLI, the dashboard and the notebooks may ask for. */
export interface NamedQuery {
  name: string;
  description: string;
  parameters: QueryParameter[];
  sql: string;
}

export class QueryError extends Error {
  override name = 'QueryError';
}

/** The first comment block of a SQL file, as one line: what the file defines. */
function leadingComment(sql: string): string {
  const lines: string[] = [];
  for (const line of sql.split('\n')) {
    if (!line.startsWith('--')) break;
    lines.push(line.replace(/^--\s?/, '').trim());
  }
  return lines.join(' ').replace(/\s+/g, ' ');
}

/**
 * The view definitions (analysis/sql/views/*.sql), in file-name order: each
 * is one statement, and later views build on earlier ones. They are the one
 * definition of every metric.
 */
export function viewDefinitions(): Array<{ file: string; sql: string }> {
  return readdirSync(new URL('views/', SQL_DIR))
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ file, sql: readFileSync(new URL(`views/${file}`, SQL_DIR), 'utf8') }));
}

const PARAMETERS: Record<string, QueryParameter[]> = {
  architect: [
    { name: 'max_p99_stop_s', type: 'number', description: 'bound on the p99 runtime stop, seconds' },
    { name: 'max_ps_rps', type: 'number', description: 'budget of Person Server requests per second (token requests plus status checks)' },
  ],
};

/** Every named query (analysis/sql/queries/*.sql), by name. */
export function namedQueries(): Map<string, NamedQuery> {
  const queries = new Map<string, NamedQuery>();
  for (const file of readdirSync(new URL('queries/', SQL_DIR))
    .filter((name) => name.endsWith('.sql'))
    .sort()) {
    const name = file.slice(0, -'.sql'.length);
    const sql = readFileSync(new URL(`queries/${file}`, SQL_DIR), 'utf8');
    queries.set(name, { name, description: leadingComment(sql).replace(/^\w+:\s*/, ''), parameters: PARAMETERS[name] ?? [], sql });
  }
  return queries;
}

/**
 * Checks the values given for a query's parameters: every parameter given,
 * each a finite number, nothing unknown. Returns them ready to bind.
 */
export function checkParameters(query: NamedQuery, given: Record<string, unknown>): Record<string, number> {
  const known = new Set(query.parameters.map((parameter) => parameter.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const expected = query.parameters.length === 0 ? 'no parameters' : query.parameters.map((parameter) => parameter.name).join(', ');
      throw new QueryError(`query ${query.name}: unknown parameter ${name} (expected ${expected})`);
    }
  }
  const values: Record<string, number> = {};
  for (const parameter of query.parameters) {
    const raw = given[parameter.name];
    if (raw === undefined) throw new QueryError(`query ${query.name}: missing parameter ${parameter.name} (${parameter.description})`);
    const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new QueryError(`query ${query.name}: parameter ${parameter.name} expects a number, found ${JSON.stringify(raw)}`);
    }
    values[parameter.name] = value;
  }
  return values;
}
