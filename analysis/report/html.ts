import type { Row } from '../database.ts';
import { columnTitle, formatCell } from '../../web/format.ts';
import { rowsTable, tableCsv } from '../../web/table-data.ts';

/** Text safe inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

/**
 * Rows as an HTML table, built with arquero (rowsTable + toHTML): cells in
 * units as the dashboard shows them (format.ts), numbers right-aligned,
 * and a link that downloads the raw rows as CSV. Static pages carry no
 * script, so sorting and filtering are the dashboard's; the CSV opens in
 * any spreadsheet for that.
 */
export function htmlTable(rows: readonly Row[], columns: readonly string[], name = 'table', options: { collapsed?: boolean } = {}): string {
  if (rows.length === 0) return '<p class="empty">No rows.</p>';
  const table = rowsTable(rows, columns);
  const names = table.columnNames();
  const titles = names.map((column) => escapeHtml(columnTitle(column)));
  const unique = new Set(titles).size === titles.length;
  const shown = (i: number) => (unique ? (titles[i] as string) : (names[i] as string));
  const format: Record<string, (value: unknown) => string> = {};
  const align: Record<string, 'l' | 'r'> = {};
  names.forEach((column, i) => {
    format[shown(i)] = (value) => formatCell(column, value);
    align[shown(i)] = rows.every((row) => typeof row[column] === 'number' || row[column] === null || row[column] === undefined) ? 'r' : 'l';
  });
  const renamed = unique ? table.rename(Object.fromEntries(names.map((column, i) => [column, shown(i)]))) : table;
  const csv = `data:text/csv;charset=utf-8,${encodeURIComponent(tableCsv(table))}`;
  const count = `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}`;
  const link = `<a download="${escapeHtml(name)}.csv" href="${csv}">Download CSV</a>`;
  const scroll = `<div class="table-scroll">${renamed.toHTML({ format, align })}</div>`;
  // Collapsed: a long page (the atlas report) shows the table's name and size; a click opens it, no script needed.
  return options.collapsed
    ? `<details class="table"><summary>${escapeHtml(name.replace(/-/g, ' '))} table (${count})</summary>${scroll}<p class="csv">${link}</p></details>`
    : `<div class="table">${scroll}<p class="csv">${link} (${count})</p></div>`;
}

export const REPORT_CSS = `
body { font-family: system-ui, sans-serif; color: #222; max-width: 70rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1rem; margin-top: 1.4rem; }
.finding { font-weight: 600; }
.unverified { background: #fde8e8; border: 1px solid #c0392b; color: #7b1d13; padding: .5rem .75rem; font-weight: 600; }
.meta { color: #555; } .help { color: #555; max-width: 55rem; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
table { border-collapse: collapse; font-size: 0.85rem; margin: 0.8rem 0; }
th, td { border-bottom: 1px solid #eee; padding: 0.2rem 0.6rem; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td { font-variant-numeric: tabular-nums; }
td[style*="right"] { white-space: nowrap; }
.csv { font-size: 0.8rem; margin: 0.2rem 0 0.8rem; }
.table-scroll { max-width: 100%; overflow-x: auto; }
details.table { margin: 0.6rem 0; } details.table summary { cursor: pointer; color: #1d3557; }
.charts svg { max-width: 100%; height: auto; }
.note { color: #333; background: #eef4fb; border: 1px solid #b8cfe6; padding: 0.5rem 0.8rem; max-width: 30rem; }
.answer { font-weight: 600; border-left: 4px solid #888; background: #f6f6f6; padding: 0.4rem 0.8rem; }
.empty { color: #6c4a00; background: #fff6e0; border: 1px solid #f0d28a; padding: 0.5rem 0.8rem; }
`;
