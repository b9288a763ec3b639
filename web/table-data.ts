/**
 * Query rows as an arquero table: the one place rows are sorted, filtered
 * and written as CSV, for the dashboard's tables, the report and notebook
 * tables, and `analyze --csv`.
 */
import * as aq from 'arquero';

type Row = Record<string, unknown>;
export type Table = ReturnType<typeof aq.from>;

/** Rows as a table with the given columns, in that order (a column the rows lack is left out). */
export function rowsTable(rows: readonly Row[], columns?: readonly string[]): Table {
  const table = aq.from(rows as Row[]);
  const names = (columns ?? (rows[0] ? Object.keys(rows[0]) : [])).filter((name) => table.columnNames().includes(name));
  return names.length > 0 ? table.select(names) : table;
}

/** Sorted by one column (nulls last either way), if any. */
export function sortTable(table: Table, column: string | null, descending: boolean): Table {
  if (!column) return table;
  return table.orderby(descending ? aq.desc(column) : column);
}

/** The rows whose any cell (as shown) contains `text`, ignoring case. */
export function filterTable(table: Table, text: string, show: (column: string, value: unknown) => string): Table {
  const needle = text.trim().toLowerCase();
  if (needle === '') return table;
  const names = table.columnNames();
  return table.filter(
    aq.escape((row: Row) =>
      names.some(
        (name) =>
          show(name, row[name]).toLowerCase().includes(needle) ||
          String(row[name] ?? '')
            .toLowerCase()
            .includes(needle),
      ),
    ),
  );
}

/** Raw values (not the display format) as CSV; objects such as a design's params as JSON. */
export function tableCsv(table: Table): string {
  const format: Record<string, (value: unknown) => unknown> = {};
  for (const name of table.columnNames()) format[name] = (value) => (value !== null && typeof value === 'object' ? JSON.stringify(value) : value);
  const csv = table.toCSV({ format });
  return csv.endsWith('\n') ? csv : `${csv}\n`;
}

/** Rows as CSV (raw values), in the given column order. */
export function rowsCsv(rows: readonly Row[], columns?: readonly string[]): string {
  if (rows.length === 0) return `${(columns ?? []).join(',')}\n`;
  return tableCsv(rowsTable(rows, columns));
}
