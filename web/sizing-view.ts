/** The sizing view: the architect's answer for the bounds in the form (kept in the URL). */
import { query } from './api.ts';
import { drawChart, note } from './chart-frame.ts';
import { loadNote, loadSpec, tradeoffNote, tradeoffSpec } from './charts/specs.ts';
import { sizingAnswer, sizingRows } from './sizing-answer.ts';
import { asksOfOneView } from './still-wanted.ts';
import { dataTable } from './table.ts';
import { readState, writeState } from './url-state.ts';
import { $, SHOWN, slots, type ViewOutcome } from './view.ts';

// --- Load and sizing: the architect's answer for the bounds in the form ---

/** The bounds typed in the form, or the field left empty or invalid (an empty field is not 0). */
function readBounds(form: HTMLFormElement): { bounds: { max_p99_stop_s: number; max_ps_rps: number } } | { problem: string } {
  const stop = (form.elements.namedItem('max_p99_stop_s') as HTMLInputElement).value.trim();
  const rps = (form.elements.namedItem('max_ps_rps') as HTMLInputElement).value.trim();
  if (stop === '' || !(Number(stop) >= 0))
    return { problem: 'Enter the p99 runtime stop bound in seconds (a number, 0 or more): an empty field is not sized as 0.' };
  if (rps === '' || !(Number(rps) >= 0))
    return { problem: 'Enter the Person Server budget in requests per second (a number, 0 or more): an empty field is not sized as 0.' };
  return { bounds: { max_p99_stop_s: Number(stop), max_ps_rps: Number(rps) } };
}

/** A sizing's answer lands only if no draw, gap switch or later sizing overtook it (still-wanted.ts): the submit asks out of turn. */
const askSizing = asksOfOneView();

export async function showSizing(body: HTMLElement): Promise<ViewOutcome> {
  const form = $<HTMLFormElement>('#bounds');
  const answer = $('#sizing-answer');
  // Asked now, also for bounds refused in words: an earlier sizing still under way must not land over them.
  const wanted = askSizing();
  const read = readBounds(form);
  if ('problem' in read) {
    answer.className = 'answer problem';
    answer.textContent = read.problem;
    body.innerHTML = '';
    return SHOWN;
  }
  const { bounds } = read;
  writeState({ stop: String(bounds.max_p99_stop_s), rps: String(bounds.max_ps_rps) });
  let rows: Awaited<ReturnType<typeof query>>;
  let designs: Awaited<ReturnType<typeof query>>;
  try {
    [rows, designs] = await Promise.all([query('architect', bounds), query('designs')]);
  } catch (error) {
    // Overtaken: whatever overtook it says what is wrong, if anything.
    if (!wanted()) return SHOWN;
    throw error;
  }
  if (!wanted()) return SHOWN;
  const sized = sizingAnswer(rows, bounds);
  answer.className = `answer ${sized.cheapest ? 'meets' : 'misses'}`;
  answer.textContent = `${sized.cheapest ? '✓' : '✗'} ${sized.sentence}`;
  const caveat = document.createElement('small');
  caveat.className = 'uncertainty';
  caveat.textContent = sized.uncertainty;
  answer.append(document.createElement('br'), caveat);
  const [tradeoff, load, table] = slots(body, 'chart-tradeoff', 'chart-load', 'table-sizing') as [HTMLElement, HTMLElement, HTMLElement];
  await drawChart(tradeoff, tradeoffSpec(rows, bounds), 'tradeoff', tradeoffNote(rows));
  await drawChart(load, loadSpec(designs), 'ps-load', loadNote(designs));
  dataTable(table, sizingRows(sized), ['rank', 'design', 'ps_load_rps', 'ps_load_ci95', 'p99_stop_s', 'missions', 'runs', 'verdict', 'pareto'], {
    name: 'sizing',
    classOf: (row) => (String(row.verdict).startsWith('✓') ? 'meets' : 'misses'),
  });
  return SHOWN;
}

export function listenSizing(): void {
  const form = $<HTMLFormElement>('#bounds');
  const stop = readState('stop');
  const rps = readState('rps');
  if (stop !== null) (form.elements.namedItem('max_p99_stop_s') as HTMLInputElement).value = stop;
  if (rps !== null) (form.elements.namedItem('max_ps_rps') as HTMLInputElement).value = rps;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = $('#sizing .body');
    void showSizing(body).catch((error: Error) => note(body, 'error', error.message));
  });
}
