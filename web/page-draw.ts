/**
 * Drawing the page from one analysis: the check banner first (the analysis
 * the page then follows: drawn-from.ts), then the subject and every view
 * but the atlas, settled (shown or empty) and put in reading order.
 */
import { api, getGap } from './api.ts';
import { showCheckBanner } from './check-banner.ts';
import { note } from './chart-frame.ts';
import { drawEnds, drawStarts } from './drawn-from.ts';
import { showContainment, showDrift, showLifecycle, showRevocation } from './metric-views.ts';
import { showReplay } from './replay-view.ts';
import { showSizing } from './sizing-view.ts';
import { $, SHOWN, type ViewOutcome } from './view.ts';

export interface Info {
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

/** Marks a view as empty (collapsed to its heading and one line, moved below the others) or shown. */
export function settle(view: string, outcome: ViewOutcome): void {
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
}

/** What the page is drawn from: /api/info of the analysis the banner came from. */
let current: Info;

/**
 * The /api/info the page shows: given by the first answer, by a gap switch
 * before it draws (its probe's answer, so that a draw whose own /api/info
 * fails still describes the gap it drew), then by each draw.
 */
export function shownInfo(): Info {
  return current;
}

export function setShownInfo(info: Info): void {
  current = info;
}

/**
 * Draws the page for the current gap: the check banner first (the analysis
 * the page then follows: drawn-from.ts), then the subject and every view
 * but the atlas from that analysis. Called in turn (draw-queue.ts).
 */
export async function drawPage(): Promise<void> {
  document.body.dataset.ready = 'false';
  // Answers asked before this draw (a replay pick, a sizing) are no longer shown: this draw shows what the page asks for now.
  drawStarts();
  try {
    await showCheckBanner(getGap());
    try {
      current = await api<Info>('/api/info');
      $('#subject').textContent = describe(current);
    } catch (error) {
      // The views say the same where their answers would be; the banner does too. `current` stays the info the draw was asked for (main.ts sets it first).
      note($('#subject'), 'error', `The missionbench server cannot answer: ${(error as Error).message}`);
    }
    await showViews(current.kind);
    orderViews(current);
  } finally {
    drawEnds();
  }
  document.body.dataset.ready = 'true';
}

/** The subject line (the header) for `info`, its full text also the title (it may be cut short on screen). */
export function describe(info: Info): string {
  const text = describeText(info);
  $('#subject').title = text;
  return text;
}

function describeText(info: Info): string {
  return `${info.dir} — ${info.kind}, ${info.runs} ${info.runs === 1 ? 'run' : 'runs'}${info.missing > 0 ? ` (${info.missing} not finished)` : ''}${info.axes.length > 0 ? `, grid: ${info.axes.join(' x ')}` : ''}${info.gap ? ` (gap ${info.gap})` : ''}`;
}
