/**
 * The dashboard page: what is served (/api/info), the views in the order
 * that fits the folder, the tabs, and the state kept in the URL.
 */
import { api, ApiError, getGap, setGap } from './api.ts';
import { showCheckBanner } from './check-banner.ts';
import { note } from './chart-frame.ts';
import { showContainment, showDrift, showLifecycle, showRevocation } from './metric-views.ts';
import { listenReplay, showReplay } from './replay-view.ts';
import { listenSizing, showSizing } from './sizing-view.ts';
import { dataTable } from './table.ts';
import { readState, writeState } from './url-state.ts';
import { $, empty, SHOWN, type ViewOutcome } from './view.ts';
import { type AtlasAnswerData, showAtlasAnswer } from './views/atlas-view.ts';

interface Info {
  dir: string;
  kind: string;
  runs: number;
  missing: number;
  axes: string[];
  truth: boolean;
  atlas: { gaps?: Array<Record<string, unknown>> } | null;
  analysed: string;
  /** The atlas gap whose sweep the views show (null outside an atlas). */
  gap: string | null;
}

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

// --- The page: which views, in which order, what is in the URL ---

/** Marks a view as empty (collapsed to its heading and one line, moved below the others) or shown. */
function settle(view: string, outcome: ViewOutcome): void {
  const section = $(`section[data-view="${view}"]`);
  const tab = $(`#tabs a[data-view="${view}"]`);
  section.classList.toggle('collapsed', outcome.empty);
  tab.classList.toggle('empty-tab', outcome.empty);
  if (outcome.empty) {
    note($(`section[data-view="${view}"] .body`), 'empty', outcome.why);
    tab.title = 'nothing to show for this folder';
  } else tab.removeAttribute('title');
}

/** Puts the views in reading order: the one that fits the folder first, views with data next, empty ones last (the tabs follow). */
function orderViews(info: Info): void {
  const main = $('main');
  const nav = $('#tabs');
  const first = info.atlas ? 'atlas' : info.kind === 'run' ? 'replay' : 'revocation';
  const sections = [...main.querySelectorAll<HTMLElement>(':scope > section')];
  const rank = (section: HTMLElement) => (section.dataset.view === first ? 0 : section.classList.contains('collapsed') ? 2 : 1);
  const ordered = sections
    .map((section, i) => ({ section, i }))
    .sort((a, b) => rank(a.section) - rank(b.section) || a.i - b.i)
    .map(({ section }) => section);
  for (const section of ordered) {
    main.append(section);
    // A section without a tab of its own (the atlas answer, which follows the atlas table) keeps its place after it.
    const tab = nav.querySelector<HTMLElement>(`a[data-view="${section.dataset.view}"]`);
    if (tab) nav.append(tab);
  }
  document.body.dataset.firstView = first;
}

/** Every view but the atlas, for the current analysis; a view that fails says why in its place. */
async function showViews(kind: string): Promise<void> {
  document.body.dataset.ready = 'false';
  await showCheckBanner(getGap());
  const views: Array<[string, (body: HTMLElement) => Promise<ViewOutcome>]> = [
    ['revocation', showRevocation],
    ['sizing', showSizing],
    ['containment', showContainment],
    ['drift', showDrift],
    ['lifecycle', showLifecycle],
  ];
  await Promise.all([
    ...views.map(async ([view, show]) => {
      const body = $(`section[data-view="${view}"] .body`);
      note(body, 'loading', 'loading…');
      try {
        settle(view, await show(body));
      } catch (error) {
        settle(view, SHOWN);
        note(body, 'error', (error as Error).message);
      }
    }),
    showReplay(kind).catch((error: Error) => note($('#verify-status'), 'error', error.message)),
  ]);
  document.body.dataset.ready = 'true';
}

function describe(info: Info): string {
  const text = describeText(info);
  $('#subject').title = text;
  return text;
}

function describeText(info: Info): string {
  return `${info.dir} — ${info.kind}, ${info.runs} ${info.runs === 1 ? 'run' : 'runs'}${info.missing > 0 ? ` (${info.missing} not finished)` : ''}${info.axes.length > 0 ? `, grid: ${info.axes.join(' x ')}` : ''}${info.gap ? ` (gap ${info.gap})` : ''}`;
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
    // A link naming a gap this atlas does not have: fall back to the first gap, and say so.
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
  $('#subject').textContent = describe(info);
  const atlas = showAtlas(info, (gap) => {
    setGap(gap);
    writeState({ gap, designs: null, run: null, mission: null, seq: null });
    const answer = document.querySelector<HTMLElement>('#atlas-answer');
    if (answer) showAtlasAnswer(answer, info.atlas as AtlasAnswerData, gap);
    $('#subject').textContent = `loading gap ${gap}…`;
    void api<Info>('/api/info').then(
      (next) => {
        $('#subject').textContent = describe(next);
        return showViews(next.kind).then(() => orderViews(next));
      },
      (error: Error) => note($('#subject'), 'error', error.message),
    );
  });
  settle('atlas', atlas);
  if (atlas.empty) $('#gap-picker').hidden = true;
  listenTabs();
  listenSizing();
  listenReplay();
  await showViews(info.kind);
  orderViews(info);
  const view = readState('view');
  if (view !== null) goToView(view);
}

void main();
