import type { Row } from '../database.ts';

/** Text safe inside HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return escapeHtml(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

/** Rows as an HTML table (numbers right-aligned). */
export function htmlTable(rows: readonly Row[], columns: readonly string[]): string {
  if (rows.length === 0) return '<p class="empty">No rows.</p>';
  const head = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body = rows
    .map((row) => `<tr>${columns.map((column) => `<td${typeof row[column] === 'number' ? ' class="num"' : ''}>${cell(row[column])}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
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
.empty { color: #6c4a00; background: #fff6e0; border: 1px solid #f0d28a; padding: 0.5rem 0.8rem; }
`;
