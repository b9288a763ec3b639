import { eventCatalogue } from './catalogue.ts';

/**
 * Which event fields become columns for analysis, with their DuckDB types
 * (from the audit catalogue). The simulator writes these columns as
 * Parquet beside the log (sim/log/event-columns-sink.ts) and analysis
 * reads the same list, so both always agree on the table's shape.
 */

/** The columns every event has, before the type-specific ones. */
const COMMON: Array<[string, string]> = [
  ['seq', 'BIGINT'],
  ['t', 'BIGINT'],
  ['type', 'VARCHAR'],
  ['mission', 'VARCHAR'],
  ['actor', 'VARCHAR'],
];

function duckdbType(schema: Record<string, unknown>): string {
  const kinds = new Set<string>();
  const visit = (node: Record<string, unknown>) => {
    if (Array.isArray(node.anyOf)) for (const option of node.anyOf) visit(option as Record<string, unknown>);
    else if (node.const !== undefined) kinds.add(typeof node.const === 'number' ? (Number.isInteger(node.const) ? 'integer' : 'number') : typeof node.const);
    else if (typeof node.type === 'string') kinds.add(node.type);
    else kinds.add('json');
  };
  visit(schema);
  kinds.delete('null');
  if (kinds.size !== 1) return 'JSON';
  switch ([...kinds][0]) {
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'string':
      return 'VARCHAR';
    default:
      return 'JSON';
  }
}

/**
 * The catalogue fields analysed as columns, besides the common ones: who
 * did what to which resource under which token, with what outcome, at which
 * delegation depth. Everything else (free text, bodies, key material, the
 * many type-specific fields of AOP and delegation events) stays in
 * events.jsonl, where replay and verify read it. Keeping this list short is
 * what makes ingest fast: with every catalogue field (85 columns) DuckDB
 * ingests about 5x slower than with these. A metric that needs another
 * field adds it here (its type still comes from the catalogue).
 */
export const ANALYSED_FIELDS = [
  'agent',
  'resource',
  'op',
  'jti',
  'irreversible',
  'reason',
  'via',
  'stage',
  'attempt',
  'exp',
  'as',
  'ps',
  'class',
  'depth',
  'parent',
  'child',
  'released_by',
  'since_crash_us',
] as const;

/** Every catalogue field with one DuckDB type (a field whose type differs between event types becomes JSON). */
export function catalogueFieldTypes(): Map<string, string> {
  const columns = new Map<string, string>(COMMON);
  for (const schema of Object.values(eventCatalogue())) {
    const properties = (JSON.parse(JSON.stringify(schema)) as { properties: Record<string, Record<string, unknown>> }).properties;
    for (const [name, fieldSchema] of Object.entries(properties)) {
      const type = duckdbType(fieldSchema);
      const previous = columns.get(name);
      columns.set(name, previous === undefined || previous === type ? type : 'JSON');
    }
  }
  return columns;
}

/**
 * The event table's columns: the common fields, then ANALYSED_FIELDS, each
 * typed as the audit catalogue declares it. `prev` and `hash` stay in
 * events.jsonl, where `verify` checks them.
 */
export function eventColumns(): Array<[name: string, type: string]> {
  // Computed once: the catalogue is fixed once assembled (catalogue.ts), and walking every schema took 1-18 ms,
  // at every run of a sweep (each run's events.parquet) and every analysis.
  analysedColumns ??= analysedEventColumns();
  return analysedColumns.map(([name, type]): [string, string] => [name, type]);
}

let analysedColumns: ReadonlyArray<readonly [name: string, type: string]> | undefined;

function analysedEventColumns(): Array<[name: string, type: string]> {
  const types = catalogueFieldTypes();
  return [
    ...COMMON,
    ...ANALYSED_FIELDS.map((name): [string, string] => {
      const type = types.get(name);
      if (type === undefined) throw new Error(`analysed field ${name} is not in the audit catalogue (sim/log/catalogue.ts)`);
      return [name, type];
    }),
  ];
}
