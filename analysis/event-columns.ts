import { eventColumns } from '../sim/events.ts';
import { TRUTH_COLUMNS } from '../sim/truth/truth-columns.ts';

export { TRUTH_COLUMNS } from '../sim/truth/truth-columns.ts';

export { ANALYSED_FIELDS, catalogueFieldTypes, eventColumns } from '../sim/events.ts';

/** The `columns={...}` argument of DuckDB's read_json for the event table. */
export function readJsonColumns(): string {
  return `{${eventColumns()
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ')}}`;
}

/** The `columns={...}` argument of read_json for truth.jsonl. */
export function readTruthColumns(): string {
  return `{${TRUTH_COLUMNS.map(([name, type]) => `'${name}': '${type}'`).join(', ')}}`;
}

/** An empty truth table with the right columns, for analyses whose runs carry no truth.jsonl. */
export function emptyTruthSelect(): string {
  return `SELECT NULL::VARCHAR AS run_id, ${TRUTH_COLUMNS.map(([name, type]) => `NULL::${type} AS "${name}"`).join(', ')} WHERE false`;
}
