/**
 * The dashboard's tables, built on arquero: click a heading to sort (again
 * to reverse), type to filter the rows, download what is shown as CSV (raw
 * values, in the shown order). Cells are formatted with units (format.ts).
 */
import { columnTitle, formatCell } from './format.ts';
import { filterTable, rowsTable, sortTable, tableCsv } from './table-data.ts';

type Row = Record<string, unknown>;

/** Downloads text or a data URL as a file. */
export function download(name: string, content: string | Blob): void {
  const url =
    typeof content === 'string' && content.startsWith('data:')
      ? content
      : URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type: 'text/plain' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  if (!url.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function button(text: string, label: string, onClick: () => void): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  element.setAttribute('aria-label', label);
  element.addEventListener('click', onClick);
  return element;
}

export interface TableOptions {
  /** File name (without .csv) for the download. */
  name: string;
  /** Column whose cells get a class from their value (e.g. a verdict), for emphasis beside the text. */
  classOf?: (row: Row) => string | undefined;
  /** Called with a row when it is clicked (the row then gets the class "pickable"). */
  onPick?: (row: Row) => void;
}

/** Fills `target` with a sortable, filterable table of `rows` (only `columns`, in order) and its CSV download. */
export function dataTable(target: HTMLElement, rows: readonly Row[], columns: readonly string[], options: TableOptions): void {
  target.innerHTML = '';
  target.classList.add('data-table');
  const base = rowsTable(rows, columns);
  const names = base.columnNames();
  let sortColumn: string | null = null;
  let descending = false;
  let filter = '';

  const tools = document.createElement('div');
  tools.className = 'table-tools';
  const search = document.createElement('input');
  search.type = 'search';
  search.placeholder = 'filter rows';
  search.setAttribute('aria-label', `filter the ${options.name} table`);
  const count = document.createElement('span');
  count.className = 'row-count';
  const shown = () => filterTable(sortTable(base, sortColumn, descending), filter, formatCell);
  tools.append(
    search,
    count,
    button('Download CSV', `download the ${options.name} table as CSV`, () => download(`${options.name}.csv`, tableCsv(shown()))),
  );

  const table = document.createElement('table');
  const headRow = table.createTHead().insertRow();
  const body = table.createTBody();
  const headings = names.map((name) => {
    const th = document.createElement('th');
    th.scope = 'col';
    const sorter = button(columnTitle(name), `sort by ${columnTitle(name)}`, () => {
      descending = sortColumn === name ? !descending : false;
      sortColumn = name;
      render();
    });
    sorter.className = 'sort';
    th.append(sorter);
    headRow.append(th);
    return th;
  });

  function render(): void {
    const view = shown();
    body.innerHTML = '';
    for (const row of view.objects() as Row[]) {
      const tr = body.insertRow();
      const extra = options.classOf?.(row);
      if (extra) tr.className = extra;
      if (options.onPick) {
        tr.classList.add('pickable');
        tr.tabIndex = 0;
        tr.addEventListener('click', () => options.onPick?.(row));
        tr.addEventListener('keydown', (event) => {
          if (event.key === 'Enter') options.onPick?.(row);
        });
      }
      for (const name of names) {
        const cell = tr.insertCell();
        cell.dataset.column = name;
        const value = row[name];
        if (typeof value === 'number') cell.className = 'num';
        cell.textContent = formatCell(name, value);
      }
    }
    headings.forEach((th, i) => th.setAttribute('aria-sort', names[i] === sortColumn ? (descending ? 'descending' : 'ascending') : 'none'));
    count.textContent = view.numRows() === rows.length ? `${rows.length} ${rows.length === 1 ? 'row' : 'rows'}` : `${view.numRows()} of ${rows.length} rows`;
  }

  search.addEventListener('input', () => {
    filter = search.value;
    render();
  });
  const scroller = document.createElement('div');
  scroller.className = 'table-scroll';
  scroller.append(table);
  target.append(tools, scroller);
  render();
}
