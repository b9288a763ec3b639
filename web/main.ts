/**
 * The dashboard page: what is served (/api/info), the atlas and its gap
 * switch, the tabs, and the state kept in the URL; the views are drawn by
 * page-draw.ts, one draw at a time (draw-queue.ts), again whenever an
 * answer comes from another analysis (drawn-from.ts).
 */
import { api, ApiError, setGap } from './api.ts';
import { note } from './chart-frame.ts';
import { inTurn, redrawInTurn } from './draw-queue.ts';
import { onAnotherAnalysis } from './drawn-from.ts';
import { describe, drawPage, type Info, setShownInfo, settle, shownInfo } from './page-draw.ts';
import { listenReplay } from './replay-view.ts';
import { listenSizing } from './sizing-view.ts';
import { dataTable } from './table.ts';
import { readState, writeState } from './url-state.ts';
import { $, empty, SHOWN, type ViewOutcome } from './view.ts';
import { type AtlasAnswerData, showAtlasAnswer } from './views/atlas-view.ts';

function showAtlas(info: Info, onPick: (gap: string) => void): ViewOutcome {
  const body = $('#atlas .body');
  const gaps = info.atlas?.gaps;
  if (!gaps || gaps.length === 0) {
    return empty(
      `${info.dir} is a ${info.kind === 'run' ? 'single run' : info.kind}, not an atlas. \`missionbench atlas\` (what \`npm start\` runs) builds the gap atlas: every seed scenario across profiles and authority models.`,
    );
  }
  const rows: Array<Record<string, unknown>> = gaps.map((gap) => ({ ...gap, finding: gap.finding ?? `waits for ${String(gap.waits_for)}` }));
  body.innerHTML = '';
  const table = document.createElement('div');
  body.append(table);
  dataTable(table, rows, ['gap', 'title', 'seed', 'status', 'finding'], {
    name: 'atlas',
    onPick: (row) => {
      if (row.status !== 'measured') return;
      $<HTMLSelectElement>('#gap-pick').value = String(row.gap);
      onPick(String(row.gap));
    },
  });
  // A measured gap's row, or the picker in the header, shows that gap's sweep in every other view.
  const picker = $<HTMLSelectElement>('#gap-pick');
  picker.length = 0;
  for (const gap of gaps.filter((row) => row.status === 'measured')) picker.add(new Option(`${String(gap.gap)}: ${String(gap.title)}`, String(gap.gap)));
  picker.value = info.gap ?? '';
  $('#gap-picker').hidden = false;
  picker.onchange = () => onPick(picker.value);
  const help = document.createElement('p');
  help.className = 'help';
  help.textContent = 'Click a measured gap (or pick it above) to show its answer here and its sweep in the other views.';
  body.append(help);
  // The answer is its own section right after the atlas table, so the table's rows stay the only rows in #atlas.
  const answer = document.querySelector<HTMLElement>('#atlas-answer') ?? Object.assign(document.createElement('section'), { id: 'atlas-answer' });
  answer.dataset.view = 'atlas-answer';
  $('#atlas').after(answer);
  showAtlasAnswer(answer, info.atlas as AtlasAnswerData, info.gap);
  return SHOWN;
}

// --- The page: which gap, which view, what is in the URL ---

/** Counts gap switches: a switch overtaken by a later one is dropped. */
let switches = 0;

/**
 * Shows another gap's sweep. Its analysis is asked first; only if it
 * answers does the page switch (gap, URL, atlas answer, every view). If it
 * cannot (say, a log of that sweep no longer verifies), the selector, the
 * URL and every view stay on the gap shown, with a note saying the switch
 * failed and why: never one gap's charts under another's name.
 */
function switchGap(gap: string): void {
  const turn = ++switches;
  $('#subject').textContent = `loading gap ${gap}…`;
  void inTurn(async () => {
    if (turn !== switches) return;
    let next: Info;
    try {
      next = await api<Info>('/api/info', gap);
    } catch (error) {
      if (turn !== switches) return;
      const shown = shownInfo();
      $<HTMLSelectElement>('#gap-pick').value = shown.gap ?? '';
      $('#subject').textContent = describe(shown);
      note($('#banners'), 'error', `Cannot switch to gap ${gap}: ${(error as Error).message}. Still showing gap ${shown.gap}.`);
      return;
    }
    if (turn !== switches) return;
    $('#banners').innerHTML = '';
    // The gap and its info together: if the draw's own /api/info then fails, a later failed switch still names this gap, the one drawn.
    setGap(gap);
    setShownInfo(next);
    writeState({ gap, designs: null, run: null, mission: null, seq: null });
    const answer = document.querySelector<HTMLElement>('#atlas-answer');
    if (answer) showAtlasAnswer(answer, next.atlas as AtlasAnswerData, gap);
    await drawPage();
  });
}

/** Scrolls to a view (its heading clear of the sticky header: see scroll-margin-top) and records it in the URL. */
function goToView(view: string, behavior: ScrollBehavior = 'auto'): void {
  const section = document.querySelector<HTMLElement>(`section[data-view="${view}"]`);
  if (!section) return;
  section.scrollIntoView({ behavior, block: 'start' });
  writeState({ view });
  for (const tab of document.querySelectorAll<HTMLElement>('#tabs a')) {
    if (tab.dataset.view === view) tab.setAttribute('aria-current', 'true');
    else tab.removeAttribute('aria-current');
  }
}

function listenTabs(): void {
  for (const tab of document.querySelectorAll<HTMLAnchorElement>('#tabs a')) {
    tab.addEventListener('click', (event) => {
      event.preventDefault();
      goToView(tab.dataset.view as string);
    });
  }
}

async function loadInfo(): Promise<Info> {
  try {
    return await api<Info>('/api/info');
  } catch (error) {
    // A link naming a gap this atlas does not have (or one whose analysis is refused): the first gap instead, and say so, as a failed switch stays on the gap shown.
    if (readState('gap') === null) throw error;
    setGap(null);
    writeState({ gap: null });
    const info = await api<Info>('/api/info');
    note($('#banners'), 'note', `${(error as Error).message}; showing the first measured gap instead.`);
    return info;
  }
}

/** The sticky header's height, for scroll-margin-top: it wraps to more lines in a narrow window. */
function trackHeaderHeight(): void {
  const sync = () => document.documentElement.style.setProperty('--header-height', `${$('header').offsetHeight}px`);
  sync();
  window.addEventListener('resize', sync);
}

async function main(): Promise<void> {
  trackHeaderHeight();
  setGap(readState('gap'));
  let info: Info;
  try {
    info = await loadInfo();
  } catch (error) {
    // A server that answered with an error (say, a log changed while served that no longer verifies) is no unreachable one.
    const message = (error as Error).message;
    note(
      $('main'),
      'error',
      error instanceof ApiError ? `The missionbench server cannot answer: ${message}` : `Cannot reach the missionbench server: ${message}`,
    );
    return;
  }
  setGap(info.gap);
  if (info.gap !== null) writeState({ gap: info.gap });
  setShownInfo(info);
  $('#subject').textContent = describe(info);
  const atlas = showAtlas(info, switchGap);
  settle('atlas', atlas);
  if (atlas.empty) $('#gap-picker').hidden = true;
  listenTabs();
  listenSizing();
  listenReplay();
  onAnotherAnalysis(() => redrawInTurn(drawPage));
  // Back to the tab (say, after re-running the sweep in a terminal): one answer, and a redraw if it comes from another analysis.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void api('/api/check').catch(() => undefined);
  });
  await inTurn(drawPage);
  const view = readState('view');
  if (view !== null) goToView(view);
}

void main();
